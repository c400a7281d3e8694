// The rules of docs/rules.md#findings. Every rule is evaluated independently; each kind is raised at most once, with
// the reason of the first branch (in the documented order) that fires.
#include <array>
#include <string>

#include "reconcile/finding.hpp"
#include "reconcile/status.hpp"

namespace dvc {
namespace {

using F = canonical_field;

constexpr canonical_set fields(std::initializer_list<F> list) {
  canonical_set out;
  for (const F f : list) out.insert(f);
  return out;
}

// docs/rules.md#unknown-fields: the canonical fields each rule reads of a side. A rule is not evaluated for a side
// on which one of them is unknown (the profile does not provide it, or the record did not give it).
enum rule_id : std::size_t {
  r_missing_on_national,
  r_closed_on_national_only,
  r_no_result_document,
  r_steps_after_completion,
  r_completed_before_receipt,
  r_status_mismatch,
  r_deadline_mismatch,
  r_overdue_hidden,
  r_progress_not_synced,
};
struct rule_need {
  std::string_view name;  // kind/reason as findings name it
  canonical_set fields;
};
constexpr std::array<rule_need, 9> needs{{
    {"missing_on_national/not_pushed", fields({F::status})},
    {"falsely_closed/closed_on_national_only", fields({F::status})},
    {"falsely_closed/no_result_document", fields({F::status, F::results})},
    {"falsely_closed/steps_after_completion", fields({F::status, F::steps, F::completed})},
    {"falsely_closed/completed_before_receipt", fields({F::completed, F::received})},
    {"status_mismatch", fields({F::status})},
    {"deadline_mismatch/differs", fields({F::due})},
    {"overdue_hidden/on_time_on_national", fields({F::due, F::completed, F::status})},
    {"progress_not_synced/missing_steps", fields({F::steps})},
}};

// field_mismatch compares these, each only when known on both sides; `name` as the finding's details name it.
struct compared_field {
  std::string_view name;
  F field;
};
constexpr std::array<compared_field, 7> compared{{{"procedure_code", F::procedure_code},
                                                  {"unit_code", F::unit_code},
                                                  {"channel", F::channel},
                                                  {"online_payment", F::online_payment},
                                                  {"digitised", F::digitised},
                                                  {"receipt_time", F::received},
                                                  {"completion_time", F::completed}}};

// The needed fields unknown on `f`; empty when `f` is absent (a missing side is not an unknown one).
canonical_set missing_of(const dossier_facts* f, canonical_set need) {
  return f ? canonical_set::from_bits(f->unknown.bits() & need.bits()) : canonical_set{};
}

// What could not be checked for one dossier, for the details of every finding it raises:
// `progress_not_synced/missing_steps (national: steps unknown)`.
class unchecked {
 public:
  unchecked(const dossier_facts* p, const dossier_facts* n) : p_(p), n_(n) {}

  // Whether rule `r` may be evaluated on the sides it reads (`p_side`, `n_side`); notes the sides it may not.
  bool check(rule_id r, bool p_side, bool n_side) { return check("", needs[r].name, needs[r].fields, p_side, n_side); }
  // One field of field_mismatch, compared only when known on both sides.
  bool check(const compared_field& c) { return check("field_mismatch/", c.name, fields({c.field}), true, true); }

  std::vector<std::string>& notes() { return notes_; }

