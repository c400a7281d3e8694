// The keyed audit trail against what someone with write access to the ledger file (the sqlite3 shell) but without
// the audit key could do: edit or delete findings, events and acks, delete the newest events, recompute the
// chain, edit stored records.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "reconcile/provincial_sources.hpp"
#include "schema/audit_anchor.hpp"
#include "schema/event_chain.hpp"
#include "schema/ledger.hpp"
#include "schema/migrations.hpp"
#include "schema/sha256.hpp"
#include "tests/support/ledger_fixtures.hpp"

using namespace dvc;
using test::make_finding;
using test::raised;

namespace {

using evaluations = std::vector<std::pair<std::string, evaluation>>;

const audit_key& the_key() {
  static const audit_key key("the-audit-key-of-this-province-0123456789abcdef");
  return key;
}

// K-1 status_mismatch (acked), K-2 missing_on_national (resolved, reopened), K-3 falsely_closed ×2 keys.
std::int64_t build_history(ledger& l) {
  const auto run = l.begin_run(run_mode::service, 100, 100, 1800);
  {
    auto b = l.begin_batch(run, 100);
    for (const char* key : {"K-1", "K-2", "K-3", "K-4"}) {
      const auto d = test::make_dossier(side::provincial, key);
      b.upsert_record(d, facts_of(d));
    }
    b.commit();
  }
  l.apply_evaluations(
      run, 100,
      evaluations{raised("K-1", {make_finding("K-1", finding_kind::status_mismatch, reason::differs)}),
                  raised("K-2", {make_finding("K-2", finding_kind::missing_on_national, reason::not_pushed)}),
                  raised("K-3", {make_finding("K-3", finding_kind::falsely_closed, "no_result")}),
                  raised("K-4", {make_finding("K-4", finding_kind::falsely_closed, "no_result")})});
  l.ack(l.findings_for_key("K-1").at(0).id, "checked", "ops", 110);
  l.apply_evaluations(run, 120, evaluations{raised("K-2", {})});
  l.apply_evaluations(
      run, 130,
      evaluations{raised("K-2", {make_finding("K-2", finding_kind::missing_on_national, reason::not_pushed)})});
  return run;
}

void tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

std::string query_text(const std::string& path, const std::string& sql) {
  sqlite::database db(path);
  return db.query_text(sql);
}

struct keyed_ledger {
  test::temp_dir dir;
  std::string path = dir.file("ledger.db");
  ledger l = ledger::open(path, the_key());
  std::int64_t run = build_history(l);

  chain_report chain() const { return l.verify_chain(&the_key()); }
  std::int64_t finding_of(const char* key) const { return l.findings_for_key(key).at(0).id; }
};

// Rewrites every event from `from_id` on with hashes an editor can compute (SHA-256, no key) and points the head
// at the last: what recomputing the chain after an edit looks like.
void recompute_without_key(const std::string& path, std::int64_t from_id) {
  sqlite::database db(path);
  std::vector<event_row> rows;
  {
    sqlite::statement st(db,
                         "SELECT id, finding_id, at, run_id, type, from_state, to_state, cause, actor, prev_hash, hash"
                         " FROM events ORDER BY id");
    while (st.step()) {
      event_row e;
      e.id = st.get_int(0);
      e.finding_id = st.is_null(1) ? 0 : st.get_int(1);
      e.at = st.get_int(2);
      e.run_id = st.get_optional_int(3);
      e.type = st.get_text(4);
      e.from_state = st.get_optional_text(5);
      e.to_state = st.get_text(6);
      e.cause = st.get_text(7);
      e.actor = st.get_optional_text(8);
      e.prev_hash = st.get_text(9);
      e.hash = st.get_text(10);
      rows.push_back(std::move(e));
    }
  }
  std::string prev(genesis_hash);
  for (auto& e : rows) {
    if (e.id >= from_id) {
      e.prev_hash = prev;
      e.hash = event_hash(e);
      sqlite::statement up(db, "UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?");
      up.bind(1, e.prev_hash).bind(2, e.hash).bind(3, e.id).run();
    }
    prev = e.hash;
  }
  if (!rows.empty()) {
    sqlite::statement head(db, "UPDATE chain_head SET last_event_id = ?, last_hash = ?");
    head.bind(1, rows.back().id).bind(2, rows.back().hash).run();
  }
}

}  // namespace

