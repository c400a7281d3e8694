#include "sim/dossier_view.hpp"

#include <algorithm>

#include "sim/mix.hpp"

namespace dvc::sim {
namespace {

enum tag : std::uint64_t { tag_flaw_detail = 103 };

// The status a side shows once it has seen `stage` events of a dossier with `steps` steps.
national_status status_at(int stage, int steps, const std::optional<national_status>& frozen) {
  using st = national_status;
  if (frozen && stage >= 1) return *frozen;
  if (stage == 0) return st::registered;
  if (stage == 1) return st::received;
  if (stage < steps) return st::processing;
  return stage == steps ? st::processed : st::returned;
}

// Steps ended so far, plus the open one unless the dossier stopped or finished; named by their place in the
// procedure (reception, checks, signature). Each step's deadline is its share of the statutory time.
void lay_steps(dossier_view& v, const std::array<std::int64_t, max_steps + 1>& events, int stage, int steps,
               bool frozen) {
  if (stage == 0) return;
  static constexpr std::array<std::array<step_role, max_steps>, 3> plans{{
      {step_role::reception, step_role::appraise, step_role::sign},
      {step_role::reception, step_role::appraise, step_role::review, step_role::sign},
      {step_role::reception, step_role::verify, step_role::appraise, step_role::review, step_role::sign},
  }};
  const auto& plan = plans[static_cast<std::size_t>(steps - 3)];
  const auto step_due = [&](int k) { return v.received + (v.due - v.received) * (k + 1) / steps; };
  const int ended = std::min(stage, steps);
  for (int k = 0; k < ended; ++k) {
    v.steps[v.step_count++] = {plan[static_cast<std::size_t>(k)], k == 0 ? v.received : events[k - 1], events[k],
                               step_due(k)};
  }
  if (ended < steps && !frozen) {
    v.steps[v.step_count++] = {plan[static_cast<std::size_t>(ended)], events[ended - 1], absent, step_due(ended)};
  }
}

// What the side has seen of the dossier's progress, with no discrepancy.
dossier_view progress_view(const world& w, std::uint32_t idx, portal side) {
  const auto& s = w.state(idx);
  const auto t = w.traits_of(idx);
  const auto events = w.event_times(idx);
  const int steps = t.steps;
  const int stage = side == portal::provincial ? s.stage : s.nat_stage;
  dossier_view v;
  v.unit = s.unit;
  v.procedure = s.procedure;
  v.how = t.how;
  v.paid_online = t.online_payment;
  v.digitized = t.digitized;
  v.received = w.unix_of(s.applied);
  v.due = w.due_time(idx);
  v.updated = w.updated_on(idx, side);
  v.status = status_at(stage, steps, t.frozen);
  lay_steps(v, events, stage, steps, t.frozen.has_value());
  if (is_done(v.status)) {
    v.completed = events[steps - 1];
    v.has_result = true;
  }
  if (v.status == national_status::returned) v.returned = events[steps];
  return v;
}

// National says the result was returned ten minutes before its last update, with a result document.
void close_falsely(dossier_view& v) {
  v.status = national_status::returned;
  v.completed = v.updated - 600;
  v.returned = v.updated;
  v.has_result = true;
}

// Done, but a step is still open or ended after the completion time.
void work_after_completion(dossier_view& v, portal side, draw& g) {
  if (v.completed == absent) return;
  if (side == portal::national) {
    const auto start = v.completed + 3600;
    v.steps[v.step_count++] = {step_role::amend, start, start + 1800 + g.below(86400), v.due};
  } else if (v.step_count >= 2) {
    v.steps[v.step_count - 2].end = absent;
  }
}

// The receipt time is one to four days after completion.
void receive_after_completion(dossier_view& v, draw& g) {
  if (v.completed != absent) v.received = v.completed + 86400 + g.below(86400 * 3);
}

void shift_due(dossier_view& v, draw& g) {
  v.due += (g.chance(0.5) ? 1 : -1) * static_cast<std::int64_t>(1 + g.below(3)) * 86400;
}

// A due date after the completion (or far in the future) hides an overdue dossier.
void hide_overdue(dossier_view& v) {
  v.due = v.completed != absent ? v.completed + 86400 : std::max(v.due, v.updated) + 60 * 86400;
}

// The next procedure the unit handles, in the catalog's order.
void other_procedure(const world& w, dossier_view& v) {
  const auto list = w.province().procedures_of(v.unit);
  const auto it = std::find(list.begin(), list.end(), v.procedure);
  if (it != list.end()) v.procedure = list[static_cast<std::size_t>(it - list.begin() + 1) % list.size()];
}

// The next unit of the same level, in the catalog's order, that is not the same unit once successions are read;
// the dossier stays put when it has no peer.
void other_unit(const world& w, dossier_view& v) {
  const auto& p = w.province();
  const auto count = p.units().size();
  for (std::size_t step = 1; step < count; ++step) {
    const auto u = static_cast<std::uint16_t>((v.unit + step) % count);
    if (p.same_level(u, v.unit) && p.current(u) != p.current(v.unit)) {
      v.unit = u;
      return;
    }
  }
}

void shift_completion(dossier_view& v, draw& g) {
  if (v.completed == absent) return;
  v.completed += 3600 * (1 + g.below(24));
  if (v.returned != absent) v.returned = std::max(v.returned, v.completed);
}

// National lacks an ended step in the middle (the push of that step never landed).
void drop_step(dossier_view& v) {
  if (v.step_count < 3) return;
  std::copy(v.steps.begin() + 2, v.steps.begin() + static_cast<std::ptrdiff_t>(v.step_count), v.steps.begin() + 1);
  --v.step_count;
}

// The dossier's discrepancy, on the side it lives on: one-side defects on the side drawn for the dossier,
// differences between the sides always on national.
void apply_flaw(const world& w, std::uint32_t idx, portal side, dossier_view& v) {
  const auto flaw = w.state(idx).flaw;
  const bool here = w.traits_of(idx).flaw_on_national == (side == portal::national);
  draw g(mix({w.config().seed, tag_flaw_detail, idx}));
  if (flaw == defect::no_result && here) v.has_result = false;
  if (flaw == defect::steps_after_completion && here) work_after_completion(v, side, g);
  if (flaw == defect::completed_before_receipt && here) receive_after_completion(v, g);
  if (side != portal::national) return;
  switch (flaw) {
    case defect::closed_on_national:
      close_falsely(v);
      break;
    case defect::due_differs:
      shift_due(v, g);
      break;
    case defect::overdue_hidden:
      hide_overdue(v);
      break;
    case defect::field_procedure:
      other_procedure(w, v);
      break;
    case defect::field_unit:
      other_unit(w, v);
      break;
    case defect::field_channel:
      v.how = v.how == channel::online ? channel::in_person : channel::online;
      break;
    case defect::field_payment:
      v.paid_online = !v.paid_online;
      break;
    case defect::field_digitized:
      v.digitized = !v.digitized;
      break;
    case defect::field_received:
      v.received -= 86400;
      break;
    case defect::field_completed:
      shift_completion(v, g);
      break;
    case defect::missing_steps:
      drop_step(v);
      break;
    case defect::none:
    case defect::not_pushed:
    case defect::national_only:
    case defect::status_behind:
    case defect::no_result:
    case defect::steps_after_completion:
    case defect::completed_before_receipt:
      break;
  }
}

}  // namespace

dossier_view view_of(const world& w, std::uint32_t idx, portal side) {
  auto v = progress_view(w, idx, side);
  apply_flaw(w, idx, side, v);
  // After the flaw: a unit moved by field_unit is still another unit once resolved.
  const auto quirk = w.traits_of(idx).successor;
  if (quirk == (side == portal::national ? successor_quirk::national : successor_quirk::provincial)) {
    v.unit = w.province().current(v.unit);
  }
  return v;
}

}  // namespace dvc::sim
