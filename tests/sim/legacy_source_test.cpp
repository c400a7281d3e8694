// docs/simulator.md#legacy-source: with a legacy source the provincial dossiers are split between the new source
// (the usual paths) and the legacy one (under /legacy); the moved ones are in both, the legacy copy older.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "reconcile/finding.hpp"
#include "reconcile/wire.hpp"
#include "sim/civil_time.hpp"
#include "sim/portal_service.hpp"
#include "sim/world.hpp"
#include "sim_client.hpp"
#include "tests/support/temp_dir.hpp"

using namespace dvc::sim;
using namespace dvc::sim::test;
using dvc::test::temp_dir;
using nlohmann::json;

namespace {

constexpr std::int64_t dec_2026 = 1796086800;  // 2026-12-01T08:00:00+07:00, after the 2025 reorganisation

world_config merged_province(std::uint64_t seed, std::uint32_t dossiers, bool legacy = true) {
  return {.seed = seed,
          .dossiers = dossiers,
          .clock_start = dec_2026,
          .province = catalog::merged(),
          .legacy_source = legacy};
}

struct split {
  std::set<std::uint32_t> legacy_only, moved, new_only;
};

split split_of(const world& w) {
  split s;
  for (std::uint32_t idx = 0; idx < w.count(); ++idx) {
    if (!w.present(idx, portal::provincial)) continue;
    if (w.legacy_only(idx)) {
      s.legacy_only.insert(idx);
    } else if (w.moved_from_legacy(idx)) {
      s.moved.insert(idx);
    } else {
      s.new_only.insert(idx);
    }
  }
  return s;
}

std::vector<json> lines(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line));
  return out;
}

std::map<std::string, json> by_code(const std::vector<json>& records, const char* key) {
  std::map<std::string, json> out;
  for (const auto& r : records) {
    // Not a structured binding: clang 14 cannot capture one in CHECK_MESSAGE.
    const auto inserted = out.emplace(r[key].get<std::string>(), r);
    CHECK_MESSAGE(inserted.second, "the code is listed twice: " << inserted.first->first);
  }
  return out;
}

class source_reader {
 public:
  source_reader(portal_service& service, std::string prefix, wire_shape shape)
      : service_(service), prefix_(std::move(prefix)), shape_(shape) {
    const credentials c;
    const auto form =
        shape == wire_shape::b
            ? "grant_type=password&client_id=" + c.client_id + "&username=" + c.provincial_username +
                  "&password=" + c.provincial_password
            : "grant_type=client_credentials&client_id=" + c.client_id + "&client_secret=" + c.client_secret;
    const auto r = service_.handle(request(http::verb::post, prefix_ + "/provincial/oauth/token", form));
    REQUIRE(r.response.result_int() == 200);
    token_ = json::parse(r.response.body())["access_token"].get<std::string>();
  }

  reply get(const std::string& path_and_query) {
    return service_.handle(
        request(http::verb::get, prefix_ + path_and_query, {}, {{"Authorization", "Bearer " + token_}}));
  }

  // Every record of the listing, page by page.
  std::vector<json> list(const std::string& filter = {}, int size = 100) {
    std::vector<json> out;
    for (int page = 0;; ++page) {
      const auto path =
          shape_ == wire_shape::b
              ? "/provincial/api/pa/dossier/search?spec=slice&sort=updatedDate,desc&size=" + std::to_string(size) +
                    "&page=" + std::to_string(page) + filter
              : "/provincial/api/dossiers?size=" + std::to_string(size) + "&page=" + std::to_string(page) + filter;
      const auto r = get(path);
      REQUIRE(r.response.result_int() == 200);
      const auto body = json::parse(r.response.body());
      for (const auto& record : body["content"]) out.push_back(record);
      const bool last = shape_ == wire_shape::b ? body["last"].get<bool>() : page + 1 >= body["totalPages"].get<int>();
      if (last) break;
    }
    return out;
  }
  const std::string& token() const { return token_; }

 private:
  portal_service& service_;
  std::string prefix_;
  wire_shape shape_;
  std::string token_;
};

portal_service legacy_service(std::uint32_t dossiers, wire_shape shape = wire_shape::contract,
                              const fault_spec& faults = {}) {
  manual_clock clock(dec_2026);
  return portal_service(merged_province(3, dossiers), shape, faults, credentials{}, clock.clock());
}

}  // namespace

