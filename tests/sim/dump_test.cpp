#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "sim/civil_time.hpp"
#include "sim/simulator.hpp"
#include "tests/support/temp_dir.hpp"

using namespace dvc::sim;
using dvc::test::temp_dir;
using nlohmann::json;

namespace {

simulator_options frozen(std::uint64_t seed, std::uint32_t dossiers) {
  simulator_options o;
  o.world = {.seed = seed, .dossiers = dossiers, .clock_start = 1722445200};
  o.freeze = true;
  return o;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<json> lines(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<json> out;
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    INFO(p.string() << ":" << n);
    out.push_back(json::parse(line));  // throws (and fails the test) on a bad line
  }
  return out;
}

}  // namespace

TEST_CASE("the same seed dumps the same files") {
  temp_dir a("dvc-sim-dump-a"), b("dvc-sim-dump-b");
  simulator first(frozen(42, 1500)), second(frozen(42, 1500));
  const auto counts = first.dump(a.path());
  second.dump(b.path());
  CHECK(counts.provincial > 1300);
  CHECK(counts.national > 1300);
  CHECK(slurp(a.path() / "provincial.jsonl") == slurp(b.path() / "provincial.jsonl"));
  CHECK(slurp(a.path() / "national.jsonl") == slurp(b.path() / "national.jsonl"));
}

TEST_CASE("dumped records of the contract shape carry its fields in their wire forms") {
  temp_dir dir("dvc-sim-dump-fields");
  simulator sim(frozen(7, 4000));
  const auto counts = sim.dump(dir.path());
  const auto provincial = lines(dir.path() / "provincial.jsonl");
  const auto national = lines(dir.path() / "national.jsonl");
  CHECK(provincial.size() == counts.provincial);
  CHECK(national.size() == counts.national);

  std::size_t zulu = 0, offset = 0, never_pushed = 0;
  for (const auto& r : provincial) {
    for (const char* key : {"id", "code", "nationCode", "procedure", "sector", "agency", "applicant", "applyMethod",
                            "status", "appliedDate", "appointmentDate", "completedDate", "returnedDate", "updatedDate",
                            "digitized", "onlinePayment", "results", "steps"}) {
      INFO(key);
      CHECK(r.contains(key));
    }
    const auto updated = r["updatedDate"].get<std::string>();
    CHECK(read_iso(updated));
    (updated.back() == 'Z' ? zulu : offset) += 1;
    never_pushed += r["nationCode"].is_null();
    CHECK(r["status"]["code"].is_string());
    CHECK(r["applyMethod"]["id"].is_number_integer());
  }
  CHECK(zulu > 0);
  CHECK(offset > 0);
  CHECK(never_pushed > 0);

  std::size_t numeric = 0, spaced_or_lower = 0, decomposed = 0;
  const std::string scalars[] = {"MaHoSo",
                                 "MaTTHC",
                                 "TenTTHC",
                                 "MaLinhVuc",
                                 "TenLinhVuc",
                                 "DonViXuLy",
                                 "ChuHoSo",
                                 "SoDienThoai",
                                 "Email",
                                 "TrichYeuHoSo",
                                 "NgayTiepNhan",
                                 "NgayHenTra",
                                 "NgayKetThucXuLy",
                                 "NgayTra",
                                 "NgayCapNhat",
                                 "HoSoCoThanhPhanSoHoa",
                                 "DuocThanhToanTrucTuyen"};
  for (const auto& r : national) {
    for (const auto& key : scalars) {
      INFO(key);
      CHECK(r.at(key).is_string());
    }
    for (const char* key : {"NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "NgayCapNhat"}) {
      const auto t = r[key].get<std::string>();
      CHECK((t.empty() || read_national(t)));
    }
    // Deliberately numeric in a few records, as the real adapter sometimes sends them.
    bool any_number = false;
    for (const char* key : {"TrangThaiHoSo", "KenhThucHien", "LoaiDoiTuong"}) {
      CHECK((r[key].is_string() || r[key].is_number_integer()));
      any_number |= r[key].is_number_integer();
    }
    numeric += any_number;
    const auto code = r["MaHoSo"].get<std::string>();
    spaced_or_lower += code.front() == ' ' || code.back() == ' ' || code.find(".h10") != std::string::npos;
    // NFD text carries combining marks (U+0300–U+036F: UTF-8 lead bytes 0xCC, 0xCD).
    decomposed += r["ChuHoSo"].get<std::string>().find_first_of("\xCC\xCD") != std::string::npos;
    for (const auto& step : r["QuaTrinhXuLy"]) CHECK(step["ThoiDiemXuLy"].is_string());
    for (const auto& doc : r["DanhSachGiayToKetQua"]) CHECK(doc["MaGiayToKetQua"].is_string());
  }
  CHECK(numeric > 0);
  CHECK(numeric < national.size() / 10);
  CHECK(spaced_or_lower > 0);
  CHECK(decomposed > 0);
}

TEST_CASE("a shape-B dump holds the same dossiers in shape B's records, the provincial side newest first") {
  temp_dir contract_dir("dvc-sim-dump-contract"), b_dir("dvc-sim-dump-b");
  auto options = frozen(9, 2500);
  simulator contract(options);
  options.shape = wire_shape::b;
  simulator b(options);
  const auto contract_counts = contract.dump(contract_dir.path());
  const auto b_counts = b.dump(b_dir.path());
  CHECK(b_counts.provincial == contract_counts.provincial);
  CHECK(b_counts.national == contract_counts.national);

  const auto provincial = lines(b_dir.path() / "provincial.jsonl");
  const auto national = lines(b_dir.path() / "national.jsonl");
  REQUIRE(provincial.size() == b_counts.provincial);
  REQUIRE(national.size() == b_counts.national);
  std::int64_t previous = INT64_MAX;
  for (const auto& r : provincial) {
    for (const char* key :
         {"id", "code", "dossierStatus", "agency", "procedure", "applicant", "applyMethod", "appliedDate",
          "appointmentDate", "updatedDate", "isDigitized", "paymentMethod", "outputFile", "task"}) {
      INFO(key);
      CHECK(r.contains(key));
    }
    const auto updated = read_iso(r["updatedDate"].get<std::string>());
    REQUIRE(updated);
    CHECK(*updated <= previous);
    previous = *updated;
  }
  for (const auto& r : national) {
    for (const char* key : {"MaHoSo", "MaTTHC", "MaTrangThai", "TrangThaiHoSo", "DonViXuLy", "MaDonViXuLy", "NgayNop",
                            "NgayTiepNhan", "NgayHenTra", "KenhThucHien", "DuocThanhToanTrucTuyen"}) {
      INFO(key);
      CHECK(r.contains(key));
    }
    CHECK_FALSE(r.contains("NgayCapNhat"));
    CHECK_FALSE(r.contains("QuaTrinhXuLy"));
  }
  // The contract dump of the same seed names the same dossiers on each side.
  std::set<std::string> contract_codes, b_codes;
  for (const auto& r : lines(contract_dir.path() / "national.jsonl")) contract_codes.insert(r["MaHoSo"]);
  for (const auto& r : national) b_codes.insert(r["MaHoSo"]);
  CHECK(contract_codes == b_codes);
}
