#pragma once
// Whether the figures operators see are current, for the dashboard's banner: not while the first sync runs (no
// complete evaluation yet), not when the latest finished run read only part of the portals (the figures are those
// of an older complete evaluation), not when the last complete evaluation ended longer ago than the service's
// readiness allows (http.ready_max_age_s, three poll intervals by default).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "schema/ledger.hpp"

namespace dvc {

struct data_notice {
  std::string kind;     // "first_sync", "no_evaluation", "partial" or "stale"
  std::string message;  // one sentence in Vietnamese, for the banner
};

struct data_status {
  std::optional<run_row> last_evaluated;  // the latest run recorded ok: the figures are as of it
  std::optional<run_row> latest;          // the latest run, running or finished
  std::optional<data_notice> notice;      // none when the figures are current
};

data_status data_status_of(const ledger& db, instant now, std::int64_t max_age_s);

// `/api/status`: {"notice": {"kind","message"} or null, "last_evaluated_run": {"id","as_of","ended_at"} or null,
// "latest_run": {"id","status","started_at","ended_at"} or null}, times in Vietnam time.
nlohmann::json data_status_json(const data_status& s);

}  // namespace dvc
