#pragma once
// Findings (docs/rules.md#findings): kinds, reasons, and the result of evaluating one dossier at an instant.
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/dossier.hpp"
#include "reconcile/unit_successions.hpp"

namespace dvc {

enum class finding_kind : std::uint8_t {
  missing_on_national,
  missing_on_provincial,
  falsely_closed,
  status_mismatch,
  deadline_mismatch,
  overdue_hidden,
  field_mismatch,
  progress_not_synced,
};
inline constexpr std::size_t finding_kind_count = 8;

std::string_view kind_name(finding_kind k);
std::optional<finding_kind> kind_from_name(std::string_view name);
const std::array<finding_kind, finding_kind_count>& all_kinds();

// Reasons, as written on the wire and in the ledger.
namespace reason {
inline constexpr std::string_view not_pushed = "not_pushed";
inline constexpr std::string_view unknown_code = "unknown_code";
inline constexpr std::string_view closed_on_national_only = "closed_on_national_only";
inline constexpr std::string_view no_result_document = "no_result_document";
inline constexpr std::string_view steps_after_completion = "steps_after_completion";
inline constexpr std::string_view completed_before_receipt = "completed_before_receipt";
inline constexpr std::string_view national_behind = "national_behind";
inline constexpr std::string_view differs = "differs";
inline constexpr std::string_view on_time_on_national = "on_time_on_national";
inline constexpr std::string_view missing_steps = "missing_steps";
}  // namespace reason

// Every (kind, reason) pair the rules can raise, in the order of docs/rules.md#findings: what a table of labels
// (reports/labels_vi.json) must cover.
struct kind_reason {
  finding_kind kind;
  std::string_view reason;
};
const std::array<kind_reason, 12>& all_kind_reasons();

// Lifecycle states (docs/rules.md#lifecycle). `reopened` is an open state.
namespace state {
inline constexpr std::string_view open = "open";
inline constexpr std::string_view resolved = "resolved";
inline constexpr std::string_view reopened = "reopened";
}  // namespace state
inline constexpr std::array<std::string_view, 3> all_states = {state::open, state::resolved, state::reopened};
inline bool is_open_state(std::string_view s) { return s == state::open || s == state::reopened; }

struct finding {
  std::string key;
  finding_kind kind{};
  std::string reason;
  std::string unit_code;
  nlohmann::json details = nlohmann::json::object();
};

struct evaluation_context {
  instant as_of = 0;            // T
  std::int64_t grace_s = 1800;  // G
  // Unit codes are compared as their current units (docs/rules.md#unit-successions); null: as given.
  const unit_successions* successions = nullptr;
};

struct evaluation {
  bool pending = false;           // updated later than T − G on a side: nothing raised or resolved
  std::vector<finding> findings;  // at most one per kind, in kind order
  // What could not be checked because a field is unknown on a side (docs/rules.md#unknown-fields):
  // `progress_not_synced/missing_steps (national: steps unknown)`; empty when everything was.
  std::vector<std::string> not_evaluated;
};

// Evaluate every rule of docs/rules.md#findings for one dossier; either side may be absent, not both.
evaluation evaluate(const dossier_facts* provincial, const dossier_facts* national, const evaluation_context& ctx);

// The names field_mismatch gives the fields it compares (docs/rules.md#field_mismatch), in its order.
const std::array<std::string_view, 7>& compared_field_names();

// A one-side summary for finding output (`provincial` / `national` members of a finding, docs/cli.md#findings).
nlohmann::json summarize(const dossier_facts& f);

}  // namespace dvc
