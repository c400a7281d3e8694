#pragma once
// The simulated province as data: a compact state per dossier, from which both portals' records are generated
// on demand (render.hpp), plus the orders the portals page through. A million dossiers per side cost about
// 36 bytes of state and 16 bytes of index each. Nothing here does I/O or reads a clock: every change is given
// its time stamp, so a run is a pure function of the seed and the sequence of operations.
#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/catalog.hpp"
#include "sim/vocabulary.hpp"

namespace dvc::sim {

enum class portal : std::uint8_t { provincial, national };

// A deliberate discrepancy between the portals (docs/rules.md), at most one per dossier.
enum class defect : std::uint8_t {
  none,
  not_pushed,                // provincial only, nationCode null
  national_only,             // no provincial record
  closed_on_national,        // national says result returned, provincial still processing
  no_result,                 // done on one side without a result document
  steps_after_completion,    // done on one side with a step open or ended after completion
  completed_before_receipt,  // one side's receipt time is after its completion time
  status_behind,             // national stuck at an earlier stage: pushes that never landed
  due_differs,
  overdue_hidden,  // provincial overdue, national shows a due date that hides it
  field_procedure,
  field_unit,
  field_channel,
  field_payment,
  field_digitized,
  field_received,
  field_completed,
  missing_steps,  // national lacks an ended step, same status
};
inline constexpr std::size_t defect_count = 18;
std::string_view defect_name(defect d);

inline constexpr int max_steps = 5;

struct record_state {
  std::uint32_t applied = 0;      // seconds since the world epoch
  std::uint32_t updated = 0;      // provincial updatedDate
  std::uint32_t nat_updated = 0;  // national NgayCapNhat
  // Minutes from the previous event to each step's end; [steps] is the return of the result. Saturates.
  std::uint16_t gap[max_steps + 1] = {};
  std::uint16_t seq = 0;                  // NNNN of the dossier code
  std::uint16_t unit = 0, procedure = 0;  // indexes into the catalog
  std::uint8_t stage = 0;                 // events on provincial: 0 registered, k steps ended, steps+1 returned
  std::uint8_t nat_stage = 0;             // the stage national last received
  defect flaw = defect::none;
  std::uint8_t version = 0;  // later edits of contact details
  std::uint8_t flags = 0;
};
inline constexpr std::uint8_t on_provincial = 1, on_national = 2, push_lost = 4;
// With a legacy source (docs/simulator.md#legacy-source): the dossier is held by the legacy source, and, if
// moved, also by the new one, which serves its live record while the legacy source keeps the copy made at the move.
inline constexpr std::uint8_t in_legacy = 8, moved_to_new = 16;

// Which of the province's provincial sources a query reads: the new system (the only one without a legacy
// source) or the legacy system of the units retired by a reorganisation.
enum class provincial_source : std::uint8_t { current, legacy };

struct world_config {
  std::uint64_t seed = 1;
  std::uint32_t dossiers = 10000;  // at the start, before arrivals
  std::int64_t clock_start = 0;    // unix seconds; the base data ends just before it
  std::shared_ptr<const catalog> province = catalog::builtin();
  bool legacy_source = false;  // split the provincial dossiers between a new and a legacy source
};

struct page_query {
  portal side = portal::provincial;
  provincial_source source = provincial_source::current;  // provincial side only
  std::int64_t from = INT64_MIN;                          // inclusive
  std::int64_t to = INT64_MAX;                            // inclusive
  std::optional<std::uint16_t> unit = std::nullopt;
  std::size_t offset = 0;
  std::size_t limit = 500;
  bool descending = false;  // newest first: update time then id, both descending
};

struct page_result {
  std::size_t total = 0;  // matches in the window
  std::vector<std::uint32_t> records;
};

// How a dossier's codes are mistyped on one side; dvcrecon must still match them (codes compare trimmed and
// upper-cased).
enum class code_quirk : std::uint8_t {
  none,
  national_lower_case,      // MaHoSo with its unit code in lower case
  national_trailing_space,  // MaHoSo followed by a space
  national_leading_space,   // MaHoSo preceded by a space
  nation_code_spaced,       // provincial nationCode followed by a space
};

// Which side writes the dossier's names decomposed (NFD) rather than composed (NFC).
enum class text_quirk : std::uint8_t { none, national_decomposed, provincial_decomposed };

// How a shape-B provincial platform writes the nationCode of a dossier never pushed to national.
enum class unpushed_form : std::uint8_t { absent, null, empty };

// Which side names a dossier received before a reorganisation by its unit's successor rather than by the old
// code the dossier key keeps (docs/simulator.md#the-world); none for a unit without successor.
enum class successor_quirk : std::uint8_t { none, national, provincial };

// Per-record traits drawn from the seed alone (never change once the dossier has its unit).
struct traits {
  std::uint8_t steps;  // 3..5 processing steps
  channel how;
  bool online_payment, digitized;
  std::uint8_t applicant_type;            // LoaiDoiTuong: 1 citizen, 2 business, 3 organisation, 4 other
  std::optional<national_status> frozen;  // a status the dossier stopped in after reception
  bool zulu;                              // the contract-shape provincial system writes its times with Z
  code_quirk code;
  bool numeric;  // national scalars sent as numbers
  text_quirk text;
  bool flaw_on_national;  // which side a one-side defect is on
  // National's DuocThanhToanTrucTuyen: which of the vocabulary's values for paid or not paid is sent, or
  // none at all (unknown).
  std::uint8_t payment_variant;
  bool payment_unknown;
  bool procedure_suffix;  // contract-shape national MaTTHC carries the agency suffix (always in shape B)
  unpushed_form unpushed;
  bool english_first;       // shape B: the procedure's English name comes first in its translations
  bool completion_omitted;  // shape-B national leaves NgayKetThucXuLy out, rather than "", while there is none
  successor_quirk successor;
};

class world {
 public:
  explicit world(world_config config);

