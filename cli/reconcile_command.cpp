#include "cli/reconcile_command.hpp"

#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "cli/cli_parse.hpp"
#include "connectors/wall_clock.hpp"
#include "reconcile/export_reader.hpp"
#include "reconcile/matcher.hpp"
#include "reconcile/wire.hpp"
#include "reports/finding_output.hpp"
#include "schema/ledger.hpp"
#include "schema/sqlite.hpp"
#include "service/exit_codes.hpp"

namespace dvc {
namespace {

// Ledger writes and lifecycle are applied in chunks so memory stays flat however large the exports are.
constexpr std::size_t ledger_chunk = 5000;

struct totals {
  std::int64_t findings = 0, pending = 0;
  std::map<std::string, std::int64_t> by_kind;
  lifecycle_counts lifecycle;
};

nlohmann::json side_summary(const dossier_facts* f) { return f ? summarize(*f) : nlohmann::json(nullptr); }

// Without a ledger: every finding is new, seen once at T, numbered in output order.
class plain_sink {
 public:
  plain_sink(finding_writer& out, instant as_of) : out_(out), as_of_(as_of) {}
  void add(const dossier_facts* p, const dossier_facts* n, const evaluation& ev, totals& t) {
    for (const auto& f : ev.findings) {
      finding_view v;
      v.id = ++id_;
      v.key = f.key;
      v.kind = f.kind;
      v.reason = f.reason;
      v.unit_code = f.unit_code;
      v.state = state::open;
      v.first_seen = v.last_seen = as_of_;
      v.details = f.details;
      v.provincial = side_summary(p);
      v.national = side_summary(n);
      out_.write(v);
      ++t.findings;
      ++t.by_kind[std::string(kind_name(f.kind))];
    }
  }
  void flush(totals&) {}

 private:
  finding_writer& out_;
  instant as_of_;
  std::int64_t id_ = 0;
};

// With a ledger: lifecycle across runs; prints the findings raised in this run and those it resolved.
class ledger_sink {
 public:
  ledger_sink(finding_writer& out, ledger& db, std::int64_t run_id, instant as_of)
      : out_(out), db_(db), run_id_(run_id), as_of_(as_of) {
    for (auto& k : db_.open_finding_keys()) open_before_.insert(std::move(k));
  }
  void add(const dossier_facts* p, const dossier_facts* n, const evaluation& ev, totals&) {
    const std::string& key = p ? p->key : n->key;
    chunk_.emplace_back(key, ev);
    summaries_[key] = {side_summary(p), side_summary(n)};
    if (chunk_.size() >= ledger_chunk) flush_chunk();
  }
  void flush(totals& t) {
    flush_chunk();
    t.lifecycle = counts_;
    t.findings = printed_;
    t.by_kind = by_kind_;
  }

 private:
  void flush_chunk() {
    if (chunk_.empty()) return;
    std::set<std::int64_t> was_open;
    for (const auto& [key, ev] : chunk_)
      if (!ev.pending && open_before_.count(key))
        for (const auto& row : db_.findings_for_key(key))
          if (is_open_state(row.state)) was_open.insert(row.id);
    counts_ += db_.apply_evaluations(run_id_, as_of_, chunk_);
    for (const auto& [key, ev] : chunk_) {
      if (ev.pending || (ev.findings.empty() && !open_before_.count(key))) continue;
      const auto& [prov, nat] = summaries_[key];
      for (const auto& row : db_.findings_for_key(key)) {
        const bool raised_now = is_open_state(row.state) && row.last_seen == as_of_;
        const bool resolved_now = row.state == state::resolved && was_open.count(row.id);
        if (!raised_now && !resolved_now) continue;
        out_.write({row.id, row.key, row.kind, row.reason, row.unit_code, row.state, row.first_seen, row.last_seen,
                    row.details, prov, nat, row.ack_note, row.ack_by, row.ack_at});
        ++printed_;
        ++by_kind_[std::string(kind_name(row.kind)) + (resolved_now ? " (resolved)" : "")];
      }
    }
    chunk_.clear();
    summaries_.clear();
  }

