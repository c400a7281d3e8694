#include "reconcile/finding.hpp"

#include "reconcile/status.hpp"

namespace dvc {
namespace {
constexpr std::array<std::string_view, finding_kind_count> kind_names = {
    "missing_on_national", "missing_on_provincial", "falsely_closed", "status_mismatch",
    "deadline_mismatch",   "overdue_hidden",        "field_mismatch", "progress_not_synced"};
}  // namespace

std::string_view kind_name(finding_kind k) { return kind_names[static_cast<std::size_t>(k)]; }

std::optional<finding_kind> kind_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kind_names.size(); ++i)
    if (kind_names[i] == name) return static_cast<finding_kind>(i);
  return std::nullopt;
}

const std::array<finding_kind, finding_kind_count>& all_kinds() {
  static constexpr std::array<finding_kind, finding_kind_count> kinds = {
      finding_kind::missing_on_national, finding_kind::missing_on_provincial, finding_kind::falsely_closed,
      finding_kind::status_mismatch,     finding_kind::deadline_mismatch,     finding_kind::overdue_hidden,
      finding_kind::field_mismatch,      finding_kind::progress_not_synced};
  return kinds;
}

const std::array<kind_reason, 12>& all_kind_reasons() {
  using k = finding_kind;
  static constexpr std::array<kind_reason, 12> pairs = {{{k::missing_on_national, reason::not_pushed},
                                                         {k::missing_on_provincial, reason::unknown_code},
                                                         {k::falsely_closed, reason::closed_on_national_only},
                                                         {k::falsely_closed, reason::no_result_document},
                                                         {k::falsely_closed, reason::steps_after_completion},
                                                         {k::falsely_closed, reason::completed_before_receipt},
                                                         {k::status_mismatch, reason::national_behind},
                                                         {k::status_mismatch, reason::differs},
                                                         {k::deadline_mismatch, reason::differs},
                                                         {k::overdue_hidden, reason::on_time_on_national},
                                                         {k::field_mismatch, reason::differs},
                                                         {k::progress_not_synced, reason::missing_steps}}};
  return pairs;
}

namespace {
nlohmann::json time_json(const maybe_instant& t) {
  return t ? nlohmann::json(format_vietnam_iso(*t)) : nlohmann::json(nullptr);
}
template <class T>
nlohmann::json opt_json(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json summarize(const dossier_facts& f) {
  return {{"code", f.code},
          {"status_code", f.status_code},
          {"status", opt_json(f.status)},
          {"status_label", f.status ? std::string(national_status_label(*f.status)) : std::string()},
          {"unit_code", f.unit_code},
          {"procedure_code", f.procedure_code},
          {"channel", opt_json(f.channel)},
          {"online_payment", opt_json(f.online_payment)},
          {"digitized", opt_json(f.digitized)},
          {"received", time_json(f.received)},
          {"due", time_json(f.due)},
          {"completed", time_json(f.completed)},
          {"updated", time_json(f.updated)},
          {"results", f.result_count},
          {"steps_ended", f.steps_ended},
          {"step_open", f.step_open}};
}

}  // namespace dvc
