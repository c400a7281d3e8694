#pragma once
// One side's poll of a cycle: list everything changed since the side's cursor (less the look-back window, for
// records written late with an earlier timestamp), map each record with the wire mapping, store it, and commit
// the new cursor with the last records. A record that cannot be mapped is a data error: stored, logged with its
// source, skipped; the poll goes on.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "connectors/connector_env.hpp"
#include "connectors/connector_error.hpp"
#include "connectors/portal_client.hpp"
#include "reconcile/dossier.hpp"
#include "service/poll_writer.hpp"

namespace dvc {

struct poll_outcome {
  side origin = side::provincial;
  std::string source;              // the provincial source's name (docs/sources.md); empty for national or a single one
  instant from = 0;                // the listing started here (cursor − lookback, or config.since on a first run)
  std::int64_t records = 0;        // records read from the portal, usable or not
  std::int64_t stored = 0;         // mapped and stored (new, changed or seen again)
  std::int64_t other_units = 0;    // skipped: a unit outside config.units
  std::int64_t data_errors = 0;    // unusable records and kept records with problems
  std::int64_t moved = 0;          // records that replaced the legacy copy of a dossier moved to their source
  std::int64_t legacy_copies = 0;  // legacy copies of dossiers held by the source they moved to: not stored
  std::int64_t pages = 0;
  maybe_instant latest;  // the latest update time among the records read, on the portal's clock
  double duration_s = 0;
  std::optional<connector_error> error;  // set when the listing did not complete
  maybe_instant kept;  // after an error: the cursor moved here, every record before it having been read

  bool ok() const { return !error.has_value(); }
};

// Where a side's listing starts: its stored cursor less `lookback_s`, or `config.since_or_default(now)` when the
// side has no cursor yet (or an unreadable one, which is logged). `cursor` is the stored cursor (or `from`): a new
// cursor never goes below it, so a quiet side's cursor does not walk backwards by the look-back every cycle.
struct poll_window {
  instant from = 0;
  instant cursor = 0;
};
// A named provincial source (docs/sources.md) has a cursor of its own.
poll_window poll_start(const ledger& db, side s, const config& cfg, instant now, std::string_view source = {});

// The provincial side's outcome from its sources' (docs/sources.md): counts summed, the earliest start, the latest
// update, the longest duration, and the first failure with its source named.
poll_outcome combined(const std::vector<poll_outcome>& sources);

// Maps each record handed to it with side `s`'s profile and stores it through `writer`, counting into `out`: the one
// path every record of a listing, a look-up or a recheck takes (unmappable records are data errors, records of
// units outside config.units are skipped). A provincial record is read with `source`'s profile (the first source
// when not given) and stored under its name.
record_sink record_taker_for(side s, const config& cfg, poll_writer& writer, poll_outcome& out,
                             const provincial_settings* source = nullptr);

// Cursors are stored as UTC ISO 8601 (`2024-07-15T01:00:00Z`), readable in the ledger with sqlite3.
std::string cursor_text(instant t);

// Told after every page of a poll what it has read so far (records, pages, latest) and what the portal says is
// left of it: unknown while listings of other units are still to come, or when the portal gives no total.
using poll_observer = std::function<void(const poll_outcome& so_far, std::optional<std::int64_t> remaining)>;

// A listing that fails part way keeps its progress: the cursor moves to the point before which every record has
// been read and stored (committed with those records), so a long first read against a flaky portal is not started
// over on every cycle.
// One provincial source's listing from its poll_start: one listing per configured unit (the profile's `{unit}`), or
// one for all units. The sources of a list are polled concurrently, each by its own client.
boost::asio::awaitable<poll_outcome> poll_provincial(portal_client& client, const config& cfg,
                                                     const provincial_settings& source, ledger& db, poll_writer& writer,
                                                     instant now, const poll_observer& observe = {});
// National listing of NgayCapNhat in [poll_start, now]; records of units outside config.units are skipped. The new
// cursor is the latest NgayCapNhat read, not `now`: like the provincial one it follows the portal's own clock, so a
// portal whose clock runs behind ours by more than the look-back still has its late stamps read next time.
boost::asio::awaitable<poll_outcome> poll_national(portal_client& client, const config& cfg, ledger& db,
                                                   poll_writer& writer, instant now, const poll_observer& observe = {});

// The national side read by look-ups (docs/lookups.md), one worker per client in `lookups`: the keys due, looked up
// within `cfg.national.lookup`'s budget, each answer stored with its look-up state. Logs `lookups_done`; `counts`
// receives its figures.
struct lookup_counts;
boost::asio::awaitable<poll_outcome> poll_national_lookups(const std::vector<portal_client*>& lookups,
                                                           const config& cfg, ledger& db, poll_writer& writer,
                                                           instant now, const connector_env& env, lookup_counts& counts,
                                                           const poll_observer& observe = {});

}  // namespace dvc