TEST_CASE("without a legacy source the current source serves every provincial dossier and /legacy is unknown") {
  const world w(merged_province(3, 2000, false));
  const auto s = split_of(w);
  CHECK(s.legacy_only.empty());
  CHECK(s.moved.empty());
  CHECK(s.new_only.size() == w.page({.side = portal::provincial}).total);
  CHECK(w.page({.side = portal::provincial, .source = provincial_source::legacy}).total == 0);

  manual_clock clock(dec_2026);
  portal_service service(merged_province(3, 200, false), wire_shape::contract, {}, {}, clock.clock());
  const auto r = service.handle(request(http::verb::post, "/legacy/provincial/oauth/token", "grant_type=x"));
  CHECK(r.response.result_int() == 404);
}

TEST_CASE("the split and the moves follow the seed: retired units' dossiers in the legacy source, a quarter moved") {
  const world a(merged_province(1, 3000)), b(merged_province(1, 3000)), c(merged_province(2, 3000));
  const auto sa = split_of(a), sb = split_of(b), sc = split_of(c);
  CHECK(sa.legacy_only == sb.legacy_only);
  CHECK(sa.moved == sb.moved);
  CHECK(sa.moved != sc.moved);

  const double provincial = static_cast<double>(sa.legacy_only.size() + sa.moved.size() + sa.new_only.size());
  const double legacy = static_cast<double>(sa.legacy_only.size() + sa.moved.size());
  CHECK(legacy / provincial > 0.10);
  CHECK(legacy / provincial < 0.30);
  CHECK(static_cast<double>(sa.moved.size()) / legacy > 0.15);
  CHECK(static_cast<double>(sa.moved.size()) / legacy < 0.35);

  const auto& province = a.province();
  for (std::uint32_t idx = 0; idx < a.count(); ++idx) {
    if (!a.present(idx, portal::provincial)) continue;
    const auto unit = a.state(idx).unit;
    const bool retired = province.current(unit) != unit;
    if (retired) CHECK(a.unix_of(a.state(idx).applied) < province.units()[unit].until);
    INFO(dossier_code(a, idx));
    CHECK(a.serves(idx, provincial_source::legacy) == retired);
    CHECK(a.serves(idx, provincial_source::current) == (!retired || a.moved_from_legacy(idx)));
    if (a.moved_from_legacy(idx)) CHECK(a.legacy_updated(idx) < a.updated_on(idx, portal::provincial));
  }
}

TEST_CASE("the legacy prefix serves only the legacy source, the plain paths only the new one, moved ones in both") {
  for (const auto shape : {wire_shape::contract, wire_shape::b}) {
    INFO(shape_name(shape));
    auto service = legacy_service(2500, shape);
    const world w(merged_province(3, 2500));
    const auto s = split_of(w);
    const auto fresh = by_code(source_reader(service, "", shape).list(), "code");
    const auto old = by_code(source_reader(service, "/legacy", shape).list(), "code");

    std::set<std::string> want_new, want_old, want_moved;
    for (const auto idx : s.new_only) want_new.insert(dossier_code(w, idx));
    for (const auto idx : s.legacy_only) want_old.insert(dossier_code(w, idx));
    for (const auto idx : s.moved) {
      want_new.insert(dossier_code(w, idx));
      want_old.insert(dossier_code(w, idx));
      want_moved.insert(dossier_code(w, idx));
    }
    std::set<std::string> got_new, got_old;
    for (const auto& [code, r] : fresh) got_new.insert(code);
    for (const auto& [code, r] : old) got_old.insert(code);
    CHECK(got_new == want_new);
    CHECK(got_old == want_old);
    REQUIRE(!want_moved.empty());

    const char* status = shape == wire_shape::b ? "dossierStatus" : "status";
    const char* status_key = shape == wire_shape::b ? "id" : "code";
    for (const auto& code : want_moved) {
      INFO(code);
      const auto& live = fresh.at(code);
      const auto& copy = old.at(code);
      CHECK(*read_iso(copy["updatedDate"].get<std::string>()) < *read_iso(live["updatedDate"].get<std::string>()));
      CHECK(copy[status][status_key] != live[status][status_key]);
    }
  }
}