  finding_writer& out_;
  ledger& db_;
  std::int64_t run_id_;
  instant as_of_;
  std::set<std::string> open_before_;
  std::vector<std::pair<std::string, evaluation>> chunk_;
  std::map<std::string, std::pair<nlohmann::json, nlohmann::json>> summaries_;
  lifecycle_counts counts_;
  std::int64_t printed_ = 0;
  std::map<std::string, std::int64_t> by_kind_;
};

}  // namespace

int reconcile_command(const std::vector<std::string>& args) {
  CLI::App app("Reconcile a provincial and a national export offline (CONTRACT §4)", "reconcile");
  std::string provincial_path, national_path, as_of_text, format_name = "jsonl", ledger_path;
  std::int64_t grace = 1800;
  app.add_option("--provincial", provincial_path, "provincial records (§3): JSON array or one per line")->required();
  app.add_option("--national", national_path, "national records (§2): JSON array or one per line")->required();
  app.add_option("--as-of", as_of_text, "evaluation instant T, ISO 8601 (default: now)");
  app.add_option("--grace", grace, "grace period G in seconds (default 1800)")->check(CLI::NonNegativeNumber);
  app.add_option("--format", format_name, "jsonl, csv or table (default jsonl)")
      ->check(CLI::IsMember({"jsonl", "csv", "table"}));
  app.add_option("--ledger", ledger_path, "record this run in a ledger so findings keep their lifecycle");
  if (const auto stop = parse_cli(app, args)) return *stop;

  const instant wall_now = wall_clock_now();
  instant as_of = wall_now;
  if (!as_of_text.empty()) {
    const auto t = parse_cli_time("reconcile", "--as-of", as_of_text);
    if (!t) return exit_code::usage;
    as_of = *t;
  }

  const status_map statuses;
  matcher pairs;
  std::map<std::string, std::string> unit_names;
  std::optional<ledger> db;
  std::int64_t run_id = 0;
  try {
    if (!ledger_path.empty()) {
      db.emplace(ledger::open(ledger_path));
      run_id = db->begin_run(run_mode::offline, wall_now, as_of, grace);
    }
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon reconcile: ledger " << ledger_path << ": " << e.what() << "\n";
    return exit_code::runtime;
  }

  export_stats stats[2];
  std::int64_t duplicates = 0;
  totals t;
  try {
    for (const side s : {side::provincial, side::national}) {
      const std::string& path = s == side::provincial ? provincial_path : national_path;
      std::optional<ledger::batch> batch;
      std::size_t in_batch = 0;
      stats[static_cast<int>(s)] = read_export(path, s, statuses, std::cerr, [&](dossier&& d, std::size_t line) {
        if (s == side::provincial && !d.unit_code.empty() && !d.unit_name.empty())
          unit_names.emplace(d.unit_code, d.unit_name);
        dossier_facts f = facts_of(d);
        if (db) {
          if (!batch) batch.emplace(db->begin_batch(run_id, as_of));
          batch->upsert_record(d, f);
          if (++in_batch == ledger_chunk) {
            batch->commit();
            batch.reset();
            in_batch = 0;
          }
        }
        pairs.add(std::move(f), line);
      });
      if (batch) batch->commit();
    }

    std::ostream& out = std::cout;
    finding_writer writer(out, *output_format_from(format_name), unit_names);
    pairs.sort();  // duplicates are reported before any finding
    for (const auto& d : pairs.duplicates()) {
      ++duplicates;
      const std::string& path = d.origin == side::provincial ? provincial_path : national_path;
      std::cerr << path << ":" << d.other_source << ": duplicate key " << d.key << " on the " << side_name(d.origin)
                << " side (also line " << d.kept_source << "); both kept, the one updated last is matched\n";
    }
    const evaluation_context ctx{as_of, grace};
    const auto run_all = [&](auto& sink) {
      pairs.match([&](const dossier_facts* p, const dossier_facts* n) {
        const evaluation ev = evaluate(p, n, ctx);
        if (ev.pending) ++t.pending;
        sink.add(p, n, ev, t);
      });
      sink.flush(t);
    };
    if (db) {
      ledger_sink sink(writer, *db, run_id, as_of);
      run_all(sink);
    } else {
      plain_sink sink(writer, as_of);
      run_all(sink);
    }
    writer.finish();
    out.flush();
    if (db) {
      run_summary summary;
      summary.ended_at = wall_clock_now();
      summary.provincial_read = stats[0].records;
      summary.national_read = stats[1].records;
      summary.raised = t.lifecycle.raised;
      summary.resolved = t.lifecycle.resolved;
      summary.reopened = t.lifecycle.reopened;
      summary.errors = stats[0].malformed + stats[1].malformed;
      summary.status = summary.errors ? run_status::partial : run_status::ok;
      db->finish_run(run_id, summary);
    }
  } catch (const file_error& e) {
    std::cerr << "dvcrecon reconcile: " << e.what() << "\n";
    return exit_code::usage;
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon reconcile: " << e.what() << "\n";
    return exit_code::runtime;
  }

  std::cerr << "reconcile: provincial " << stats[0].records << " records (" << stats[0].malformed << " malformed, "
            << stats[0].warnings << " with warnings), national " << stats[1].records << " records ("
            << stats[1].malformed << " malformed, " << stats[1].warnings << " with warnings); " << duplicates
            << " duplicate keys; " << t.pending << " pending; " << t.findings << " findings";
  if (!t.by_kind.empty()) {
    std::cerr << " (";
    bool first = true;
    for (const auto& [kind, n] : t.by_kind) std::cerr << (first ? "" : ", ") << kind << " " << n, first = false;
    std::cerr << ")";
  }
  if (db)
    std::cerr << "; ledger: " << t.lifecycle.raised << " opened, " << t.lifecycle.reopened << " reopened, "
              << t.lifecycle.resolved << " resolved";
  std::cerr << "\n";
  return exit_code::ok;
}

}  // namespace dvc
