#include "sim/world.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "sim/civil_time.hpp"
#include "sim/mix.hpp"

namespace dvc::sim {
namespace {

// Hash domains, so that draws for different purposes are independent.
enum tag : std::uint64_t {
  tag_traits = 1,
  tag_place,
  tag_plan,
  tag_flaw,
  tag_tick,
  tag_push,
  tag_mutate,
  tag_drift,
  tag_probe,
  tag_legacy,
};

// The share of a legacy source's dossiers that were moved to the new one (docs/simulator.md#legacy-source).
constexpr double moved_share = 0.25;

constexpr std::uint16_t saturate_minutes(std::int64_t seconds) {
  if (seconds <= 0) return 0;
  return static_cast<std::uint16_t>(std::min<std::int64_t>(seconds / 60, 0xffff));
}

struct flaw_weight {
  defect kind;
  double percent;
};
// Roughly one dossier in seven carries a discrepancy; pushes that never land add more while running.
constexpr std::array<flaw_weight, defect_count - 1> flaw_weights{{
    {defect::not_pushed, 2.5},
    {defect::national_only, 1.0},
    {defect::closed_on_national, 0.8},
    {defect::no_result, 1.0},
    {defect::steps_after_completion, 0.6},
    {defect::completed_before_receipt, 0.4},
    {defect::status_behind, 2.0},
    {defect::due_differs, 1.0},
    {defect::overdue_hidden, 0.8},
    {defect::field_procedure, 0.3},
    {defect::field_unit, 0.3},
    {defect::field_channel, 0.4},
    {defect::field_payment, 0.4},
    {defect::field_digitized, 0.4},
    {defect::field_received, 0.4},
    {defect::field_completed, 0.4},
    {defect::missing_steps, 0.8},
}};

bool in_progress(const world& w, std::uint32_t idx) {
  const auto& s = w.state(idx);
  const auto t = w.traits_of(idx);
  return (s.flags & on_provincial) != 0 && !t.frozen && s.stage <= t.steps;
}

bool closable(const world& w, std::uint32_t idx) {
  const auto& s = w.state(idx);
  const auto t = w.traits_of(idx);
  return s.flaw == defect::none && (s.flags & on_national) != 0 && (s.flags & on_provincial) != 0 && !t.frozen &&
         s.stage >= 1 && s.stage < t.steps;
}

bool correctable(const world& w, std::uint32_t idx) {
  const auto& s = w.state(idx);
  return s.flaw != defect::none && s.flaw != defect::national_only;
}

}  // namespace

std::string_view defect_name(defect d) {
  static constexpr std::array<std::string_view, defect_count> names{"none",
                                                                    "not_pushed",
                                                                    "national_only",
                                                                    "closed_on_national",
                                                                    "no_result",
                                                                    "steps_after_completion",
                                                                    "completed_before_receipt",
                                                                    "status_behind",
                                                                    "due_differs",
                                                                    "overdue_hidden",
                                                                    "field_procedure",
                                                                    "field_unit",
                                                                    "field_channel",
                                                                    "field_payment",
                                                                    "field_digitized",
                                                                    "field_received",
                                                                    "field_completed",
                                                                    "missing_steps"};
  return names[static_cast<std::size_t>(d)];
}

world::world(world_config config) : config_(config) {
  // At most 5000 dossiers a day keeps NNNN within four digits.
  base_days_ = std::max<std::uint32_t>(365, (config_.dossiers + 4999) / 5000);
  const std::int64_t today = (config_.clock_start + vn_offset_s) / 86400;
  // A reorganisation of the last two years shows in the base data: it starts 90 days before the first era that
  // began since (docs/simulator.md#the-world).
  for (const auto& era : province().eras()) {
    if (era.start == INT64_MIN || era.start >= config_.clock_start) continue;
    const auto span = today - (era.start + vn_offset_s) / 86400 + 90;
    if (span <= 730) base_days_ = std::max(base_days_, static_cast<std::uint32_t>(span));
    break;
  }
  first_day_ = today - base_days_;
  epoch_ = (first_day_ - 1) * 86400 - vn_offset_s;
  prov_.by_unit.resize(province().units().size());
  nat_.by_unit.resize(province().units().size());
  leg_.by_unit.resize(province().units().size());
  generate_base();
  if (config_.legacy_source) {
    for (std::uint32_t idx = 0; idx < states_.size(); ++idx) place_in_source(idx);
  }
  std::vector<std::uint32_t> all(states_.size());
  for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
  reindex(std::move(all));
}

traits world::traits_of(std::uint32_t idx) const {
  draw g(mix({config_.seed, tag_traits, idx}));
  traits t{};
  t.steps = static_cast<std::uint8_t>(3 + g.below(3));
  const auto roll = g.below(100);
  t.how = roll < 55 ? channel::online : roll < 97 ? channel::in_person : channel::post;
  t.digitized = t.how == channel::online || g.chance(0.8);
  t.online_payment = t.how == channel::online && g.chance(0.6);
  const auto who = g.below(100);
  t.applicant_type = who < 80 ? 1 : who < 95 ? 2 : who < 99 ? 3 : 4;
  using st = national_status;
  static constexpr std::array<national_status, 5> stops{st::not_accepted, st::supplement_requested,
                                                        st::financial_obligation, st::withdrawn, st::stopped};
  if (g.chance(0.035)) t.frozen = stops[g.below(5)];
  t.zulu = g.chance(0.4);
  t.code = g.chance(0.02) ? static_cast<code_quirk>(1 + g.below(4)) : code_quirk::none;
  t.numeric = g.chance(0.03);
  t.text = g.chance(0.03) ? static_cast<text_quirk>(1 + g.below(2)) : text_quirk::none;
  t.flaw_on_national = g.chance(0.5);
  t.payment_variant = g.chance(0.3) ? 1 : 0;
  t.payment_unknown = g.chance(0.03);
  t.procedure_suffix = g.chance(0.2);
  t.unpushed = static_cast<unpushed_form>(g.below(3));
  t.english_first = g.chance(0.3);
  t.completion_omitted = g.chance(0.5);
  // One dossier of an old unit in five is shown under the successor's code on one side, mostly national's.
  const bool succeeded = idx < states_.size() && province().current(states_[idx].unit) != states_[idx].unit;
  if (g.chance(0.2) && succeeded) t.successor = g.chance(0.7) ? successor_quirk::national : successor_quirk::provincial;
  return t;
}

std::uint32_t world::offset_of(std::int64_t unix_time) const {
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(unix_time - epoch_, 0, UINT32_MAX));
}

