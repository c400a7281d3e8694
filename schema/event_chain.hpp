#pragma once
// The audit trail's hash chain. Each event's hash covers a canonical serialisation of its content and the hash of
// the event before it, so changing or removing a row breaks the chain from that row on.
//
// Until the chain is keyed that hash is SHA-256 ("v1"), which whoever can write the ledger file can recompute.
// The `chain_keyed` event marks the point from which every hash is HMAC-SHA-256 with the audit key ("v2"), over
// the same content plus the key and kind of the event's finding, so that moving a finding to another dossier or
// kind breaks its events as well. The keying event's cause records the key's id and a digest of the findings that
// existed then; the chain head is MACed too, so it cannot be pointed at an older event.
#include <optional>
#include <string>
#include <string_view>

#include "schema/audit_key.hpp"
#include "schema/ledger.hpp"
#include "schema/ledger_impl.hpp"
#include "schema/sqlite.hpp"

namespace dvc {

// prev_hash of the first event.
inline constexpr std::string_view genesis_hash = "0000000000000000000000000000000000000000000000000000000000000000";

// Which finding an event is about, as the v2 MAC binds it.
struct finding_identity {
  std::string key;
  std::string kind;
};

// SHA-256 hex over every column of `e` except `hash` itself (id and prev_hash included), each field written as
// `name=length:value` (or `name=-` for NULL) so no two different rows serialise alike.
std::string event_hash(const event_row& e);
// HMAC-SHA-256 hex with `key` over the same fields and the finding's identity (absent on chain_keyed).
std::string event_mac(const audit_key& key, const event_row& e, const std::optional<finding_identity>& finding);
// The MAC kept with the chain head.
std::string head_mac(const audit_key& key, std::int64_t event_id, std::string_view hash);

// Called at the start of each write transaction: refreshes whether the chain is keyed, keys it when this
// connection holds a key and it is not (schema/audit_anchor.cpp), and refuses (ledger_error) when it is keyed and
// this connection holds no key.
void prepare_chain_for_write(ledger::impl& p, instant now);

// Appends one event inside the caller's open transaction (after prepare_chain_for_write): fills id, prev_hash
// and hash, and moves the chain head.
void append_event(ledger::impl& p, event_row& e, const std::optional<finding_identity>& finding);

// The id of the chain_keyed event, if the chain has one.
std::optional<std::int64_t> keying_event_id(sqlite::database& db);

// The chain head as stored.
chain_head_ref read_chain_head(sqlite::database& db);

chain_report verify_event_chain(sqlite::database& db, const audit_key* key);

}  // namespace dvc