TEST_CASE("a dossier is looked up by code only in a source that holds it") {
  auto service = legacy_service(2500);
  const world w(merged_province(3, 2500));
  const auto s = split_of(w);
  REQUIRE(!s.legacy_only.empty());
  REQUIRE(!s.moved.empty());
  source_reader fresh(service, "", wire_shape::contract), old(service, "/legacy", wire_shape::contract);
  const auto legacy_code = dossier_code(w, *s.legacy_only.begin());
  const auto moved_code = dossier_code(w, *s.moved.begin());
  const auto new_code = dossier_code(w, *s.new_only.begin());
  CHECK(old.get("/provincial/api/dossiers/" + legacy_code).response.result_int() == 200);
  CHECK(fresh.get("/provincial/api/dossiers/" + legacy_code).response.result_int() == 404);
  CHECK(old.get("/provincial/api/dossiers/" + new_code).response.result_int() == 404);
  CHECK(fresh.get("/provincial/api/dossiers/" + new_code).response.result_int() == 200);
  const auto live = fresh.get("/provincial/api/dossiers/" + moved_code);
  const auto copy = old.get("/provincial/api/dossiers/" + moved_code);
  REQUIRE(live.response.result_int() == 200);
  REQUIRE(copy.response.result_int() == 200);
  CHECK(live.response.body() != copy.response.body());
}

TEST_CASE("each source has its own tokens; faults strike the legacy source too; national is not under /legacy") {
  auto service = legacy_service(300);
  source_reader fresh(service, "", wire_shape::contract);
  const auto crossed = service.handle(
      request(http::verb::get, "/legacy/provincial/api/dossiers", {}, {{"Authorization", "Bearer " + fresh.token()}}));
  CHECK(crossed.response.result_int() == 401);
  CHECK(service.handle(request(http::verb::post, "/legacy/national", "{}")).response.result_int() == 404);

  fault_spec failing;
  failing.error5xx = 1;
  auto faulty = legacy_service(300, wire_shape::contract, failing);
  const auto r = faulty.handle(request(http::verb::post, "/legacy/provincial/oauth/token", "grant_type=x"));
  CHECK(r.response.result_int() >= 500);
}

TEST_CASE("time filters, unit filters and paging work on the legacy prefix") {
  auto service = legacy_service(3000);
  source_reader old(service, "/legacy", wire_shape::contract);
  const auto all = old.list({}, 1000);
  REQUIRE(all.size() > 100);
  // Oldest first: the update time at the middle of the listing splits it.
  const auto middle = all[all.size() / 2]["updatedDate"].get<std::string>();
  const auto from = *read_iso(middle);
  std::size_t later = 0;
  for (const auto& r : all) later += *read_iso(r["updatedDate"].get<std::string>()) >= from;
  std::string from_text;
  append_iso(from_text, from, true);
  const auto filtered = old.list("&updatedFrom=" + from_text, 7);
  CHECK(filtered.size() == later);
  for (const auto& r : filtered) CHECK(*read_iso(r["updatedDate"].get<std::string>()) >= from);
  CHECK(by_code(filtered, "code").size() == filtered.size());

  // The key keeps the receiving unit's code; the agency may be shown under its successor's.
  const auto code = all.front()["code"].get<std::string>();
  const auto unit = code.substr(0, code.size() - 12);
  std::size_t of_unit = 0;
  for (const auto& r : all) of_unit += r["code"].get<std::string>().starts_with(unit + "-");
  const auto units = old.list("&agencyCode=" + unit, 5);
  CHECK(units.size() == of_unit);
}

TEST_CASE("the truth dump is the new source's records and the legacy-only ones; each source's file what it serves") {
  for (const auto shape : {wire_shape::contract, wire_shape::b}) {
    INFO(shape_name(shape));
    temp_dir dir("dvc-sim-legacy-dump");
    auto service = legacy_service(2500, shape);
    const auto counts = service.dump(dir.path());
    const auto truth = by_code(lines(dir.path() / "provincial.jsonl"), "code");
    const auto fresh = by_code(lines(dir.path() / "provincial-new.jsonl"), "code");
    const auto old = by_code(lines(dir.path() / "provincial-legacy.jsonl"), "code");
    CHECK(truth.size() == counts.provincial);
    CHECK(fresh.size() == counts.provincial_new);
    CHECK(old.size() == counts.provincial_legacy);
    CHECK(counts.provincial == counts.legacy_only + counts.moved + counts.new_only);
    CHECK(counts.provincial_new == counts.moved + counts.new_only);
    CHECK(counts.provincial_legacy == counts.legacy_only + counts.moved);

    auto expected = fresh;
    for (const auto& [code, r] : old) expected.emplace(code, r);  // a moved dossier keeps the new source's record
    CHECK(truth == expected);
    CHECK(lines(dir.path() / "provincial-new.jsonl") == source_reader(service, "", shape).list({}, 1000));
    CHECK(lines(dir.path() / "provincial-legacy.jsonl") == source_reader(service, "/legacy", shape).list({}, 1000));
  }
}

