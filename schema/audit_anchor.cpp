#include "schema/audit_anchor.hpp"

#include <nlohmann/json.hpp>

#include "reconcile/bounded_json.hpp"
#include "schema/audit_fold.hpp"
#include "schema/audit_records.hpp"
#include "schema/event_chain.hpp"
#include "schema/sha256.hpp"

namespace dvc {

std::string keying_cause_text(const keying_cause& c) {
  return nlohmann::json{
      {"key_id", c.key_id}, {"findings_through", c.findings_through}, {"findings_digest", c.findings_digest}}
      .dump();
}

std::optional<keying_cause> parse_keying_cause(std::string_view text) {
  try {
    const auto j = parse_bounded(text, json_limits{4096, 2, 256});
    keying_cause c;
    c.key_id = j.at("key_id").get<std::string>();
    c.findings_through = j.at("findings_through").get<std::int64_t>();
    c.findings_digest = j.at("findings_digest").get<std::string>();
    return c;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

findings_digest_result findings_digest(sqlite::database& db, std::int64_t through) {
  sqlite::statement st(db, "SELECT id, key, kind FROM findings WHERE id <= ? ORDER BY id");
  st.bind(1, through);
  sha256_stream digest;
  findings_digest_result out;
  std::string line;
  while (st.step()) {
    line = std::to_string(st.get_int(0));
    line += '\t';
    line += st.get_text_view(1);
    line += '\t';
    line += st.get_text_view(2);
    line += '\n';
    digest.update(line);
    ++out.count;
  }
  out.value = digest.hex_digest();
  return out;
}

keying_report key_chain(ledger::impl& p, instant now) {
  const std::string where = "ledger " + p.db.path() +
                            ": the audit chain cannot be keyed, since what it holds does "
                            "not verify and keying it would vouch for that: ";
  if (const auto chain = verify_event_chain(p.db, nullptr); !chain.ok) throw ledger_error(where + chain.message);
  if (const auto fold = verify_findings_fold(p.db); !fold.ok) throw ledger_error(where + fold.message);
  if (const auto records = verify_stored_records(p.db, nullptr, false); !records.ok)
    throw ledger_error(where + "record " + records.first_mismatch.value_or("?") + ": " + records.first_reason);

  keying_report report;
  report.records_rehashed = rehash_records(p.db, *p.key);
  {
    sqlite::statement count(p.db, "SELECT count(*) FROM events");
    count.step();
    report.events_before = count.get_int(0);
  }
  keying_cause cause;
  cause.key_id = p.key->id();
  {
    sqlite::statement top(p.db, "SELECT COALESCE(max(id), 0) FROM findings");
    top.step();
    cause.findings_through = top.get_int(0);
  }
  const auto digest = findings_digest(p.db, cause.findings_through);
  cause.findings_digest = digest.value;
  report.findings_bound = digest.count;

  p.keyed = true;
  event_row e;
  e.at = now;
  e.type = event_type::chain_keyed;
  e.to_state = "keyed";
  e.cause = keying_cause_text(cause);
  e.actor = "dvcrecon";
  append_event(p, e, std::nullopt);
  report.anchor_event_id = e.id;
  return report;
}

}  // namespace dvc