std::uint64_t world::first_of_day(std::uint64_t day) const {
  return (day * config_.dossiers + base_days_ - 1) / base_days_;
}

std::array<std::int64_t, max_steps + 1> world::event_times(std::uint32_t idx) const {
  const auto& s = states_[idx];
  std::array<std::int64_t, max_steps + 1> out{};
  std::int64_t t = unix_of(s.applied);
  for (std::size_t k = 0; k < out.size(); ++k) {
    t += static_cast<std::int64_t>(s.gap[k]) * 60;
    out[k] = t;
  }
  return out;
}

std::int64_t world::due_time(std::uint32_t idx) const {
  const auto& s = states_[idx];
  return unix_of(s.applied) + static_cast<std::int64_t>(province().procedures()[s.procedure].days) * 86400;
}

std::int64_t world::code_day(std::uint32_t idx) const { return (unix_of(states_[idx].applied) + vn_offset_s) / 86400; }

void world::plan(std::uint32_t idx, record_state& s) const {
  draw g(mix({config_.seed, tag_place, idx}));
  // Only the units receiving dossiers on the day: old codes before a reorganisation, new ones after.
  const auto& era = province().era_at(unix_of(s.applied));
  auto pick = g.below(era.total_weight);
  for (const auto u : era.units) {
    if (pick < province().units()[u].weight) {
      s.unit = u;
      break;
    }
    pick -= province().units()[u].weight;
  }
  const auto choices = province().procedures_of(s.unit);
  s.procedure = choices[g.below(static_cast<std::uint32_t>(choices.size()))];

  // Planned durations: most dossiers finish well inside the statutory time, about one in fourteen overruns.
  draw p(mix({config_.seed, tag_plan, idx}));
  const auto steps = traits_of(idx).steps;
  const double factor = p.chance(0.07) ? 1.05 + p.unit() * 0.8 : 0.15 + p.unit() * 0.8;
  const double total_min = province().procedures()[s.procedure].days * 1440.0 * factor;
  const std::uint32_t reception = 5 + p.below(240);
  std::array<std::uint32_t, max_steps> weight{};
  std::uint32_t weight_sum = 0;
  for (int k = 1; k < steps; ++k) weight_sum += weight[k] = 1 + p.below(4);
  s.gap[0] = static_cast<std::uint16_t>(reception);
  const double rest = std::max(60.0, total_min - reception);
  for (int k = 1; k < steps; ++k)
    s.gap[k] = saturate_minutes(static_cast<std::int64_t>(rest * weight[k] / weight_sum) * 60);
  s.gap[steps] = static_cast<std::uint16_t>(30 + p.below(4320));
}

