#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "reconcile/finding.hpp"
#include "reconcile/wire.hpp"
#include "sim/render.hpp"
#include "sim/world.hpp"

using namespace dvc::sim;

namespace {

// The finding kind each seeded discrepancy must raise; nullopt for none.
std::optional<dvc::finding_kind> expected(defect d) {
  using k = dvc::finding_kind;
  switch (d) {
    case defect::none:
      return std::nullopt;
    case defect::not_pushed:
      return k::missing_on_national;
    case defect::national_only:
      return k::missing_on_provincial;
    case defect::closed_on_national:
    case defect::no_result:
    case defect::steps_after_completion:
    case defect::completed_before_receipt:
      return k::falsely_closed;
    case defect::status_behind:
      return k::status_mismatch;
    case defect::due_differs:
      return k::deadline_mismatch;
    case defect::overdue_hidden:
      return k::overdue_hidden;
    case defect::field_procedure:
    case defect::field_unit:
    case defect::field_channel:
    case defect::field_payment:
    case defect::field_digitized:
    case defect::field_received:
    case defect::field_completed:
      return k::field_mismatch;
    case defect::missing_steps:
      return k::progress_not_synced;
  }
  return std::nullopt;
}

std::optional<dvc::dossier_facts> facts(const world& w, std::uint32_t idx, portal side, const dvc::status_map& map) {
  if (!w.present(idx, side)) return std::nullopt;
  std::string text;
  render(w, idx, side, wire_shape::contract, text);
  const auto j = nlohmann::json::parse(text);
  const auto parsed = side == portal::provincial ? dvc::parse_provincial(j, map) : dvc::parse_national(j);
  CHECK(parsed.warnings.empty());
  return dvc::facts_of(parsed.value);
}

// What the engine got wrong on the world, by what, counted: a seeded discrepancy not reported, or a finding on a
// consistent dossier.
std::map<std::string, std::size_t> misses_of(const world& w, const dvc::evaluation_context& ctx) {
  const dvc::status_map map;
  std::map<std::string, std::size_t> misses;
  for (std::uint32_t idx = 0; idx < w.count(); ++idx) {
    const auto p = facts(w, idx, portal::provincial, map);
    const auto n = facts(w, idx, portal::national, map);
    REQUIRE((p || n));
    if (p && n) REQUIRE(p->key == n->key);  // codes with stray spaces or lower case still match
    const auto result = dvc::evaluate(p ? &*p : nullptr, n ? &*n : nullptr, ctx);
    const auto flaw = w.state(idx).flaw;
    const auto want = expected(flaw);
    if (!want) {
      if (!result.findings.empty()) {
        ++misses[std::string("unexpected ") + std::string(dvc::kind_name(result.findings.front().kind)) +
                 " on a consistent dossier"];
      }
      continue;
    }
    bool found = false;
    for (const auto& f : result.findings) found |= f.kind == *want;
    if (!found) ++misses[std::string(defect_name(flaw)) + " not reported"];
  }
  for (const auto& [what, count] : misses) MESSAGE(what << ": " << count);
  return misses;
}

}  // namespace

TEST_CASE("the engine finds exactly the discrepancies the simulator seeded") {
  const world w({.seed = 3, .dossiers = 30000, .clock_start = 1722445200});
  CHECK(misses_of(w, {.as_of = 1722445200, .grace_s = 1800}).empty());
}

TEST_CASE(
    "today's Đồng Nai: with its successions the engine finds exactly the seeded discrepancies, without them "
    "unit codes alone raise field_mismatch") {
  constexpr std::int64_t dec_2026 = 1796086800;  // 2026-12-01T08:00:00+07:00
  const world w({.seed = 5, .dossiers = 20000, .clock_start = dec_2026, .province = catalog::merged()});
  const auto& successions = w.province().succession_table();
  REQUIRE_FALSE(successions.empty());
  CHECK(misses_of(w, {.as_of = dec_2026, .grace_s = 1800, .successions = &successions}).empty());
  const auto without = misses_of(w, {.as_of = dec_2026, .grace_s = 1800});
  REQUIRE(without.size() == 1);
  CHECK(without.begin()->first == "unexpected field_mismatch on a consistent dossier");
  CHECK(without.begin()->second > 100);
}
