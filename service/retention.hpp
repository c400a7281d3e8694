#pragma once
// Retention of stored record bodies (configuration key body_retention_days): after a complete cycle, at most once
// a day, the bodies of dossiers closed and without any finding for longer than the configured days are removed,
// a batch of keys per transaction, yielding between batches so the watchdog and a stop are served. The facts the
// rules read, the findings and the audit trail are never touched (schema/ledger.hpp, remove_closed_bodies).
#include <boost/asio/awaitable.hpp>
#include <cstdint>

#include "config/config.hpp"
#include "schema/ledger.hpp"

namespace dvc {

struct retention_totals {
  std::int64_t keys_examined = 0;
  std::int64_t bodies_removed = 0;
};

// Walks every key once with the rule for `now`: bodies of dossiers closed before now − body_retention_days, seen as
// they are by run `evaluated_through`. Requires cfg.body_retention_days.
boost::asio::awaitable<retention_totals> apply_retention(ledger& db, const config& cfg, std::int64_t evaluated_through,
                                                         instant now);

// Whether retention is due at `now`, given when it last ran in this process.
bool retention_due(const config& cfg, const maybe_instant& last, instant now);

}  // namespace dvc