void world::generate_base() {
  const std::uint32_t n = config_.dossiers;
  states_.resize(n);
  const std::int64_t cut = config_.clock_start - 60;
  for (std::uint32_t idx = 0; idx < n; ++idx) {
    auto& s = states_[idx];
    const std::uint64_t day = static_cast<std::uint64_t>(idx) * base_days_ / n;
    const std::uint64_t first = first_of_day(day);
    const std::uint64_t in_day = std::max<std::uint64_t>(1, first_of_day(day + 1) - first);
    // Office hours 07:30–17:00, arrivals spread over the day in index order.
    const std::int64_t opening = (first_day_ + static_cast<std::int64_t>(day)) * 86400 - vn_offset_s + 27000;
    draw g(mix({config_.seed, tag_plan, idx, 1}));
    const std::int64_t applied = opening + static_cast<std::int64_t>(((idx - first) * 34200 + g.below(34200)) / in_day);
    s.applied = offset_of(applied);
    s.seq = static_cast<std::uint16_t>(idx - first + 1);
    plan(idx, s);

    const auto t = traits_of(idx);
    const auto events = event_times(idx);
    std::uint8_t stage = 0;
    while (stage <= t.steps && events[stage] <= cut) ++stage;
    std::int64_t last = stage == 0 ? applied : events[stage - 1];
    if (t.frozen && stage > 1) {
      // Stopped after reception: the decision (withdrawal, request for more papers …) came a few hours later.
      stage = 1;
      last = std::min(cut, events[0] + 3600 * (1 + g.below(48)));
    }
    s.stage = stage;
    s.updated = offset_of(last);
    s.flags = on_provincial;
    if (stage >= 1) {
      s.flags |= on_national;
      s.nat_stage = stage;
      s.nat_updated = offset_of(std::min(cut, last + 30 + g.below(900)));
    }
    assign_flaw(idx, cut);
  }
}

void world::assign_flaw(std::uint32_t idx, std::int64_t now) {
  auto& s = states_[idx];
  const auto t = traits_of(idx);
  if (s.stage == 0) return;
  draw g(mix({config_.seed, tag_flaw, idx}));
  double roll = g.unit() * 100;
  defect chosen = defect::none;
  for (const auto& w : flaw_weights) {
    if (roll < w.percent) {
      chosen = w.kind;
      break;
    }
    roll -= w.percent;
  }
  const bool frozen = t.frozen.has_value();
  const bool done = !frozen && s.stage >= t.steps;
  const auto events = event_times(idx);
  const std::int64_t due = due_time(idx);
  const bool overdue = done ? events[t.steps - 1] > due : now > due;
  bool fits = false;
  switch (chosen) {
    case defect::none:
      return;
    case defect::field_procedure:
      fits = province().procedures_of(s.unit).size() > 1;
      break;
    case defect::field_unit:
      fits = province().has_peer(s.unit);
      break;
    case defect::not_pushed:
    case defect::national_only:
    case defect::due_differs:
    case defect::field_channel:
    case defect::field_payment:
    case defect::field_digitized:
    case defect::field_received:
      fits = true;
      break;
    case defect::closed_on_national:
      fits = !frozen && s.stage < t.steps;
      break;
    case defect::no_result:
    case defect::steps_after_completion:
    case defect::completed_before_receipt:
    case defect::field_completed:
      fits = done;
      break;
    case defect::status_behind:
      fits = !frozen && s.stage >= 2;
      break;
    case defect::overdue_hidden:
      fits = !frozen && overdue;
      break;
    case defect::missing_steps:
      fits = !frozen && s.stage >= 2;
      break;
  }
  if (!fits) return;
  s.flaw = chosen;
  if (chosen == defect::not_pushed) {
    s.flags &= static_cast<std::uint8_t>(~on_national);
    s.nat_stage = 0;
  } else if (chosen == defect::national_only) {
    s.flags = on_national;
  } else if (chosen == defect::status_behind) {
    // National must show another status, not just fewer steps: a processing dossier is stuck at reception
    // there, a finished one at any earlier stage.
    s.nat_stage = s.stage < t.steps ? 1 : static_cast<std::uint8_t>(1 + g.below(s.stage - 1u));
  }
}

