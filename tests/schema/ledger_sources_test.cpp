// Several provincial sources in the ledger (docs/sources.md): which source's record of a key is stored, under its
// source's name, and a cursor per source.
#include <doctest/doctest.h>

#include "schema/ledger.hpp"
#include "tests/support/ledger_fixtures.hpp"

using namespace dvc;

namespace {

// Đồng Nai's system, Bình Phước's legacy one moved into it, and a training system related to neither.
provincial_sources sources() {
  auto built = provincial_sources::build({{"dong-nai", {}}, {"binh-phuoc", "dong-nai"}, {"training", {}}});
  REQUIRE(built.problems.empty());
  return built.value;
}

struct step {
  std::string source;
  int status;  // tells the copies apart
  source_claim claim;
  bool changed;
};

}  // namespace

TEST_CASE("a key two sources give is stored from the source the rule of moves and duplicates picks") {
  const auto rule = sources();
  struct store_case {
    const char* name;
    std::vector<step> steps;
    std::string holder;  // the source stored at the end
    int status;          // and its record's status
  };
  const std::vector<store_case> cases = {
      {"the legacy copy first, then the moved dossier replaces it",
       {{"binh-phuoc", 2, source_claim::same, true}, {"dong-nai", 4, source_claim::moved_in, true}},
       "dong-nai",
       4},
      {"the moved dossier first: its legacy copy read later is ignored",
       {{"dong-nai", 4, source_claim::same, true}, {"binh-phuoc", 2, source_claim::moved_copy, false}},
       "dong-nai",
       4},
      {"unrelated sources: the one listed first keeps the key, read first",
       {{"dong-nai", 4, source_claim::same, true}, {"training", 5, source_claim::duplicate_loses, false}},
       "dong-nai",
       4},
      {"unrelated sources: the one listed first keeps the key, read last",
       {{"training", 5, source_claim::same, true}, {"dong-nai", 4, source_claim::duplicate_wins, true}},
       "dong-nai",
       4},
      {"the moved dossier changes later: stored as any change of one source",
       {{"binh-phuoc", 2, source_claim::same, true},
        {"dong-nai", 4, source_claim::moved_in, true},
        {"dong-nai", 5, source_claim::same, true},
        {"binh-phuoc", 2, source_claim::moved_copy, false}},
       "dong-nai",
       5},
  };
  for (const auto& c : cases) {
    INFO("case: ", std::string(c.name));
    auto l = ledger::open(":memory:");
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
      const auto& s = c.steps[i];
      INFO("step ", i, " from ", s.source);
      const auto run = l.begin_run(run_mode::service, 10 + static_cast<instant>(i), 10, 1800);
      auto d = test::make_dossier(side::provincial, "000.00.12.H10-240715-0001");
      d.status = s.status;
      d.status_code = std::to_string(s.status);
      record_source from;
      from.name = s.source;
      from.sources = &rule;
      auto b = l.begin_batch(run, 10);
      CHECK(b.upsert_record(d, facts_of(d), nullptr, &from) == s.changed);
      b.commit();
      CHECK(source_claim_name(from.claim) == source_claim_name(s.claim));
      if (s.claim != source_claim::same) CHECK_FALSE(from.other.empty());
    }
    CHECK(l.provincial_source_of("000.00.12.H10-240715-0001") == c.holder);
    CHECK(l.get_record(side::provincial, "000.00.12.H10-240715-0001")->facts.status == c.status);
  }
}

TEST_CASE("a record of the single unnamed source has no source name; a named source adopts it") {
  const auto rule = sources();
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 10, 10, 1800);
  const auto d = test::make_dossier(side::provincial, "K-1");
  auto b = l.begin_batch(run, 10);
  b.upsert_record(d, facts_of(d));
  CHECK(l.provincial_source_of("K-1") == std::string());
  record_source from;
  from.name = "binh-phuoc";
  from.sources = &rule;
  b.upsert_record(d, facts_of(d), nullptr, &from);
  b.commit();
  CHECK(from.claim == source_claim::same);
  CHECK(l.provincial_source_of("K-1") == "binh-phuoc");
  CHECK_FALSE(l.provincial_source_of("K-2"));
}

TEST_CASE("each named source keeps its own cursor beside the sides'") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 10, 10, 1800);
  {
    auto b = l.begin_batch(run, 10);
    b.set_cursor(side::provincial, "2025-01-01T00:00:00Z");
    b.set_cursor(side::provincial, "dong-nai", "2026-01-01T00:00:00Z");
    b.set_cursor(side::provincial, "binh-phuoc", "2025-06-30T00:00:00Z");
    b.commit();
  }
  CHECK(l.get_cursor(side::provincial) == "2025-01-01T00:00:00Z");
  CHECK(l.get_cursor(side::provincial, "") == "2025-01-01T00:00:00Z");
  CHECK(l.get_cursor(side::provincial, "dong-nai") == "2026-01-01T00:00:00Z");
  CHECK(l.get_cursor(side::provincial, "binh-phuoc") == "2025-06-30T00:00:00Z");
  CHECK_FALSE(l.get_cursor(side::provincial, "training"));
}
