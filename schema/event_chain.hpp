#pragma once
// The audit trail's hash chain: each event's hash covers a canonical serialisation of its content and the hash
// of the event before it, so changing or removing a row breaks the chain from that row on.
#include <string>
#include <string_view>

#include "schema/ledger.hpp"
#include "schema/ledger_impl.hpp"
#include "schema/sqlite.hpp"

namespace dvc {

// prev_hash of the first event.
inline constexpr std::string_view genesis_hash = "0000000000000000000000000000000000000000000000000000000000000000";

// SHA-256 hex over every column of `e` except `hash` itself (id and prev_hash included), each field written as
// `name=length:value` (or `name=-` for NULL) so no two different rows serialise alike.
std::string event_hash(const event_row& e);

// Appends one event inside the caller's open transaction: fills id, prev_hash and hash, and moves the chain head.
void append_event(ledger::impl& p, event_row& e);

chain_report verify_event_chain(sqlite::database& db);

}  // namespace dvc
