#pragma once
// Recheck on demand (docs/cli.md#recheck): fetch one dossier from both portals now, by the look-up each side's
// profile describes, store what came back through the same path as a poll's records (record_taker_for, one ledger
// batch) in a run of its own that names the dossier, re-evaluate that dossier alone, and tell its findings before
// and after. A side whose profile has no look-up cannot fetch one dossier: the report says so, and that side's
// stored record is what the evaluation reads.
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "connectors/connector_env.hpp"
#include "schema/ledger.hpp"
#include "service/cycle.hpp"

namespace dvc {

struct side_recheck {
  enum class outcome : std::uint8_t { found, not_found, unsupported, failed };
  outcome result = outcome::failed;
  std::string code;     // the code looked up
  std::string source;   // the provincial source asked last (docs/sources.md); empty for national or a single one
  std::string message;  // why, when not found, unsupported or failed; what happened to a record found and not stored
};
std::string_view outcome_name(side_recheck::outcome o);  // "found", "not_found", "unsupported", "failed"

struct recheck_report {
  std::string key;
  std::int64_t run_id = 0;
  side_recheck provincial, national;
  bool evaluated = false;  // re-evaluated: no side failed
  bool pending = false;    // evaluated, but inside the grace period: nothing raised or resolved
  std::vector<finding_row> before, after;
  lifecycle_counts counts;
};

boost::asio::awaitable<recheck_report> recheck_dossier(const config& cfg, ledger& db, portal_clients& clients,
                                                       std::string_view key, instant now);

// recheck_dossier on an io_context of its own, returning when it is done: for the command line and the API, whose
// callers wait for the answer. Throws what the ledger throws.
recheck_report recheck_now(const config& cfg, ledger& db, std::string_view key, instant now,
                           connector_env env = default_connector_env());

// {"key", "run_id", "evaluated", "pending", "provincial": {"result", "code", "message", "source" when named},
//  "national": {…},
//  "before": [finding…], "after": [finding…], "raised", "resolved", "reopened"}; findings as
// {"id", "kind", "reason", "state"}.
nlohmann::json recheck_json(const recheck_report& r);

}  // namespace dvc