  const world_config& config() const { return config_; }
  const catalog& province() const { return *config_.province; }
  std::uint32_t count() const { return static_cast<std::uint32_t>(states_.size()); }
  const record_state& state(std::uint32_t idx) const { return states_[idx]; }
  traits traits_of(std::uint32_t idx) const;
  std::int64_t unix_of(std::uint32_t offset) const { return epoch_ + offset; }
  // Unix time of each event of a dossier: [0, steps) step ends, [steps] the return; only the first `stage` are real.
  std::array<std::int64_t, max_steps + 1> event_times(std::uint32_t idx) const;
  std::int64_t due_time(std::uint32_t idx) const;
  // Vietnam-local day number (days since 1970-01-01 in UTC+7) of the dossier's code.
  std::int64_t code_day(std::uint32_t idx) const;
  bool present(std::uint32_t idx, portal side) const {
    return (states_[idx].flags & (side == portal::provincial ? on_provincial : on_national)) != 0;
  }
  std::int64_t updated_on(std::uint32_t idx, portal side) const {
    return unix_of(side == portal::provincial ? states_[idx].updated : states_[idx].nat_updated);
  }

  // Whether a provincial source serves the dossier: without a legacy source the current one serves every
  // provincial dossier; with one, the legacy source serves those of retired units and the current one the others
  // and the moved ones.
  bool serves(std::uint32_t idx, provincial_source source) const {
    const auto f = states_[idx].flags;
    if ((f & on_provincial) == 0) return false;
    return source == provincial_source::legacy ? (f & in_legacy) != 0 : (f & in_legacy) == 0 || (f & moved_to_new) != 0;
  }
  bool legacy_only(std::uint32_t idx) const { return (states_[idx].flags & (in_legacy | moved_to_new)) == in_legacy; }
  bool moved_from_legacy(std::uint32_t idx) const { return (states_[idx].flags & moved_to_new) != 0; }
  // The update time the legacy source shows: the copy's for a moved dossier.
  std::int64_t legacy_updated(std::uint32_t idx) const;
  // Calls f(const world&) while the dossier reads as the legacy source holds it: the copy frozen at the move for a
  // moved dossier, the live state otherwise. Every record is rendered from the world's state, so the copy takes the
  // live state's place for the call.
  template <class F>
  void as_legacy_copy(std::uint32_t idx, F&& f) {
    const auto it = legacy_copies_.find(idx);
    if (it == legacy_copies_.end()) {
      f(std::as_const(*this));
      return;
    }
    struct swap_back {
      record_state& a;
      record_state& b;
      ~swap_back() { std::swap(a, b); }
    };
    std::swap(states_[idx], it->second);
    const swap_back guard{states_[idx], it->second};
    f(std::as_const(*this));
  }

