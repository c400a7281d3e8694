#pragma once
// Stored dossier records checked against themselves: each body against its digest (SHA-256, or HMAC-SHA-256 with
// the audit key once the chain is keyed, so an editor cannot write a new body and its digest), and the facts
// stored beside it (what the rules and the sync rate read) against the facts of that body, so a status or a date
// edited in its column shows.
#include <cstdint>
#include <string>
#include <string_view>

#include "schema/audit_key.hpp"
#include "schema/ledger.hpp"
#include "schema/sqlite.hpp"

namespace dvc {

// A stored record's digest (docs/cli.md#verify-ledger): of its body alone when it comes from the one unnamed
// provincial source or from national, of its source's name and its body when a named source holds it, so moving a
// record to another source behind dvcrecon's back shows as an edit. SHA-256, or HMAC-SHA-256 with `key`.
std::string record_digest(std::string_view body, std::string_view source, const audit_key* key);

// `keyed`: digests are MACs with `key` (which must then be given).
records_report verify_stored_records(sqlite::database& db, const audit_key* key, bool keyed);

// Replaces every record's digest by its MAC with `key`, in chunks; returns how many.
std::int64_t rehash_records(sqlite::database& db, const audit_key& key);

}  // namespace dvc