TEST_CASE("live change leaves moved dossiers' legacy copies as they were and changes the legacy-only ones") {
  temp_dir before_dir("dvc-sim-legacy-before"), after_dir("dvc-sim-legacy-after");
  auto service = legacy_service(3000);
  service.dump(before_dir.path());
  service.mutate(60);
  service.dump(after_dir.path());
  const world w(merged_province(3, 3000));
  const auto s = split_of(w);
  const auto before = by_code(lines(before_dir.path() / "provincial-legacy.jsonl"), "code");
  const auto after = by_code(lines(after_dir.path() / "provincial-legacy.jsonl"), "code");
  REQUIRE(before.size() == after.size());
  std::size_t legacy_changed = 0;
  for (const auto idx : s.moved) CHECK(before.at(dossier_code(w, idx)) == after.at(dossier_code(w, idx)));
  for (const auto idx : s.legacy_only)
    legacy_changed += before.at(dossier_code(w, idx)) != after.at(dossier_code(w, idx));
  CHECK(legacy_changed > 0);
}

TEST_CASE("the truth dump is the province's provincial dump without a legacy source, byte for byte") {
  for (const auto shape : {wire_shape::contract, wire_shape::b}) {
    INFO(shape_name(shape));
    temp_dir split_dir("dvc-sim-legacy-split"), single_dir("dvc-sim-legacy-single");
    manual_clock clock(dec_2026);
    portal_service split(merged_province(4, 2000), shape, {}, {}, clock.clock());
    portal_service single(merged_province(4, 2000, false), shape, {}, {}, clock.clock());
    split.dump(split_dir.path());
    single.dump(single_dir.path());
    CHECK(lines(split_dir.path() / "provincial.jsonl") == lines(single_dir.path() / "provincial.jsonl"));
    CHECK(lines(split_dir.path() / "national.jsonl") == lines(single_dir.path() / "national.jsonl"));
  }
}

TEST_CASE("a reader keeping a moved dossier's legacy copy instead of the live record gets other findings") {
  world w(merged_province(5, 4000));
  const dvc::status_map map;
  const dvc::evaluation_context ctx{
      .as_of = dec_2026, .grace_s = 1800, .successions = &w.province().succession_table()};
  const auto facts = [&](const world& v, std::uint32_t idx, portal side) {
    std::string text;
    render(v, idx, side, wire_shape::contract, text);
    const auto j = json::parse(text);
    return dvc::facts_of((side == portal::provincial ? dvc::parse_provincial(j, map) : dvc::parse_national(j)).value);
  };
  // What the findings say: kinds, reasons and details (the statuses compared).
  const auto said = [](const dvc::evaluation& e) {
    std::set<std::string> out;
    for (const auto& f : e.findings)
      out.emplace(std::string(dvc::kind_name(f.kind)) + ": " + f.reason + " " + f.details.dump());
    return out;
  };
  std::size_t moved = 0;
  for (std::uint32_t idx = 0; idx < w.count(); ++idx) {
    if (!w.moved_from_legacy(idx) || !w.present(idx, portal::national)) continue;
    ++moved;
    INFO(dossier_code(w, idx));
    const auto national = facts(w, idx, portal::national);
    const auto live = facts(w, idx, portal::provincial);
    std::optional<dvc::dossier_facts> copy;
    w.as_legacy_copy(idx, [&](const world& v) { copy = facts(v, idx, portal::provincial); });
    CHECK(said(dvc::evaluate(&live, &national, ctx)) != said(dvc::evaluate(&*copy, &national, ctx)));
  }
  CHECK(moved > 50);
}