// docs/simulator.md#legacy-source: a dossier received by a unit before a succession retired it is held by the
// legacy source; one in four of them was moved to the new source, the legacy source keeping a copy as it stood
// then. Arrivals are never moved (stage 0 when placed).
void world::place_in_source(std::uint32_t idx) {
  auto& s = states_[idx];
  if ((s.flags & on_provincial) == 0 || province().current(s.unit) == s.unit) return;
  s.flags |= in_legacy;
  if (s.stage == 0 || !draw(mix({config_.seed, tag_legacy, idx})).chance(moved_share)) return;
  // The copy stops at the stage the dossier had when its unit was retired, and at least one stage before the
  // live one; a copy still processing beside a live record processing is put back to reception, so the copy
  // always shows an earlier status than the live record, now and after any later progress.
  const auto steps = traits_of(idx).steps;
  const auto events = event_times(idx);
  const auto until = province().units()[s.unit].until;
  int stage = 0;
  while (stage < s.stage && events[static_cast<std::size_t>(stage)] < until) ++stage;
  stage = std::min(stage, s.stage - 1);
  if (stage >= 2 && s.stage < steps) stage = 1;
  record_state copy = s;
  copy.stage = static_cast<std::uint8_t>(stage);
  copy.updated = stage == 0 ? s.applied : offset_of(events[static_cast<std::size_t>(stage) - 1]);
  copy.flaw = defect::none;
  if (stage == 0) copy.flags &= static_cast<std::uint8_t>(~on_national);  // pushed at reception, not before
  s.flags |= moved_to_new;
  legacy_copies_.emplace(idx, copy);
}

std::int64_t world::legacy_updated(std::uint32_t idx) const {
  const auto it = legacy_copies_.find(idx);
  return unix_of(it == legacy_copies_.end() ? states_[idx].updated : it->second.updated);
}

void world::push_now(std::uint32_t idx, std::int64_t stamp) {
  auto& s = states_[idx];
  s.nat_stage = s.stage;
  s.nat_updated = offset_of(stamp);
  s.flags |= on_national;
}

bool world::advance(std::uint32_t idx, std::int64_t stamp, bool push_at_once) {
  if (!in_progress(*this, idx)) return false;
  auto& s = states_[idx];
  const auto t = traits_of(idx);
  const std::int64_t previous = s.stage == 0 ? unix_of(s.applied) : event_times(idx)[s.stage - 1];
  s.gap[s.stage] = saturate_minutes(stamp - previous);
  ++s.stage;
  s.updated = offset_of(stamp);
  if (s.flaw == defect::closed_on_national && s.stage >= t.steps) s.flaw = defect::none;
  if (s.flaw == defect::not_pushed || s.flaw == defect::status_behind) return true;
  if (push_at_once) {
    push_now(idx, stamp);
    return true;
  }
  // Most pushes land at once, some a few ticks later, a few never.
  draw g(mix({config_.seed, tag_push, idx, s.stage, s.version}));
  const auto roll = g.below(100);
  if (roll < 70) {
    push_now(idx, stamp);
  } else if (roll < 96) {
    pending_pushes_.emplace(tick_now_ + 1 + g.below(5), idx);
  } else if (s.flaw == defect::none) {
    s.flaw = (s.flags & on_national) != 0 ? defect::status_behind : defect::not_pushed;
    s.flags |= push_lost;
  }
  return true;
}

