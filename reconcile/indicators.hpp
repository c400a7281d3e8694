#pragma once
// Indicators as national computes them (docs/rules.md#indicators), per unit and period, beside the strict rate of
// docs/rules.md#sync-rate: synced = national's dossiers received in the period over the larger of the provincial
// and national counts; on time = completion day ≤ due day in Vietnam time, an unfinished dossier past due when the
// period ends (or now, for a period not yet over) being late. The gaps are what the province's own view and
// national's differ by.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconcile/dossier.hpp"
#include "reconcile/sync_rate.hpp"

namespace dvc {

// One side's record of a dossier, as the indicators read it.
struct indicator_subject {
  side origin = side::provincial;
  std::string unit_code;  // the unit it counts toward (docs/rules.md#unit-successions)
  std::string unit_name;
  maybe_instant received, due, completed;
  bool registered = false;  // provincial, only registered: not expected on national, not counted
};

struct on_time_tally {
  std::int64_t on_time = 0, late = 0;
  std::int64_t unknown = 0;            // no due date, so neither (unknown is not empty)
  std::optional<double> rate() const;  // on_time / (on_time + late); null when both are 0
};

struct indicator_row {
  std::string unit_code;  // empty on the province row
  std::string unit_name;
  std::string period;
  std::string formerly;  // as the strict rate's row says it (sync_rate_row::formerly)
  bool province = false;
  std::int64_t provincial = 0;   // provincial dossiers received in the period (not only registered)
  std::int64_t national = 0;     // national dossiers with a receipt time in the period
  std::optional<double> synced;  // national / max(provincial, national); null when both are 0
  std::optional<double> strict;  // the strict rate of the same unit and period (sync_rate_row::rate)
  std::optional<double> gap;     // synced − strict: how much national's view flatters the province's own
  on_time_tally on_time_national, on_time_provincial;
  std::optional<double> on_time_gap;  // national's on-time rate − the provincial records' own
};

class indicator_calculator {
 public:
  // Periods at granularity `g`, or only `only`; `as_of` ends a period not yet over for unfinished dossiers.
  indicator_calculator(instant as_of, period::granularity g, std::optional<period> only);
  void add(const indicator_subject& s);
  // Units sorted by code within each period, the province row last in its period, periods ascending; `strict` (the
  // sync-rate rows of the same periods and attribution) gives the strict rate beside each row, and rows for units
  // and periods that have a strict rate but no dossier here.
  std::vector<indicator_row> rows(const std::vector<sync_rate_row>& strict) const;
  std::size_t skipped_without_date() const { return no_date_; }

 private:
  struct tally {
    std::string name;
    std::int64_t provincial = 0, national = 0;
    on_time_tally on_time_national, on_time_provincial;
  };
  instant as_of_;
  period::granularity granularity_;
  std::optional<period> only_;
  std::map<period, std::map<std::string, tally>> tallies_;
  std::size_t no_date_ = 0;
};

// Whether a dossier is on time by calendar day in Vietnam time: completed on or before its due day; unfinished, late
// once `reference` (the end of its period, or now) falls on a day after its due day, otherwise undecided. Null when
// undecided or the due date is unknown.
std::optional<bool> on_time_by_day(maybe_instant due, maybe_instant completed, instant reference);

}  // namespace dvc
