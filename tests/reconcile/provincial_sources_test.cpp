// Several provincial sources (docs/sources.md): building the list, and which source holds a key two sources give.
#include "reconcile/provincial_sources.hpp"

#include <doctest/doctest.h>

using namespace dvc;

namespace {

struct build_case {
  const char* name;
  std::vector<provincial_source> list;
  std::vector<std::string> problems;
};

// Đồng Nai's system is the new one; Bình Phước's legacy system moved its open dossiers to it; a second legacy
// system moved into Bình Phước's before the merger (a chain); the training system is related to none.
provincial_sources sources() {
  auto built = provincial_sources::build(
      {{"dong-nai", {}}, {"binh-phuoc", "dong-nai"}, {"bp-2019", "binh-phuoc"}, {"training", {}}});
  REQUIRE(built.problems.empty());
  return built.value;
}

}  // namespace

TEST_CASE("sources are built, or refused with a message per problem") {
  const std::vector<build_case> cases = {
      {"one source", {{"a", {}}}, {}},
      {"a legacy source and its successor", {{"new", {}}, {"old", "new"}}, {}},
      {"a chain of moves", {{"c", {}}, {"b", "c"}, {"a", "b"}}, {}},
      {"a name given twice", {{"a", {}}, {"a", {}}}, {"source a is named twice"}},
      {"a move to itself", {{"a", "a"}}, {"source a cannot move its dossiers to itself"}},
      {"a move to no source", {{"a", "z"}}, {"source a moves its dossiers to z, which is not a source"}},
      {"a cycle of two", {{"a", "b"}, {"b", "a"}}, {"the moves of sources form a cycle: a → b → a"}},
      {"a cycle of three entered from a chain is reported once, from its first source listed",
       {{"x", "b"}, {"b", "c"}, {"c", "d"}, {"d", "b"}},
       {"the moves of sources form a cycle: b → c → d → b"}},
  };
  for (const auto& c : cases) {
    INFO("case: ", std::string(c.name));
    const auto built = provincial_sources::build(c.list);
    CHECK(built.problems == c.problems);
    CHECK(built.value.empty() == !c.problems.empty());
  }
}

TEST_CASE("a key two sources give belongs to the source a move leads to, else to the source listed first") {
  const auto s = sources();
  struct claim_case {
    std::string stored, incoming;
    source_claim expected;
  };
  const std::vector<claim_case> cases = {
      {"dong-nai", "dong-nai", source_claim::same},
      {"", "binh-phuoc", source_claim::same},    // stored before sources were named: adopted
      {"gone", "dong-nai", source_claim::same},  // a source no longer configured holds nothing
      {"binh-phuoc", "dong-nai", source_claim::moved_in},
      {"dong-nai", "binh-phuoc", source_claim::moved_copy},
      {"bp-2019", "dong-nai", source_claim::moved_in},  // through the chain
      {"dong-nai", "bp-2019", source_claim::moved_copy},
      {"bp-2019", "binh-phuoc", source_claim::moved_in},
      {"training", "dong-nai", source_claim::duplicate_wins},  // unrelated: the one listed first keeps it
      {"dong-nai", "training", source_claim::duplicate_loses},
      {"training", "bp-2019", source_claim::duplicate_wins},
      {"bp-2019", "training", source_claim::duplicate_loses},
  };
  for (const auto& c : cases) {
    INFO(c.stored, " then ", c.incoming);
    CHECK(source_claim_name(s.claim(c.stored, c.incoming)) == source_claim_name(c.expected));
  }
}