std::uint32_t world::arrive(std::int64_t stamp, std::uint64_t salt) {
  const std::int64_t day = (stamp + vn_offset_s) / 86400;
  auto& used = arrivals_per_day_[day];
  if (used >= 9999) return UINT32_MAX;  // the day's numbering is exhausted: no more arrivals today
  const auto idx = count();
  record_state s;
  s.applied = offset_of(stamp);
  s.seq = ++used;
  plan(idx, s);
  std::fill(std::begin(s.gap), std::end(s.gap), std::uint16_t{0});
  s.updated = s.applied;
  s.flags = on_provincial;
  states_.push_back(s);
  if (config_.legacy_source) place_in_source(idx);
  arrivals_by_code_[(static_cast<std::uint64_t>(day) << 16) | s.seq] = idx;
  // Paper dossiers are received at the counter at once; online ones wait as NEW for an officer.
  if (traits_of(idx).how != channel::online || (salt & 1) != 0) advance(idx, stamp, false);
  return idx;
}

std::optional<std::uint32_t> world::probe(std::uint64_t salt, bool (*fits)(const world&, std::uint32_t)) {
  if (states_.empty()) return std::nullopt;
  for (std::uint64_t attempt = 0; attempt < 64; ++attempt) {
    const auto idx = static_cast<std::uint32_t>(mix({salt, tag_probe, attempt}) % states_.size());
    if (fits(*this, idx)) return idx;
  }
  return std::nullopt;
}

std::size_t world::tick(std::uint64_t tick_number, std::int64_t stamp) {
  tick_now_ = tick_number;
  std::vector<std::uint32_t> changed;
  draw g(mix({config_.seed, tag_tick, tick_number}));
  const std::uint32_t arrivals = 1 + g.below(2 + config_.dossiers / 200000);
  for (std::uint32_t j = 0; j < arrivals; ++j) {
    const auto idx = arrive(stamp, g.next());
    if (idx != UINT32_MAX) changed.push_back(idx);
  }
  const std::uint32_t progress = 1 + g.below(3 + config_.dossiers / 100000);
  for (std::uint32_t j = 0; j < progress; ++j) {
    if (auto idx = probe(g.next(), in_progress); idx && advance(*idx, stamp, false)) changed.push_back(*idx);
  }
  while (!pending_pushes_.empty() && pending_pushes_.begin()->first <= tick_number) {
    const auto idx = pending_pushes_.begin()->second;
    pending_pushes_.erase(pending_pushes_.begin());
    const auto flaw = states_[idx].flaw;
    if (flaw == defect::not_pushed || flaw == defect::status_behind) continue;
    push_now(idx, stamp);
    changed.push_back(idx);
  }
  if (g.chance(0.3)) {
    if (auto idx = probe(g.next(), closable)) {
      states_[*idx].flaw = defect::closed_on_national;
      states_[*idx].nat_updated = offset_of(stamp);
      changed.push_back(*idx);
    }
  }
  if (g.chance(0.5)) {
    if (auto idx = probe(g.next(), correctable)) {
      auto& s = states_[*idx];
      s.flaw = defect::none;
      s.flags &= static_cast<std::uint8_t>(~push_lost);
      s.updated = offset_of(stamp);
      push_now(*idx, stamp);
      changed.push_back(*idx);
    }
  }
  const auto touched = changed.size();
  reindex(std::move(changed));
  return touched;
}

std::size_t world::mutate(double percent, std::int64_t stamp) {
  if (states_.empty() || !(percent > 0)) return 0;
  const auto wanted =
      static_cast<std::size_t>(std::llround(std::min(100.0, percent) / 100.0 * static_cast<double>(states_.size())));
  std::vector<std::uint32_t> changed;
  changed.reserve(wanted);
  draw g(mix({config_.seed, tag_mutate, mutations_++}));
  for (std::size_t j = 0; j < wanted; ++j) {
    const auto idx = static_cast<std::uint32_t>(g.next() % states_.size());
    if (!advance(idx, stamp, true)) {
      // Not progressing: an edit of contact details, sent to both portals.
      auto& s = states_[idx];
      ++s.version;
      if (s.flags & on_provincial) s.updated = offset_of(stamp);
      if (s.flags & on_national) s.nat_updated = offset_of(stamp);
    }
    changed.push_back(idx);
  }
  reindex(std::move(changed));
  return wanted;
}

