// The same seed gives the same dossiers, and so the same planted discrepancies, in either wire shape: every field
// the two shapes share says the same thing once each shape's encoding is read (the tables of docs/profiles.md,
// written out here independently of the simulator's vocabulary).
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "reconcile/status.hpp"
#include "sim/civil_time.hpp"
#include "sim/render.hpp"
#include "sim/world.hpp"

using namespace dvc::sim;
using nlohmann::json;

namespace {

const std::map<int, int> shape_b_status{{0, 1},  {1, 2}, {13, 3}, {2, 4}, {17, 4}, {3, 5},
                                        {16, 6}, {6, 7}, {12, 8}, {4, 9}, {5, 10}};
const std::map<int, int> contract_channel{{0, 1}, {1, 2}, {2, 3}};
const std::map<int, int> shape_b_channel{{0, 2}, {1, 1}, {2, 3}};

json rendered(const world& w, std::uint32_t idx, portal side, wire_shape shape) {
  std::string text;
  render(w, idx, side, shape, text);
  return json::parse(text);
}

// An ISO time of either shape at one-second precision, or nullopt for null.
std::optional<std::int64_t> iso(const json& v) {
  if (v.is_null()) return std::nullopt;
  const auto t = read_iso(v.get<std::string>());
  REQUIRE(t);
  return t;
}

std::optional<std::int64_t> compact(const json& v) {
  if (v.get<std::string>().empty()) return std::nullopt;
  return read_national(v.get<std::string>());
}

std::optional<std::int64_t> day_first(const json& record, const char* key) {
  if (!record.contains(key) || record[key] == "") return std::nullopt;
  const auto t = read_day_first(record[key].get<std::string>());
  REQUIRE(t);
  return t;
}

int number(const json& v) { return v.is_string() ? std::stoi(v.get<std::string>()) : v.get<int>(); }

std::string two_segments(const std::string& code) { return code.substr(0, code.find('.', code.find('.') + 1)); }

void same_provincial(const json& c, const json& b) {
  CHECK(b["id"] == c["id"]);
  CHECK(b["code"] == c["code"]);
  if (c["nationCode"].is_null()) {
    CHECK((!b.contains("nationCode") || b["nationCode"].is_null() || b["nationCode"] == ""));
  } else {
    CHECK(b["nationCode"] == c["nationCode"]);
  }
  CHECK(shape_b_status.at(b["dossierStatus"]["id"].get<int>()) ==
        dvc::status_map{}.map(c["status"]["code"].get<std::string>()));
  CHECK(shape_b_channel.at(b["applyMethod"]["id"].get<int>()) ==
        contract_channel.at(c["applyMethod"]["id"].get<int>()));
  CHECK(b["agency"]["code"] == c["agency"]["code"]);
  CHECK(b["procedure"]["code"] == c["procedure"]["code"]);
  CHECK(b["procedure"]["sector"]["code"] == c["sector"]["code"]);
  CHECK(b["applicant"]["data"]["fullname"] == c["applicant"]["fullname"]);
  CHECK(b["applicant"]["data"]["type"] == c["applicant"]["type"]);
  for (const auto& [b_key, c_key] : std::map<std::string, std::string>{{"appliedDate", "appliedDate"},
                                                                       {"appointmentDate", "appointmentDate"},
                                                                       {"completedDate", "completedDate"},
                                                                       {"returnedDate", "returnedDate"},
                                                                       {"updatedDate", "updatedDate"}}) {
    const auto& shown_b_key = b_key;  // INFO's lambda cannot capture a structured binding (clang 14)
    INFO(shown_b_key);
    CHECK(iso(b[b_key]) == iso(c[c_key]));
  }
  CHECK((b["isDigitized"] == 1) == c["digitized"].get<bool>());
  CHECK((b["paymentMethod"]["id"] == 1) == c["onlinePayment"].get<bool>());
  CHECK(b["outputFile"].size() == c["results"].size());
  REQUIRE(b["task"].size() == c["steps"].size());
  for (std::size_t k = 0; k < c["steps"].size(); ++k) {
    CHECK(iso(b["task"][k]["createdDate"]) == iso(c["steps"][k]["startDate"]));
    CHECK(iso(b["task"][k]["completedDate"]) == iso(c["steps"][k]["endDate"]));
    CHECK(iso(b["task"][k]["dueDate"]) == iso(c["steps"][k]["dueDate"]));
    CHECK(b["task"][k]["assignee"]["fullname"] == c["steps"][k]["handler"]);
  }
}

void same_national(const json& c, const json& b) {
  CHECK(b["MaHoSo"] == c["MaHoSo"]);
  CHECK(two_segments(b["MaTTHC"].get<std::string>()) == two_segments(c["MaTTHC"].get<std::string>()));
  CHECK(number(b["MaTrangThai"]) == number(c["TrangThaiHoSo"]));
  CHECK(b["MaDonViXuLy"] == c["DonViXuLy"]);
  CHECK(day_first(b, "NgayTiepNhan") == compact(c["NgayTiepNhan"]));
  CHECK(day_first(b, "NgayHenTra") == compact(c["NgayHenTra"]));
  CHECK(day_first(b, "NgayKetThucXuLy") == compact(c["NgayKetThucXuLy"]));
  CHECK(number(b["KenhThucHien"]) == number(c["KenhThucHien"]));
  CHECK(b["DuocThanhToanTrucTuyen"] == c["DuocThanhToanTrucTuyen"]);
}

}  // namespace

TEST_CASE("both shapes serve the same dossiers with the same discrepancies") {
  world w({.seed = 12, .dossiers = 6000, .clock_start = 1722474000});
  for (std::uint64_t k = 0; k < 20; ++k) w.tick(k, 1722474000 + 3 * static_cast<std::int64_t>(k));
  std::size_t compared = 0;
  for (std::uint32_t idx = 0; idx < w.count(); ++idx) {
    for (const auto side : {portal::provincial, portal::national}) {
      if (!w.present(idx, side)) continue;
      const auto c = rendered(w, idx, side, wire_shape::contract);
      const auto b = rendered(w, idx, side, wire_shape::b);
      INFO(c.dump());
      side == portal::provincial ? same_provincial(c, b) : same_national(c, b);
      ++compared;
    }
  }
  CHECK(compared > 11000);
}
