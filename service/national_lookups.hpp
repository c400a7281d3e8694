#pragma once
// The national side of a cycle when its profile can only look dossiers up by code (docs/lookups.md): choose the
// keys due (changed provincial dossiers out of grace, open findings due for a re-check, the rolling pass), look
// them up within the request budget, and store each answer — the record found, or that national has none — with
// the look-up state in the same batch, so a restart resumes where the passes stopped.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/lookup_settings.hpp"
#include "connectors/connector_env.hpp"
#include "connectors/connector_error.hpp"
#include "connectors/portal_listing.hpp"
#include "schema/ledger.hpp"
#include "service/poll_side.hpp"
#include "service/poll_writer.hpp"

namespace dvc {

// One look-up: the record, or nullopt when national has no dossier of that code.
using lookup_call = std::function<boost::asio::awaitable<result<std::optional<nlohmann::json>>>(std::string code)>;

struct lookup_pass_settings {
  lookup_settings budget;
  std::int64_t grace_s = 1800;
  std::int64_t poll_interval_s = 300;
};

struct lookup_counts {
  lookup_due_counts due;  // keys chosen this cycle, by pass
  std::int64_t found = 0, not_found = 0, rejected = 0;
  std::int64_t failed = 0;   // failed after their retries, left due for the next cycle
  lookup_coverage coverage;  // after the pass
};

// Looks up the keys due at T = `now`, one worker per element of `lookups` (each its own client: a client makes one
// call at a time), all together paced to `settings.budget.requests_per_second`. Every record found goes to `take`
// (which maps and stores it as a listing's records are, counting into `out`). A `rejected` look-up is that key's
// data error; a transient failure leaves the key due; a failure that is neither, or a run of transient ones, stops
// the pass, keeping every answer already stored; `out.error` says why.
boost::asio::awaitable<void> lookup_national(const std::vector<lookup_call>& lookups,
                                             const lookup_pass_settings& settings, ledger& db, poll_writer& writer,
                                             const record_sink& take, instant now, const connector_env& env,
                                             poll_outcome& out, lookup_counts& counts);

}  // namespace dvc