std::size_t world::drift(const page_query& q, std::size_t count, std::uint64_t salt, std::int64_t stamp) {
  page_query probe = q;
  probe.offset = 0;
  probe.limit = 0;
  const auto total = page(probe).total;
  // Positions in the query's order: in descending order the page asked for and those after (not read yet),
  // which jump over the reader to the top; in ascending order the pages already read, which move past the reader
  // so that it skips as many unread ones.
  const std::size_t begin = q.descending ? q.offset : 0;
  const std::size_t end = q.descending ? total : std::min(q.offset, total);
  if (begin >= end || count == 0) return 0;
  std::vector<std::uint32_t> chosen;
  for (std::size_t j = 0; j < count; ++j) {
    probe.offset = begin + mix({config_.seed, tag_drift, salt, j}) % (end - begin);
    probe.limit = 1;
    chosen.push_back(page(probe).records.front());
  }
  for (const auto idx : chosen) {
    // A moved dossier's legacy copy is frozen: on the legacy source only the dossiers living there move.
    if (q.side == portal::provincial && q.source == provincial_source::legacy && moved_from_legacy(idx)) continue;
    auto& s = states_[idx];
    (q.side == portal::provincial ? s.updated : s.nat_updated) = offset_of(stamp);
  }
  reindex(chosen);
  return chosen.size();
}

std::uint64_t world::code_key(std::uint32_t idx) const {
  const auto& s = states_[idx];
  return (static_cast<std::uint64_t>(s.unit) << 40) | (static_cast<std::uint64_t>(code_day(idx)) << 16) | s.seq;
}

bool world::in_lane(lane l, std::uint32_t idx) const {
  switch (l) {
    case lane::provincial:
      return serves(idx, provincial_source::current);
    case lane::national:
      return present(idx, portal::national);
    case lane::legacy:
      return serves(idx, provincial_source::legacy);
  }
  return false;
}

std::uint32_t world::lane_time(lane l, std::uint32_t idx) const {
  if (l == lane::national) return states_[idx].nat_updated;
  if (l == lane::legacy) {
    if (const auto it = legacy_copies_.find(idx); it != legacy_copies_.end()) return it->second.updated;
  }
  return states_[idx].updated;
}

bool world::before(lane l, entry a, entry b) const {
  if (a.t != b.t) return a.t < b.t;
  if (l != lane::national) return a.idx < b.idx;  // ids are issued in index order
  const auto ka = code_key(a.idx), kb = code_key(b.idx);
  return ka != kb ? ka < kb : a.idx < b.idx;
}

void world::reindex(std::vector<std::uint32_t> changed) {
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  rebuild_order(lane::provincial, prov_, changed);
  rebuild_order(lane::national, nat_, changed);
  if (config_.legacy_source) rebuild_order(lane::legacy, leg_, changed);
}

// Changed dossiers are taken out and merged back at their new place: linear in the side's size plus k log k,
// where a full sort of a million entries on every page-drift would not be.
void world::rebuild_order(lane l, order& o, const std::vector<std::uint32_t>& changed) {
  if (changed.empty()) return;
  std::vector<bool> is_changed(states_.size(), false);
  for (auto idx : changed) is_changed[idx] = true;
  std::vector<entry> fresh;
  for (auto idx : changed) {
    if (in_lane(l, idx)) fresh.push_back({lane_time(l, idx), idx});
  }
  const auto less = [&](entry a, entry b) { return before(l, a, b); };
  std::sort(fresh.begin(), fresh.end(), less);
  const auto merge_into = [&](std::vector<entry>& v, auto&& keep) {
    std::erase_if(v, [&](entry e) { return is_changed[e.idx]; });
    const auto middle = v.size();
    for (const auto& e : fresh) {
      if (keep(e)) v.push_back(e);
    }
    std::inplace_merge(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(middle), v.end(), less);
  };
  merge_into(o.all, [](entry) { return true; });
  for (std::size_t u = 0; u < o.by_unit.size(); ++u) {
    merge_into(o.by_unit[u], [&](entry e) { return states_[e.idx].unit == u; });
  }
}