 private:
  bool check(std::string_view prefix, std::string_view name, canonical_set need, bool p_side, bool n_side) {
    const canonical_set mp = p_side ? missing_of(p_, need) : canonical_set{};
    const canonical_set mn = n_side ? missing_of(n_, need) : canonical_set{};
    if (!mp.empty()) note(prefix, name, "provincial", mp);
    if (!mn.empty()) note(prefix, name, "national", mn);
    return mp.empty() && mn.empty();
  }
  void note(std::string_view prefix, std::string_view name, std::string_view side, canonical_set missing) {
    notes_.push_back(std::string(prefix) + std::string(name) + " (" + std::string(side) + ": " + missing.names() +
                     " unknown)");
  }
  const dossier_facts* p_;
  const dossier_facts* n_;
  std::vector<std::string> notes_;
};

nlohmann::json time_json(const maybe_instant& t) {
  return t ? nlohmann::json(format_vietnam_iso(*t)) : nlohmann::json(nullptr);
}

// Done-ness is unknown when the status code is unknown: rules that need it do not fire (never a guess).
std::optional<bool> done(const dossier_facts& f) {
  if (!f.status) return std::nullopt;
  return is_done(*f.status);
}

bool known_done(const dossier_facts* f) { return f && done(*f) == std::optional<bool>(true); }

bool knows(const dossier_facts* f, rule_id r) { return f && missing_of(f, needs[r].fields).empty(); }

bool no_result_document(const dossier_facts* f) {
  return knows(f, r_no_result_document) && known_done(f) && f->result_count == 0;
}

bool steps_after_completion(const dossier_facts* f) {
  if (!knows(f, r_steps_after_completion) || !known_done(f)) return false;
  if (f->step_open) return true;
  return f->completed && f->last_step_end && *f->last_step_end > *f->completed;
}

bool completed_before_receipt(const dossier_facts* f) {
  return knows(f, r_completed_before_receipt) && f->completed && f->received && *f->completed < *f->received;
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

// The fields that differ among those known on both sides; the others are noted as not checked.
std::vector<field_diff> differing_fields(const dossier_facts& p, const dossier_facts& n, const evaluation_context& ctx,
                                         unchecked& skipped) {
  std::array<bool, compared.size()> known{};
  for (std::size_t i = 0; i < compared.size(); ++i) known[i] = skipped.check(compared[i]);
  std::vector<field_diff> out;
  if (known[0] && procedure_of(p.procedure_code) != procedure_of(n.procedure_code))
    out.push_back({"procedure_code", p.procedure_code, n.procedure_code});
  // An old code on one side and its successor on the other name one unit (docs/rules.md#unit-successions).
  const auto unit = [&ctx](const std::string& code) -> const std::string& {
    return ctx.successions ? ctx.successions->current(code) : code;
  };
  if (known[1] && unit(p.unit_code) != unit(n.unit_code)) out.push_back({"unit_code", p.unit_code, n.unit_code});
  if (known[2] && p.channel != n.channel) out.push_back({"channel", opt(p.channel), opt(n.channel)});
  // A payment a side does not state (national's "") is unknown, not "no": compared only when both sides know it.
  if (known[3] && p.online_payment && n.online_payment && *p.online_payment != *n.online_payment)
    out.push_back({"online_payment", opt(p.online_payment), opt(n.online_payment)});
  if (known[4] && p.digitized != n.digitized) out.push_back({"digitised", opt(p.digitized), opt(n.digitized)});
  if (known[5] && p.received != n.received)
    out.push_back({"receipt_time", time_json(p.received), time_json(n.received)});
  if (known[6] && p.completed != n.completed)
    out.push_back({"completion_time", time_json(p.completed), time_json(n.completed)});
  return out;
}

}  // namespace

const std::array<std::string_view, 7>& compared_field_names() {
  static constexpr std::array<std::string_view, 7> names = [] {
    std::array<std::string_view, 7> out{};
    for (std::size_t i = 0; i < compared.size(); ++i) out[i] = compared[i].name;
    return out;
  }();
  return names;
}

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
  unchecked skipped(p, n);

  if (p && !n && skipped.check(r_missing_on_national, true, false) && !p->registered)
    raise(finding_kind::missing_on_national, reason::not_pushed, nlohmann::json::object());
  if (n && !p) raise(finding_kind::missing_on_provincial, reason::unknown_code, nlohmann::json::object());

  const bool closed_on_national_only = p && n && skipped.check(r_closed_on_national_only, true, true) &&
                                       known_done(n) && done(*p) == std::optional<bool>(false);
  // Single-side rules are evaluated on each side that knows what they read (the predicates check); the sides that
  // do not are noted.
  skipped.check(r_no_result_document, true, true);
  skipped.check(r_steps_after_completion, true, true);
  skipped.check(r_completed_before_receipt, true, true);
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

  if (p && n) {
    if (skipped.check(r_status_mismatch, true, true) && p->status && n->status && *p->status != *n->status &&
        !closed_on_national_only) {
      raise(finding_kind::status_mismatch, is_done(*p->status) ? reason::national_behind : reason::differs,
            {{"provincial_status_code", p->status_code},
             {"provincial_status", *p->status},
             {"national_status", *n->status}});
    }
    if (skipped.check(r_deadline_mismatch, true, true) && p->due != n->due) {
      raise(finding_kind::deadline_mismatch, reason::differs,
            {{"provincial_due", time_json(p->due)}, {"national_due", time_json(n->due)}});
    }
    if (skipped.check(r_overdue_hidden, true, true) && overdue(*p, ctx.as_of) == std::optional<bool>(true) &&
        overdue(*n, ctx.as_of) == std::optional<bool>(false)) {
      raise(finding_kind::overdue_hidden, reason::on_time_on_national,
            {{"provincial_due", time_json(p->due)},
             {"provincial_completed", time_json(p->completed)},
             {"national_due", time_json(n->due)},
             {"national_completed", time_json(n->completed)}});
    }
    if (const auto diffs = differing_fields(*p, *n, ctx, skipped); !diffs.empty()) {
      nlohmann::json names = nlohmann::json::array(), prov = nlohmann::json::object(), nat = nlohmann::json::object();
      for (const auto& d : diffs) {
        names.push_back(d.name);
        prov[std::string(d.name)] = d.provincial;
        nat[std::string(d.name)] = d.national;
      }
      raise(finding_kind::field_mismatch, reason::differs,
            {{"fields", names}, {"provincial", prov}, {"national", nat}});
    }
    if (skipped.check(r_progress_not_synced, true, true) && p->steps_ended > n->steps_ended) {
      raise(finding_kind::progress_not_synced, reason::missing_steps,
            {{"provincial_steps_ended", p->steps_ended}, {"national_steps_ended", n->steps_ended}});
    }
  }
  // docs/rules.md#unknown-fields: every finding of the dossier says what could not be checked for it.
  if (!skipped.notes().empty())
    for (auto& f : ev.findings) f.details["not_evaluated"] = skipped.notes();
  ev.not_evaluated = std::move(skipped.notes());
  return ev;
}

}  // namespace dvc
