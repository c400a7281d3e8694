#include "api/metrics.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "service/build_info.hpp"

namespace dvc {
namespace {

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

class exposition {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  }
  void sample(std::string_view name, std::initializer_list<std::pair<std::string_view, std::string_view>> labels,
              double value) {
    out_ << name;
    if (labels.size()) {
      out_ << '{';
      bool first = true;
      for (const auto& [k, v] : labels) {
        out_ << (first ? "" : ",") << k << "=\"" << escape_label(v) << '"';
        first = false;
      }
      out_ << '}';
    }
    out_ << ' ' << number(value) << '\n';
  }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

constexpr side both_sides[] = {side::provincial, side::national};

}  // namespace

std::string escape_label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string render_metrics(const service_status& status, const std::optional<ledger_figures>& ledger, instant now) {
  exposition m;
  m.family("dvcrecon_build_info", "gauge", "Always 1; the labels say which dvcrecon and ledger schema this is.");
  const std::string schema = std::to_string(build_schema_version());
  m.sample("dvcrecon_build_info", {{"version", build_version()}, {"schema", schema}}, 1);
  m.family("dvcrecon_up_seconds", "gauge", "Seconds since the service started.");
  m.sample("dvcrecon_up_seconds", {}, static_cast<double>(now - status.started_at));

  m.family("dvcrecon_poll_duration_seconds", "gauge", "Duration of the latest poll of each portal.");
  for (const side s : both_sides)
    m.sample("dvcrecon_poll_duration_seconds", {{"side", side_name(s)}}, status.of(s).last_duration_s);
  m.family("dvcrecon_polls_total", "counter", "Polls of each portal started.");
  for (const side s : both_sides)
    m.sample("dvcrecon_polls_total", {{"side", side_name(s)}}, static_cast<double>(status.of(s).polls_total));
  m.family("dvcrecon_poll_failures_total", "counter", "Polls of each portal that did not read every page.");
  for (const side s : both_sides)
    m.sample("dvcrecon_poll_failures_total", {{"side", side_name(s)}},
             static_cast<double>(status.of(s).poll_failures_total));
  m.family("dvcrecon_records_read_total", "counter", "Dossier records read from each portal, counted page by page.");
  for (const side s : both_sides)
    m.sample("dvcrecon_records_read_total", {{"side", side_name(s)}},
             static_cast<double>(status.of(s).records_read_total));
  m.family("dvcrecon_pages_read_total", "counter", "Listing pages read from each portal.");
  for (const side s : both_sides)
    m.sample("dvcrecon_pages_read_total", {{"side", side_name(s)}}, static_cast<double>(status.of(s).pages_total));
  // The poll under way, page by page (docs/cli.md#poll_progress); between polls, the latest poll's figures.
  m.family("dvcrecon_poll_running", "gauge", "1 while a poll of the portal runs.");
  for (const side s : both_sides)
    m.sample("dvcrecon_poll_running", {{"side", side_name(s)}}, status.of(s).poll.running ? 1 : 0);
  m.family("dvcrecon_poll_records_read", "gauge", "Records read by the poll under way (else the latest poll).");
  for (const side s : both_sides)
    m.sample("dvcrecon_poll_records_read", {{"side", side_name(s)}}, static_cast<double>(status.of(s).poll.records));
  m.family("dvcrecon_poll_pages_read", "gauge", "Pages read by the poll under way (else the latest poll).");
  for (const side s : both_sides)
    m.sample("dvcrecon_poll_pages_read", {{"side", side_name(s)}}, static_cast<double>(status.of(s).poll.pages));
  m.family("dvcrecon_poll_records_per_second", "gauge", "Records read per second by the poll under way.");
  for (const side s : both_sides)
    m.sample("dvcrecon_poll_records_per_second", {{"side", side_name(s)}}, status.of(s).poll.records_per_s);
  m.family("dvcrecon_poll_records_remaining", "gauge",
           "Records the portal's totals say the poll under way has still to read (absent without totals).");
  for (const side s : both_sides)
    if (const auto n = status.of(s).poll.remaining)
      m.sample("dvcrecon_poll_records_remaining", {{"side", side_name(s)}}, static_cast<double>(*n));
  m.family("dvcrecon_poll_remaining_seconds", "gauge",
           "Estimated seconds until the poll under way ends, at its rate so far (absent without totals).");
  for (const side s : both_sides)
    if (const auto t = status.of(s).poll.eta_s)
      m.sample("dvcrecon_poll_remaining_seconds", {{"side", side_name(s)}}, *t);
  m.family("dvcrecon_http_errors_total", "counter", "Failed portal requests by side and kind of error.");
  for (const side s : both_sides)
    for (const auto& [kind, n] : status.of(s).http_errors_by_kind)
      m.sample("dvcrecon_http_errors_total", {{"side", side_name(s)}, {"kind", kind}}, static_cast<double>(n));
  m.family("dvcrecon_last_success_timestamp_seconds", "gauge",
           "Unix time the latest complete poll of each portal ended (absent before the first).");
  for (const side s : both_sides)
    if (const auto t = status.of(s).last_success)
      m.sample("dvcrecon_last_success_timestamp_seconds", {{"side", side_name(s)}}, static_cast<double>(*t));

  m.family("dvcrecon_cycles_total", "counter", "Reconciliation cycles completed or failed.");
  m.sample("dvcrecon_cycles_total", {}, static_cast<double>(status.cycles_total));
  m.family("dvcrecon_cycle_failures_total", "counter", "Reconciliation cycles that failed.");
  m.sample("dvcrecon_cycle_failures_total", {}, static_cast<double>(status.cycle_failures_total));
  m.family("dvcrecon_cycle_duration_seconds", "gauge", "Duration of the latest reconciliation cycle.");
  m.sample("dvcrecon_cycle_duration_seconds", {}, status.last_cycle_duration_s);
  m.family("dvcrecon_finding_transitions_total", "counter", "Finding lifecycle changes made by this process.");
  m.sample("dvcrecon_finding_transitions_total", {{"transition", "raised"}},
           static_cast<double>(status.findings_raised_total));
  m.sample("dvcrecon_finding_transitions_total", {{"transition", "resolved"}},
           static_cast<double>(status.findings_resolved_total));
  m.sample("dvcrecon_finding_transitions_total", {{"transition", "reopened"}},
           static_cast<double>(status.findings_reopened_total));
  m.family("dvcrecon_data_errors_total", "counter", "Records that could not be used or carried a problem.");
  m.sample("dvcrecon_data_errors_total", {}, static_cast<double>(status.data_errors_total));

  // docs/lookups.md#progress: only when national is read by look-ups.
  if (status.national_looked_up) {
    m.family("dvcrecon_national_lookups_total", "counter", "National look-ups answered (or failed) by outcome.");
    for (const auto& [outcome, n] : status.lookups_by_outcome)
      m.sample("dvcrecon_national_lookups_total", {{"outcome", outcome}}, static_cast<double>(n));
    m.family("dvcrecon_national_lookup_dossiers", "gauge",
             "Provincial dossiers by look-up state after the latest pass: all, looked up at least once, due in the "
             "rolling pass.");
    m.sample("dvcrecon_national_lookup_dossiers", {{"state", "provincial"}},
             static_cast<double>(status.lookup_provincial_dossiers));
    m.sample("dvcrecon_national_lookup_dossiers", {{"state", "looked_up"}},
             static_cast<double>(status.lookup_looked_up));
    m.sample("dvcrecon_national_lookup_dossiers", {{"state", "rolling_due"}},
             static_cast<double>(status.lookup_rolling_due));
  }

  // The chain head after the last cycle, as the service recorded it: a Prometheus server that keeps this series
  // keeps the chain's history outside the ledger, for `verify-ledger --expect-head ID:HASH`.
  if (status.audit_head_event_id > 0) {
    m.family("dvcrecon_audit_chain_head_info", "gauge",
             "The audit chain's newest event after the last cycle (event_id:hash is what verify-ledger "
             "--expect-head takes).");
    m.sample("dvcrecon_audit_chain_head_info",
             {{"event_id", std::to_string(status.audit_head_event_id)}, {"hash", status.audit_head_hash}}, 1);
    m.family("dvcrecon_audit_chain_events", "gauge", "Id of the audit chain's newest event after the last cycle.");
    m.sample("dvcrecon_audit_chain_events", {}, static_cast<double>(status.audit_head_event_id));
    m.family("dvcrecon_audit_chain_keyed", "gauge", "1 when the audit chain is keyed (HMAC-SHA-256).");
    m.sample("dvcrecon_audit_chain_keyed", {}, status.audit_keyed ? 1 : 0);
  }

  m.family("dvcrecon_ledger_up", "gauge", "1 when the ledger could be read for this scrape.");
  m.sample("dvcrecon_ledger_up", {}, ledger ? 1 : 0);
  if (!ledger) return m.text();

  m.family("dvcrecon_findings", "gauge", "Findings in the ledger by kind and state.");
  for (const auto& [ks, n] : ledger->findings)
    m.sample("dvcrecon_findings", {{"kind", ks.first}, {"state", ks.second}}, static_cast<double>(n));
  m.family("dvcrecon_sync_rate_ratio", "gauge",
           "Share of dossiers fully synchronised to DVCQG this quarter per unit (unit=\"province\" for all); absent "
           "while none is evaluated.");
  for (const auto& r : ledger->sync_rates)
    if (r.rate)
      m.sample("dvcrecon_sync_rate_ratio", {{"unit", r.province ? "province" : r.unit_code}, {"period", r.period}},
               *r.rate);
  m.family("dvcrecon_sync_rate_target_ratio", "gauge", "Sync-rate target of this quarter per unit.");
  for (const auto& r : ledger->sync_rates)
    m.sample("dvcrecon_sync_rate_target_ratio", {{"unit", r.province ? "province" : r.unit_code}, {"period", r.period}},
             r.target / 100.0);
  m.family("dvcrecon_sync_dossiers", "gauge", "Dossiers counted in this quarter's sync rate per unit.");
  for (const auto& r : ledger->sync_rates)
    m.sample("dvcrecon_sync_dossiers", {{"unit", r.province ? "province" : r.unit_code}, {"period", r.period}},
             static_cast<double>(r.total));
  m.family("dvcrecon_sync_not_evaluated_dossiers", "gauge",
           "Dossiers of this quarter read since the last complete evaluation: in no rate until one covers them.");
  for (const auto& r : ledger->sync_rates)
    m.sample("dvcrecon_sync_not_evaluated_dossiers",
             {{"unit", r.province ? "province" : r.unit_code}, {"period", r.period}},
             static_cast<double>(r.not_evaluated));
  m.family("dvcrecon_ledger_bytes", "gauge", "Size of the ledger database file.");
  m.sample("dvcrecon_ledger_bytes", {}, static_cast<double>(ledger->sizes.db_bytes));
  m.family("dvcrecon_ledger_wal_bytes", "gauge", "Size of the ledger's write-ahead log.");
  m.sample("dvcrecon_ledger_wal_bytes", {}, static_cast<double>(ledger->sizes.wal_bytes));
  return m.text();
}

}  // namespace dvc
