// A cycle over two provincial sources (docs/sources.md): the simulator's current system and its legacy one, a
// quarter of whose dossiers moved to the current one.
#include <doctest/doctest.h>

#include "tests/support/service_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace dvc;
using namespace dvc::test;

namespace {

constexpr std::int64_t grace = 1800;

config two_sources(sim::simulator& s) {
  config cfg = service_config(s);
  cfg.provincial.front().name = "current";
  provincial_settings legacy = cfg.provincial.front();
  legacy.name = "legacy";
  legacy.moved_to = "current";
  legacy.portal.base_url = s.legacy_base_url();
  legacy.portal.token_url = s.legacy_token_url();
  cfg.provincial.push_back(legacy);
  auto built = provincial_sources::build({{"current", {}}, {"legacy", "current"}});
  REQUIRE(built.problems.empty());
  cfg.sources = built.value;
  return cfg;
}

}  // namespace

TEST_CASE("two sources are read as one province: the findings of the merged records, each moved dossier once") {
  running_simulator sim(1500, 7, sim::wire_shape::contract, true);
  temp_dir dir;
  const config cfg = two_sources(sim.get());
  auto db = ledger::open(":memory:");
  service_status status;
  const instant t = sim_clock_start + 600;

  const cycle_report r = run_one_cycle(cfg, db, status, t);
  // provincial.jsonl of a simulator with a legacy source is the province's truth: one record per dossier.
  const offline_result expected = offline_evaluation(sim.get(), dir.path(), t, grace);
  const auto counts = sim.get().dump(dir.path());
  REQUIRE(counts.moved > 0);
  REQUIRE(counts.legacy_only > 0);

  INFO(r.message);
  CHECK(r.status == run_status::ok);
  REQUIRE(r.provincial_sources.size() == 2);
  CHECK(r.provincial_sources[0].source == "current");
  CHECK(r.provincial_sources[1].source == "legacy");
  // Every moved dossier is read twice, once from each source; which copy came first, the current one holds it.
  CHECK(r.provincial.records == static_cast<std::int64_t>(expected.provincial + counts.moved));
  CHECK(r.provincial.moved + r.provincial.legacy_copies == static_cast<std::int64_t>(counts.moved));
  CHECK(r.provincial.data_errors == 0);
  REQUIRE(expected.findings.size() > 100);
  CHECK(open_findings(db) == expected.findings);
  CHECK(db.get_cursor(side::provincial, "current").has_value());
  CHECK(db.get_cursor(side::provincial, "legacy").has_value());
  CHECK_FALSE(db.get_cursor(side::provincial).has_value());  // no unnamed source
}

TEST_CASE("one source down: the cycle is partial and names it; the other source's records and cursor are kept") {
  running_simulator sim(300, 7, sim::wire_shape::contract, true);
  config cfg = two_sources(sim.get());
  cfg.provincial[1].portal.base_url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/legacy/provincial/api";
  cfg.provincial[1].portal.retry.max_attempts = 1;
  auto db = ledger::open(":memory:");
  service_status status;

  const cycle_report r = run_one_cycle(cfg, db, status, sim_clock_start + 600);
  CHECK(r.status == run_status::partial);
  CHECK_FALSE(r.evaluated);
  CHECK(r.provincial_sources[0].ok());
  CHECK_FALSE(r.provincial_sources[1].ok());
  CHECK(r.message.find("source legacy:") != std::string::npos);
  CHECK(r.provincial_sources[0].stored > 0);
  CHECK(db.get_cursor(side::provincial, "current").has_value());
  CHECK_FALSE(db.get_cursor(side::provincial, "legacy").has_value());
  CHECK(open_findings(db).empty());
}

TEST_CASE("new unit successions re-evaluate every dossier once: unit-only mismatches of renamed units resolve") {
  running_simulator sim(1500, 7, sim::wire_shape::contract, true);
  temp_dir dir;
  config cfg = two_sources(sim.get());
  auto db = ledger::open(":memory:");
  service_status status;
  const instant t = sim_clock_start + 600;
  const cycle_report before = run_one_cycle(cfg, db, status, t);
  REQUIRE(before.status == run_status::ok);
  const auto findings_before = open_findings(db);
  CHECK(findings_before == offline_evaluation(sim.get(), dir.path(), t, grace).findings);

  const auto planted = sim.get().options().world.province->successions();
  auto built = unit_successions::build({planted.begin(), planted.end()});
  REQUIRE(built.problems.empty());
  cfg.successions = built.value;
  // Nothing changed on the portals: only the successions make this cycle evaluate every dossier.
  const cycle_report after = run_one_cycle(cfg, db, status, t + 60);
  CHECK(after.full);
  const auto expected = offline_evaluation(sim.get(), dir.path(), t + 60, grace, {}, &cfg.successions);
  CHECK(open_findings(db) == expected.findings);
  CHECK(after.totals.lifecycle.resolved > 0);
  CHECK(expected.findings.size() < findings_before.size());

  const cycle_report again = run_one_cycle(cfg, db, status, t + 120);
  CHECK_FALSE(again.full);
  CHECK(again.totals.lifecycle.resolved == 0);
  CHECK(open_findings(db) == expected.findings);
}
