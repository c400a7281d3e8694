// docs/rules.md#unknown-fields: a rule that needs a field unknown on a side is not evaluated for that side, and the
// findings of the dossier say what could not be checked.
#include <doctest/doctest.h>

#include <functional>
#include <set>

#include "tests/reconcile/fixtures.hpp"

using namespace dvc;
using namespace dvc::test;

namespace {

using F = canonical_field;

struct result {
  std::set<std::string> raised;
  std::vector<std::string> not_evaluated;
  nlohmann::json details_not_evaluated;  // of the first finding, null when none or absent
};

result evaluate_facts(const std::optional<dossier_facts>& p, const std::optional<dossier_facts>& n) {
  const auto ev = evaluate(p ? &*p : nullptr, n ? &*n : nullptr, {case_as_of(), 1800});
  result r;
  for (const auto& f : ev.findings) r.raised.insert(std::string(kind_name(f.kind)) + "/" + f.reason);
  r.not_evaluated = ev.not_evaluated;
  if (!ev.findings.empty()) r.details_not_evaluated = ev.findings[0].details.value("not_evaluated", nlohmann::json());
  return r;
}

dossier_facts provincial() { return facts_of(parse_provincial(provincial_base(), {}).value); }
dossier_facts national() { return facts_of(parse_national(national_base()).value); }

}  // namespace

TEST_CASE("rules needing an unknown field are not evaluated for that side") {
  struct row {
    const char* what;
    std::function<void(dossier_facts& p, dossier_facts& n)> change;
    std::set<std::string> raised;
    std::vector<std::string> not_evaluated;
  };
  const std::vector<row> rows{
      {"both sides agree and know everything", [](dossier_facts&, dossier_facts&) {}, {}, {}},
      {"national steps unknown: progress is not compared",
       [](dossier_facts&, dossier_facts& n) {
         n.unknown.insert(F::steps);
         n.steps_ended = 0;
       },
       {},
       {"falsely_closed/steps_after_completion (national: steps unknown)",
        "progress_not_synced/missing_steps (national: steps unknown)"}},
      {"the same with steps known: the missing steps are found",
       [](dossier_facts&, dossier_facts& n) { n.steps_ended = 0; },
       {"progress_not_synced/missing_steps"},
       {}},
      {"national results unknown: a done dossier without documents is not falsely closed",
       [](dossier_facts&, dossier_facts& n) {
         n.unknown.insert(F::results);
         n.result_count = 0;
       },
       {},
       {"falsely_closed/no_result_document (national: results unknown)"}},
      {"national due unknown: deadlines are not compared",
       [](dossier_facts&, dossier_facts& n) {
         n.unknown.insert(F::due);
         n.due.reset();
       },
       {},
       {"deadline_mismatch/differs (national: due unknown)",
        "overdue_hidden/on_time_on_national (national: due unknown)"}},
      {"digitised unknown on national: that field is not compared, the others are",
       [](dossier_facts&, dossier_facts& n) {
         n.unknown.insert(F::digitised);
         n.digitized = false;
         n.channel = 1;
       },
       {"field_mismatch/differs"},
       {"field_mismatch/digitised (national: digitised unknown)"}},
      {"provincial status unknown: status rules are not evaluated",
       [](dossier_facts& p, dossier_facts&) {
         p.unknown.insert(F::status);
         p.status.reset();
       },
       {},
       {"falsely_closed/closed_on_national_only (provincial: status unknown)",
        "falsely_closed/no_result_document (provincial: status unknown)",
        "falsely_closed/steps_after_completion (provincial: status unknown)",
        "status_mismatch (provincial: status unknown)",
        "overdue_hidden/on_time_on_national (provincial: status unknown)"}},
      {"completion unknown on both sides",
       [](dossier_facts& p, dossier_facts& n) {
         p.unknown.insert(F::completed);
         n.unknown.insert(F::completed);
         n.completed.reset();
       },
       {},
       {"falsely_closed/steps_after_completion (provincial: completed unknown)",
        "falsely_closed/steps_after_completion (national: completed unknown)",
        "falsely_closed/completed_before_receipt (provincial: completed unknown)",
        "falsely_closed/completed_before_receipt (national: completed unknown)",
        "overdue_hidden/on_time_on_national (provincial: completed unknown)",
        "overdue_hidden/on_time_on_national (national: completed unknown)",
        "field_mismatch/completion_time (provincial: completed unknown)",
        "field_mismatch/completion_time (national: completed unknown)"}},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    auto p = provincial();
    auto n = national();
    r.change(p, n);
    const auto got = evaluate_facts(p, n);
    CHECK(got.raised == r.raised);
    CHECK(got.not_evaluated == r.not_evaluated);
    if (!got.raised.empty())
      CHECK(got.details_not_evaluated ==
            (r.not_evaluated.empty() ? nlohmann::json() : nlohmann::json(r.not_evaluated)));
  }
}

TEST_CASE("one side only: single-side rules follow that side's unknown fields") {
  auto p = provincial();
  p.result_count = 0;
  CHECK(evaluate_facts(p, std::nullopt).raised ==
        std::set<std::string>{"missing_on_national/not_pushed", "falsely_closed/no_result_document"});
  p.unknown.insert(F::results);
  const auto got = evaluate_facts(p, std::nullopt);
  CHECK(got.raised == std::set<std::string>{"missing_on_national/not_pushed"});
  CHECK(got.details_not_evaluated ==
        nlohmann::json::array({"falsely_closed/no_result_document (provincial: results unknown)"}));
  // A registered dossier (its profile's `new` status) is not expected on national.
  p.registered = true;
  CHECK(evaluate_facts(p, std::nullopt).raised.empty());
}
