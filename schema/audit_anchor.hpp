#pragma once
// Keying an unkeyed audit chain, once: what was written before (the unkeyed events, the findings, the stored
// records) is checked first, then vouched for by one `chain_keyed` event MACed with the key. Its cause records
// the key's id and a digest of every finding's id, key and kind at that moment, so that the findings whose events
// all predate the keying are bound as well; stored records are re-hashed with the key.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "schema/ledger.hpp"
#include "schema/ledger_impl.hpp"
#include "schema/sqlite.hpp"

namespace dvc {

// The cause of a chain_keyed event, as JSON text: {"key_id","findings_through","findings_digest"}.
struct keying_cause {
  std::string key_id;
  std::int64_t findings_through = 0;  // the highest finding id then
  std::string findings_digest;        // findings_digest(db, findings_through) then
};
std::string keying_cause_text(const keying_cause& c);
std::optional<keying_cause> parse_keying_cause(std::string_view text);

// SHA-256 over `id key kind` of every finding with id ≤ through, in id order; `count` of them.
struct findings_digest_result {
  std::string value;
  std::int64_t count = 0;
};
findings_digest_result findings_digest(sqlite::database& db, std::int64_t through);

// Keys the chain inside the caller's write transaction (p.key set, chain not keyed): throws ledger_error when
// the unkeyed chain, the findings or the records do not verify.
keying_report key_chain(ledger::impl& p, instant now);

}  // namespace dvc