  // Dossiers present on the side (on the provincial side: served by the query's source), in the side's order
  // (updatedDate then id; NgayCapNhat then MaHoSo).
  page_result page(const page_query& q) const;
  // Every provincial dossier once, in updatedDate-then-id order: the live record's time for a moved dossier.
  std::vector<std::uint32_t> provincial_truth() const;
  // Visit every dossier on a side (the provincial side: served by `source`) in its order, or newest first.
  template <class F>
  void for_each(portal side, bool newest_first, F&& f, provincial_source source = provincial_source::current) const {
    const auto& all = (side == portal::national ? nat_ : source == provincial_source::legacy ? leg_ : prov_).all;
    if (newest_first) {
      for (auto it = all.rbegin(); it != all.rend(); ++it) f(it->idx);
    } else {
      for (const auto& e : all) f(e.idx);
    }
  }
  // A dossier by its code (trimmed, upper-cased); nullopt when no dossier has it.
  std::optional<std::uint32_t> find(std::string_view code) const;

  // One step of live change at `stamp` (unix seconds, not before any earlier stamp): arrivals, progress,
  // pushes landing or lost, false closures, corrections. Returns the number of dossiers touched.
  std::size_t tick(std::uint64_t tick_number, std::int64_t stamp);
  // Change `percent` % of the dossiers at once, both portals in step (incremental benchmark).
  std::size_t mutate(double percent, std::int64_t stamp);
  // Page drift while a client reads the page `q` asks for: `count` dossiers chosen by `salt` get a new update
  // time on that side. In ascending order they are taken from the pages before (already read) and move to the
  // end; in descending order from this page and those after (not yet read) and move to the top of page 0.
  std::size_t drift(const page_query& q, std::size_t count, std::uint64_t salt, std::int64_t stamp);

 private:
  struct entry {
    std::uint32_t t;
    std::uint32_t idx;
  };
  struct order {
    std::vector<entry> all;
    std::vector<std::vector<entry>> by_unit;
  };

  // Which lists hold a dossier and by which time: the current provincial source, national, the legacy source.
  enum class lane : std::uint8_t { provincial, national, legacy };

  void generate_base();
  void place_in_source(std::uint32_t idx);
  bool in_lane(lane l, std::uint32_t idx) const;
  std::uint32_t lane_time(lane l, std::uint32_t idx) const;
  void plan(std::uint32_t idx, record_state& s) const;
  std::uint64_t first_of_day(std::uint64_t day) const;
  void assign_flaw(std::uint32_t idx, std::int64_t now);
  std::uint32_t offset_of(std::int64_t unix_time) const;
  bool advance(std::uint32_t idx, std::int64_t stamp, bool push_at_once);
  void push_now(std::uint32_t idx, std::int64_t stamp);
  std::uint32_t arrive(std::int64_t stamp, std::uint64_t salt);
  std::optional<std::uint32_t> probe(std::uint64_t salt, bool (*fits)(const world&, std::uint32_t));
  std::uint64_t code_key(std::uint32_t idx) const;
  bool before(lane l, entry a, entry b) const;
  void reindex(std::vector<std::uint32_t> changed);
  void rebuild_order(lane l, order& o, const std::vector<std::uint32_t>& changed);

  world_config config_;
  std::int64_t epoch_ = 0;
  std::uint32_t base_days_ = 365;
  std::int64_t first_day_ = 0;  // Vietnam-local day number of base day 0
  std::vector<record_state> states_;
  order prov_, nat_, leg_;
  std::unordered_map<std::uint32_t, record_state> legacy_copies_;  // moved dossiers as the legacy source keeps them
  std::map<std::int64_t, std::uint16_t> arrivals_per_day_;
  std::unordered_map<std::uint64_t, std::uint32_t> arrivals_by_code_;  // (day << 16 | seq) → idx
  std::multimap<std::uint64_t, std::uint32_t> pending_pushes_;         // tick it lands → idx
  std::uint64_t tick_now_ = 0;
  std::uint64_t mutations_ = 0;
};

}  // namespace dvc::sim
