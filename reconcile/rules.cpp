// The rules of docs/rules.md#findings. Every rule is evaluated independently; each kind is raised at most once, with
// the reason of the first branch (in the documented order) that fires.
#include <string>

#include "reconcile/finding.hpp"
#include "reconcile/status.hpp"

namespace dvc {
namespace {

nlohmann::json time_json(const maybe_instant& t) {
  return t ? nlohmann::json(format_vietnam_iso(*t)) : nlohmann::json(nullptr);
}

// Done-ness is unknown when the status code is unknown: rules that need it do not fire (never a guess).
std::optional<bool> done(const dossier_facts& f) {
  if (!f.status) return std::nullopt;
  return is_done(*f.status);
}

bool known_done(const dossier_facts* f) { return f && done(*f) == std::optional<bool>(true); }

bool no_result_document(const dossier_facts* f) { return known_done(f) && f->result_count == 0; }

bool steps_after_completion(const dossier_facts* f) {
  if (!known_done(f)) return false;
  if (f->step_open) return true;
  return f->completed && f->last_step_end && *f->last_step_end > *f->completed;
}

bool completed_before_receipt(const dossier_facts* f) {
  return f && f->completed && f->received && *f->completed < *f->received;
}

// Overdue: completion time > due, or not done and T > due. Unknown when that hangs on an unknown status.
std::optional<bool> overdue(const dossier_facts& f, instant as_of) {
  if (!f.due) return false;
  if (f.completed && *f.completed > *f.due) return true;
  if (as_of <= *f.due) return false;
  const auto d = done(f);
  if (!d) return std::nullopt;
  return !*d;
}

// Which sides a single-side rule fired on, for the finding's details.
nlohmann::json sides(bool provincial, bool national) {
  nlohmann::json out = nlohmann::json::array();
  if (provincial) out.push_back("provincial");
  if (national) out.push_back("national");
  return out;
}

struct field_diff {
  std::string_view name;
  nlohmann::json provincial, national;
};

template <class T>
nlohmann::json opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// A procedure is named by the first two dot-separated segments of its code: national often appends the agency
// that handles it (`1.003560.000.00.00.H10` is procedure `1.003560`; docs/rules.md#field_mismatch).
std::string_view procedure_of(std::string_view code) {
  const auto first = code.find('.');
  if (first == std::string_view::npos) return code;
  return code.substr(0, code.find('.', first + 1));
}

std::vector<field_diff> differing_fields(const dossier_facts& p, const dossier_facts& n) {
  std::vector<field_diff> out;
  if (procedure_of(p.procedure_code) != procedure_of(n.procedure_code))
    out.push_back({"procedure_code", p.procedure_code, n.procedure_code});
  if (p.unit_code != n.unit_code) out.push_back({"unit_code", p.unit_code, n.unit_code});
  if (p.channel != n.channel) out.push_back({"channel", opt(p.channel), opt(n.channel)});
  // A payment a side does not state (national's "") is unknown, not "no": compared only when both sides know it.
  if (p.online_payment && n.online_payment && *p.online_payment != *n.online_payment)
    out.push_back({"online_payment", opt(p.online_payment), opt(n.online_payment)});
  if (p.digitized != n.digitized) out.push_back({"digitised", opt(p.digitized), opt(n.digitized)});
  if (p.received != n.received) out.push_back({"receipt_time", time_json(p.received), time_json(n.received)});
  if (p.completed != n.completed) out.push_back({"completion_time", time_json(p.completed), time_json(n.completed)});
  return out;
}

}  // namespace

evaluation evaluate(const dossier_facts* p, const dossier_facts* n, const evaluation_context& ctx) {
  evaluation ev;
  const instant horizon = ctx.as_of - ctx.grace_s;
  const auto pending = [horizon](const dossier_facts* f) { return f && f->updated && *f->updated > horizon; };
  if (pending(p) || pending(n)) {
    ev.pending = true;
    return ev;
  }
  if (!p && !n) return ev;

  const std::string& key = p ? p->key : n->key;
  const std::string& unit = p && !p->unit_code.empty() ? p->unit_code : (n ? n->unit_code : p->unit_code);
  const auto raise = [&](finding_kind kind, std::string_view why, nlohmann::json details) {
    ev.findings.push_back(finding{key, kind, std::string(why), unit, std::move(details)});
  };

  if (p && !n && !p->registered) raise(finding_kind::missing_on_national, reason::not_pushed, nlohmann::json::object());
  if (n && !p) raise(finding_kind::missing_on_provincial, reason::unknown_code, nlohmann::json::object());

  const bool closed_on_national_only = p && n && known_done(n) && done(*p) == std::optional<bool>(false);
  if (closed_on_national_only) {
    raise(finding_kind::falsely_closed, reason::closed_on_national_only,
          {{"provincial_status", p->status_code}, {"national_status", n->status_code}});
  } else if (no_result_document(p) || no_result_document(n)) {
    raise(finding_kind::falsely_closed, reason::no_result_document,
          {{"sides", sides(no_result_document(p), no_result_document(n))}});
  } else if (steps_after_completion(p) || steps_after_completion(n)) {
    raise(finding_kind::falsely_closed, reason::steps_after_completion,
          {{"sides", sides(steps_after_completion(p), steps_after_completion(n))}});
  } else if (completed_before_receipt(p) || completed_before_receipt(n)) {
    raise(finding_kind::falsely_closed, reason::completed_before_receipt,
          {{"sides", sides(completed_before_receipt(p), completed_before_receipt(n))}});
  }

  if (!p || !n) return ev;

  if (p->status && n->status && *p->status != *n->status && !closed_on_national_only) {
    raise(finding_kind::status_mismatch, is_done(*p->status) ? reason::national_behind : reason::differs,
          {{"provincial_status_code", p->status_code},
           {"provincial_status", *p->status},
           {"national_status", *n->status}});
  }
  if (p->due != n->due) {
    raise(finding_kind::deadline_mismatch, reason::differs,
          {{"provincial_due", time_json(p->due)}, {"national_due", time_json(n->due)}});
  }
  if (overdue(*p, ctx.as_of) == std::optional<bool>(true) && overdue(*n, ctx.as_of) == std::optional<bool>(false)) {
    raise(finding_kind::overdue_hidden, reason::on_time_on_national,
          {{"provincial_due", time_json(p->due)},
           {"provincial_completed", time_json(p->completed)},
           {"national_due", time_json(n->due)},
           {"national_completed", time_json(n->completed)}});
  }
  if (const auto diffs = differing_fields(*p, *n); !diffs.empty()) {
    nlohmann::json names = nlohmann::json::array(), prov = nlohmann::json::object(), nat = nlohmann::json::object();
    for (const auto& d : diffs) {
      names.push_back(d.name);
      prov[std::string(d.name)] = d.provincial;
      nat[std::string(d.name)] = d.national;
    }
    raise(finding_kind::field_mismatch, reason::differs, {{"fields", names}, {"provincial", prov}, {"national", nat}});
  }
  if (p->steps_ended > n->steps_ended) {
    raise(finding_kind::progress_not_synced, reason::missing_steps,
          {{"provincial_steps_ended", p->steps_ended}, {"national_steps_ended", n->steps_ended}});
  }
  return ev;
}

}  // namespace dvc