page_result world::page(const page_query& q) const {
  const auto& o = q.side == portal::national ? nat_ : q.source == provincial_source::legacy ? leg_ : prov_;
  const std::vector<entry>* v = &o.all;
  if (q.unit) {
    if (*q.unit >= o.by_unit.size()) return {};
    v = &o.by_unit[*q.unit];
  }
  const auto lo = std::partition_point(v->begin(), v->end(), [&](entry e) { return epoch_ + e.t < q.from; });
  const auto hi = std::partition_point(lo, v->end(), [&](entry e) { return epoch_ + e.t <= q.to; });
  page_result r;
  r.total = static_cast<std::size_t>(hi - lo);
  if (q.offset >= r.total) return r;
  const auto n = std::min(r.total - q.offset, q.limit);
  r.records.reserve(n);
  if (q.descending) {
    for (auto it = hi - static_cast<std::ptrdiff_t>(q.offset); r.records.size() < n;) r.records.push_back((--it)->idx);
  } else {
    for (auto it = lo + static_cast<std::ptrdiff_t>(q.offset); r.records.size() < n; ++it) r.records.push_back(it->idx);
  }
  return r;
}

std::vector<std::uint32_t> world::provincial_truth() const {
  std::vector<entry> all = prov_.all;
  for (const auto& e : leg_.all) {
    if (legacy_only(e.idx)) all.push_back(e);
  }
  const auto less = [&](entry a, entry b) { return before(lane::provincial, a, b); };
  std::inplace_merge(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(prov_.all.size()), all.end(), less);
  std::vector<std::uint32_t> out;
  out.reserve(all.size());
  for (const auto& e : all) out.push_back(e.idx);
  return out;
}

std::optional<std::uint32_t> world::find(std::string_view code) const {
  while (!code.empty() && (code.front() == ' ' || code.front() == '\t')) code.remove_prefix(1);
  while (!code.empty() && (code.back() == ' ' || code.back() == '\t')) code.remove_suffix(1);
  // {unit}-{yyMMdd}-{NNNN}
  constexpr std::size_t tail = 1 + 6 + 1 + 4;
  if (code.size() <= tail || code[code.size() - tail] != '-' || code[code.size() - 5] != '-') return std::nullopt;
  std::string unit_code(code.substr(0, code.size() - tail));
  for (auto& c : unit_code) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  const auto unit = province().unit_index(unit_code);
  if (!unit) return std::nullopt;
  const auto digits = code.substr(code.size() - tail + 1);  // yyMMdd-NNNN
  int num[10];
  for (int i = 0, k = 0; i < 11; ++i) {
    if (i == 6) continue;
    const char c = digits[static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return std::nullopt;
    num[k++] = c - '0';
  }
  const std::uint32_t seq = static_cast<std::uint32_t>(num[6] * 1000 + num[7] * 100 + num[8] * 10 + num[9]);
  const unsigned month = static_cast<unsigned>(num[2] * 10 + num[3]), dom = static_cast<unsigned>(num[4] * 10 + num[5]);
  if (seq == 0 || month < 1 || month > 12 || dom < 1 || dom > 31) return std::nullopt;
  const std::int64_t day = days_from_civil(2000 + num[0] * 10 + num[1], month, dom);
  const auto matches = [&](std::uint64_t idx) {
    return idx < states_.size() && states_[idx].unit == *unit && states_[idx].seq == seq &&
           code_day(static_cast<std::uint32_t>(idx)) == day;
  };
  const std::int64_t d = day - first_day_;
  if (d >= 0 && d < base_days_) {
    const auto idx = first_of_day(static_cast<std::uint64_t>(d)) + seq - 1;
    if (idx < first_of_day(static_cast<std::uint64_t>(d) + 1) && matches(idx)) return static_cast<std::uint32_t>(idx);
  }
  if (auto it = arrivals_by_code_.find((static_cast<std::uint64_t>(day) << 16) | seq);
      it != arrivals_by_code_.end() && matches(it->second)) {
    return it->second;
  }
  return std::nullopt;
}

}  // namespace dvc::sim
