#pragma once
// The findings checked against their events. A finding's row is derived data: its state, reason, first_seen and
// last acknowledgement must be what folding its events in order gives. An edit of the row that the chain does not
// record (an UPDATE that resolves findings to raise a unit's sync rate, a deleted ack) therefore shows, and so does
// a finding without events or an event without its finding.
#include "schema/ledger.hpp"
#include "schema/sqlite.hpp"

namespace dvc {

// Streams findings by id and events by finding, so memory does not grow with the ledger; names the first finding
// that differs.
chain_report verify_findings_fold(sqlite::database& db);

}  // namespace dvc
