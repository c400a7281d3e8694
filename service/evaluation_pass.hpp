#pragma once
// Evaluating keys against the ledger in chunks: load both sides' facts, apply the rules (docs/rules.md#findings),
// record the lifecycle in one transaction per chunk, then yield to the io_context so the watchdog pings and a stop
// signal, which share the service's thread, are served between chunks. A cancelled pass stops between chunks; every
// applied chunk is complete.
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>

#include "reconcile/finding.hpp"
#include "schema/ledger.hpp"
#include "service/evaluation_keys.hpp"

namespace dvc {

struct evaluation_totals {
  std::int64_t keys = 0;       // keys walked
  std::int64_t evaluated = 0;  // keys with a record on at least one side
  std::int64_t pending = 0;    // of those, inside the grace period: nothing raised or resolved
  // Of the pending, provincial dossiers a look-up-only national side has not answered for yet (docs/lookups.md):
  // whether national has them is unknown, so nothing is raised or resolved for them either.
  std::int64_t awaiting_lookup = 0;
  std::int64_t findings = 0;  // findings raised by the rules (new or still open)
  lifecycle_counts lifecycle;
};

inline constexpr std::size_t evaluation_chunk = 5000;

// How the national side is read: `listed` sees every national dossier; `looked_up` knows only the answers to
// look-ups of provincial keys (docs/lookups.md#evaluation).
enum class national_reading : std::uint8_t { listed, looked_up };

boost::asio::awaitable<evaluation_totals> evaluate_keys(ledger& db, key_source keys, std::int64_t run_id,
                                                        evaluation_context ctx, std::size_t chunk = evaluation_chunk,
                                                        national_reading national = national_reading::listed);

}  // namespace dvc