TEST_CASE("HMAC-SHA-256 matches RFC 4231 test case 2, and the key id does not reveal the key") {
  const audit_key key("Jefe");
  CHECK(key.mac_hex("what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(key.id().size() == 16);
  CHECK(key.id() != audit_key("jefe").id());
  const audit_key copy = key;
  CHECK(copy.mac_hex("x") == key.mac_hex("x"));
}

TEST_CASE("a keyed ledger verifies with its key; events, records and head carry MACs an editor cannot compute") {
  keyed_ledger k;
  CHECK(k.l.audit_keyed());
  const auto report = k.chain();
  INFO(report.message);
  CHECK(report.ok);
  CHECK(report.keyed);
  CHECK(report.message.find("keyed from event 1") != std::string::npos);
  CHECK(k.l.verify_findings().ok);
  CHECK(k.l.verify_records(&the_key()).ok);
  const auto events = k.l.events_for_finding(k.finding_of("K-1"));
  CHECK(events.at(0).hash != event_hash(events.at(0)));
  // The first event of a ledger created with a key is the keying point.
  CHECK(query_text(k.path, "SELECT type FROM events WHERE id = 1") == "chain_keyed");

  const auto without = k.l.verify_chain(nullptr);
  CHECK_FALSE(without.ok);
  CHECK(without.needs_key);
  const audit_key wrong("another-key-of-another-province-0123456789abcdef");
  const auto with_wrong = k.l.verify_chain(&wrong);
  CHECK_FALSE(with_wrong.ok);
  CHECK(with_wrong.message.find("with key " + the_key().id() + ", not with the key of audit.key_file") !=
        std::string::npos);
  CHECK(k.l.verify_records(nullptr).needs_key);
}

TEST_CASE("writing to a keyed ledger without the key is refused, and nothing is written") {
  keyed_ledger k;
  auto plain = ledger::open(k.path);
  CHECK_THROWS_WITH_AS(plain.ack(k.finding_of("K-2"), "note", "x", 200), doctest::Contains("is keyed"), ledger_error);
  CHECK_THROWS_AS(plain.apply_evaluations(k.run, 200, evaluations{raised("K-9", {})}), ledger_error);
  CHECK_THROWS_AS(plain.begin_batch(k.run, 200), ledger_error);
  CHECK(k.chain().ok);
}

TEST_CASE("UPDATE findings SET state = 'resolved' is found and the finding named") {
  keyed_ledger k;
  const auto id = k.finding_of("K-3");
  tamper(k.path, "UPDATE findings SET state = 'resolved' WHERE id = " + std::to_string(id));
  CHECK(k.chain().ok);  // the chain itself is untouched
  const auto fold = k.l.verify_findings();
  CHECK_FALSE(fold.ok);
  CHECK(fold.first_broken_finding_id == id);
  CHECK(fold.message ==
        "finding " + std::to_string(id) + " (K-3, falsely_closed) is 'resolved' but its events say 'open'");
}

TEST_CASE("mass-resolving one kind of finding names the first of them") {
  keyed_ledger k;
  tamper(k.path, "UPDATE findings SET state = 'resolved' WHERE kind = 'falsely_closed'");
  const auto fold = k.l.verify_findings();
  CHECK_FALSE(fold.ok);
  CHECK(fold.first_broken_finding_id == k.finding_of("K-3"));
}

TEST_CASE("acks: an edited, a removed and a forged acknowledgement are all found") {
  keyed_ledger k;
  const auto acked = std::to_string(k.finding_of("K-1"));
  const auto other = std::to_string(k.finding_of("K-2"));
  SUBCASE("edited author") {
    tamper(k.path, "UPDATE findings SET ack_by = 'director' WHERE id = " + acked);
    CHECK(k.l.verify_findings().first_broken_finding_id == k.finding_of("K-1"));
  }
  SUBCASE("removed from the finding") {
    tamper(k.path, "UPDATE findings SET ack_note = NULL, ack_by = NULL, ack_at = NULL WHERE id = " + acked);
    CHECK(k.l.verify_findings().message.find("records the acknowledgement none by none but its events say "
                                             "'checked' by 'ops'") != std::string::npos);
  }
  SUBCASE("forged on a finding never acknowledged") {
    tamper(k.path, "UPDATE findings SET ack_note = 'ok', ack_by = 'ops', ack_at = 115 WHERE id = " + other);
    CHECK(k.l.verify_findings().first_broken_finding_id == k.finding_of("K-2"));
  }
  SUBCASE("its event deleted along with it") {
    tamper(k.path,
           "DELETE FROM events WHERE type = 'ack'; UPDATE findings SET ack_note = NULL, ack_by = NULL, "
           "ack_at = NULL WHERE id = " +
               acked);
    const auto chain = k.chain();
    CHECK_FALSE(chain.ok);
    CHECK(chain.message.find("does not link to the event before it") != std::string::npos);
  }
}

TEST_CASE("DELETE of a finding, and moving a finding to another dossier, break its events") {
  keyed_ledger k;
  SUBCASE("delete") {
    const auto id = k.finding_of("K-4");
    tamper(k.path, "PRAGMA foreign_keys = OFF; DELETE FROM findings WHERE id = " + std::to_string(id));
    const auto chain = k.chain();
    CHECK_FALSE(chain.ok);
    CHECK(chain.message.find("belongs to finding " + std::to_string(id) + ", which is not in the ledger") !=
          std::string::npos);
    CHECK_FALSE(k.l.verify_findings().ok);
  }
  SUBCASE("move") {
    tamper(k.path, "UPDATE findings SET key = 'K-OTHER' WHERE key = 'K-3'");
    const auto chain = k.chain();
    CHECK_FALSE(chain.ok);
    CHECK(chain.message.find("does not match its MAC") != std::string::npos);
  }
}

TEST_CASE("deleting the newest events is found: through the head, and through the head's MAC when it is set back") {
  keyed_ledger k;
  const auto last = std::stoll(query_text(k.path, "SELECT max(id) FROM events"));
  SUBCASE("head left as it was") {
    tamper(k.path, "DELETE FROM events WHERE id = " + std::to_string(last));
    CHECK(k.chain().message.find("deleted at the end") != std::string::npos);
  }
  SUBCASE("head set back to the event before") {
    tamper(k.path, "DELETE FROM events WHERE id = " + std::to_string(last) +
                       "; UPDATE chain_head SET last_event_id = (SELECT max(id) FROM events),"
                       " last_hash = (SELECT hash FROM events WHERE id = (SELECT max(id) FROM events))");
    const auto chain = k.chain();
    CHECK_FALSE(chain.ok);
    CHECK(chain.message.find("does not match its MAC") != std::string::npos);
  }
}

TEST_CASE("a head kept outside the ledger catches a rollback to an old copy of the head row") {
  keyed_ledger k;
  const chain_head_ref kept = k.l.chain_head();
  const std::string old_head =
      query_text(k.path, "SELECT last_event_id || '|' || last_hash || '|' || mac FROM chain_head");
  const auto id = std::to_string(k.finding_of("K-4"));
  k.l.apply_evaluations(k.run, 300, evaluations{raised("K-4", {})});  // resolves K-4
  const chain_head_ref later = k.l.chain_head();
  CHECK(k.l.chain_contains(kept));
  CHECK(k.l.chain_contains(later));
  // The editor deletes the resolution, puts the finding and the old head row back: consistent in itself.
  const auto bar1 = old_head.find('|'), bar2 = old_head.rfind('|');
  tamper(k.path, "DELETE FROM events WHERE id > " + old_head.substr(0, bar1) +
                     "; UPDATE findings SET state = 'open' WHERE id = " + id +
                     "; UPDATE chain_head SET last_event_id = " + old_head.substr(0, bar1) + ", last_hash = '" +
                     old_head.substr(bar1 + 1, bar2 - bar1 - 1) + "', mac = '" + old_head.substr(bar2 + 1) + "'");
  CHECK(k.chain().ok);
  CHECK(k.l.verify_findings().ok);
  CHECK_FALSE(k.l.chain_contains(later));  // only the head kept elsewhere tells
}

TEST_CASE("recomputing the chain without the key is found at the first event edited") {
  keyed_ledger k;
  const auto events = k.l.events_for_finding(k.finding_of("K-2"));
  const auto victim = events.at(1).id;  // the resolution
  tamper(k.path, "UPDATE events SET cause = 'resolved by hand' WHERE id = " + std::to_string(victim));
  recompute_without_key(k.path, victim);
  auto chain = k.chain();
  CHECK_FALSE(chain.ok);
  CHECK(chain.first_broken_event_id == victim);
  CHECK(chain.message.find("does not match its MAC") != std::string::npos);

  // Dropping the keying point and recomputing everything as an unkeyed chain does not help either.
  tamper(k.path, "PRAGMA foreign_keys = OFF; DELETE FROM events WHERE type = 'chain_keyed'");
  recompute_without_key(k.path, 0);
  chain = k.chain();
  CHECK_FALSE(chain.ok);
  CHECK(chain.message.find("not keyed although a key is configured") != std::string::npos);
}

TEST_CASE("stored records: a body rewritten with its SHA-256, or a fact edited in its column, is found") {
  keyed_ledger k;
  SUBCASE("body and hash") {
    tamper(k.path,
           "UPDATE record_bodies SET body = replace(body, 'PROCESSING', 'COMPLETED') WHERE record_id ="
           " (SELECT id FROM records WHERE key = 'K-2')");
    const auto body = query_text(k.path,
                                 "SELECT body FROM record_bodies WHERE record_id = (SELECT id FROM records WHERE "
                                 "key = 'K-2')");
    tamper(k.path, "UPDATE records SET hash = '" + sha256_hex(body) + "' WHERE key = 'K-2'");
    const auto r = k.l.verify_records(&the_key());
    CHECK_FALSE(r.ok);
    CHECK(r.first_mismatch == "provincial K-2");
    CHECK(r.first_reason == "its body does not match its MAC");
  }
  SUBCASE("a fact") {
    tamper(k.path, "UPDATE records SET status = 9, status_code = 'COMPLETED' WHERE key = 'K-3'");
    const auto r = k.l.verify_records(&the_key());
    CHECK_FALSE(r.ok);
    CHECK(r.first_mismatch == "provincial K-3");
    CHECK(r.first_reason == "its status differs from its body");
  }
}

TEST_CASE("stored records: a record moved to another source, or stripped of its source, is found, keyed or not") {
  auto built = provincial_sources::build({{"dong-nai", {}}, {"binh-phuoc", "dong-nai"}});
  REQUIRE(built.problems.empty());
  const provincial_sources rule = std::move(built.value);
  test::temp_dir dir;
  const auto path = dir.file("ledger.db");
  {
    // Written unkeyed, so keying below rehashes a record that has a source.
    auto l = ledger::open(path);
    const auto run = l.begin_run(run_mode::service, 100, 100, 1800);
    auto b = l.begin_batch(run, 100);
    const auto named = test::make_dossier(side::provincial, "S-1");
    record_source from;
    from.name = "dong-nai";
    from.sources = &rule;
    b.upsert_record(named, facts_of(named), nullptr, &from);
    const auto national = test::make_dossier(side::national, "S-1");
    b.upsert_record(national, facts_of(national));
    b.commit();
  }
  auto l = ledger::open(path, the_key());
  for (const bool keyed : {false, true}) {
    CAPTURE(keyed);
    if (keyed) REQUIRE(l.key_audit_chain(200));
    const audit_key* key = keyed ? &the_key() : nullptr;
    CHECK(l.verify_records(key).ok);
    for (const std::string edit : {"'binh-phuoc'", "NULL"}) {
      CAPTURE(edit);
      tamper(path, "UPDATE records SET source = " + edit + " WHERE key = 'S-1' AND side = 'provincial'");
      const auto r = l.verify_records(key);
      CHECK_FALSE(r.ok);
      CHECK(r.first_mismatch == "provincial S-1");
      CHECK(r.first_reason == (keyed ? "its body does not match its MAC" : "its body does not match its hash"));
      tamper(path, "UPDATE records SET source = 'dong-nai' WHERE key = 'S-1' AND side = 'provincial'");
      CHECK(l.verify_records(key).ok);
    }
  }
}

TEST_CASE("chain_head_ref: ID:HASH, and nothing else") {
  const std::string hash(64, 'a');
  REQUIRE(chain_head_ref::parse("12:" + hash));
  CHECK(chain_head_ref::parse("12:" + hash)->event_id == 12);
  CHECK(chain_head_ref::parse("12:" + hash)->text() == "12:" + hash);
  for (const std::string& bad : std::vector<std::string>{"12", ":" + hash, "x:" + hash, "12:" + hash + "0",
                                                         "12:" + std::string(64, 'G'), "-1:" + hash})
    CHECK_FALSE(chain_head_ref::parse(bad));
}

TEST_CASE("an existing unkeyed ledger is keyed once: migrated, verified, then vouched for by one chain_keyed event") {
  test::temp_dir dir;
  const auto path = dir.file("old.db");
  // The ledger as dvcrecon wrote it before migration 004: schema 1, a SHA-256 chain, its newest event deleted
  // and the head fixed up (so only the AUTOINCREMENT high-water mark remembers that id).
  {
    sqlite::database db(path);
    db.exec(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT "
        "NULL)");
    db.exec(std::string(embedded_migrations().front().sql));
    // Recorded as dvcrecon records each migration it applies: which ones ran is read from this table.
    db.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, '" +
            std::string(embedded_migrations().front().name) + "', 100)");
    db.exec("PRAGMA user_version = 1");
  }
  std::int64_t high_water = 0;
  {
    sqlite::database db(path);
    db.exec("INSERT INTO runs (id, mode, started_at, as_of, grace_s) VALUES (1, 'service', 100, 100, 1800)");
    db.exec(
        "INSERT INTO findings (id, key, kind, reason, unit_code, state, first_seen, last_seen) VALUES"
        " (1, 'K-1', 'falsely_closed', 'no_result', 'U', 'open', 100, 100),"
        " (2, 'K-2', 'status_mismatch', 'differs', 'U', 'open', 100, 100)");
    std::string prev(genesis_hash);
    for (std::int64_t id : {1, 2, 3}) {
      event_row e;
      e.id = id;
      e.finding_id = id == 3 ? 2 : id;
      e.at = 100;
      e.run_id = 1;
      e.type = id == 3 ? "ack" : "opened";
      e.from_state = id == 3 ? std::optional<std::string>("open") : std::nullopt;
      e.to_state = "open";
      e.cause = id == 3 ? "to be deleted" : (id == 1 ? "no_result" : "differs");
      e.prev_hash = prev;
      e.hash = event_hash(e);
      sqlite::statement ins(db,
                            "INSERT INTO events (id, finding_id, at, run_id, type, from_state, to_state, cause, actor,"
                            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)");
      ins.bind(1, e.id).bind(2, e.finding_id).bind(3, e.at).bind(4, e.run_id).bind(5, e.type).bind(6, e.from_state);
      ins.bind(7, e.to_state).bind(8, e.cause).bind(9, e.prev_hash).bind(10, e.hash).run();
      if (id < 3) prev = e.hash;
    }
    db.exec("DELETE FROM events WHERE id = 3");
    db.exec("INSERT INTO chain_head (singleton, last_event_id, last_hash) VALUES (1, 2, '" + prev + "')");
    high_water = db.query_int("SELECT seq FROM sqlite_sequence WHERE name = 'events'");
  }
  REQUIRE(high_water == 3);

  auto l = ledger::open(path, the_key());
  CHECK(l.schema_version() == latest_schema_version());
  CHECK_FALSE(l.audit_keyed());
  CHECK(l.verify_chain(nullptr).ok);  // still the old chain, intact
  const auto keyed = l.key_audit_chain(500);
  REQUIRE(keyed);
  CHECK(keyed->events_before == 2);
  CHECK(keyed->findings_bound == 2);
  CHECK(keyed->anchor_event_id == 4);   // id 3 stays used
  CHECK_FALSE(l.key_audit_chain(600));  // once
  const auto chain = l.verify_chain(&the_key());
  INFO(chain.message);
  CHECK(chain.ok);
  CHECK(chain.message.find("keyed from event 4") != std::string::npos);
  CHECK(l.verify_findings().ok);

  // The findings that were there at keying are bound by it, though none of their events is keyed.
  tamper(path, "UPDATE findings SET key = 'K-9' WHERE id = 1");
  CHECK(l.verify_chain(&the_key()).message.find("were deleted, added or moved") != std::string::npos);
}

TEST_CASE("a tampered unkeyed ledger is not keyed: the service would vouch for the tampering") {
  test::temp_dir dir;
  const auto path = dir.file("ledger.db");
  {
    auto l = ledger::open(path);
    build_history(l);
  }
  tamper(path, "UPDATE findings SET state = 'resolved' WHERE key = 'K-3'");
  auto l = ledger::open(path, the_key());
  CHECK_THROWS_WITH_AS(l.key_audit_chain(500), doctest::Contains("cannot be keyed"), ledger_error);
  CHECK_FALSE(l.audit_keyed());
  CHECK_THROWS_AS(l.ack(1, "n", "x", 500), ledger_error);  // every write tries, and refuses, the same
}
