#include "cli/reconcile_command.hpp"

#include <array>
#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "cli/cli_parse.hpp"
#include "config/config_files.hpp"
#include "connectors/wall_clock.hpp"
#include "reconcile/export_reader.hpp"
#include "reconcile/matcher.hpp"
#include "reconcile/printable.hpp"
#include "reconcile/profile_error.hpp"
#include "reconcile/profile_file.hpp"
#include "reconcile/wire.hpp"
#include "reports/finding_output.hpp"
#include "schema/ledger.hpp"
#include "schema/sqlite.hpp"
#include "service/exit_codes.hpp"

namespace dvc {
namespace {

// Ledger writes and lifecycle are applied in chunks so memory stays flat however large the exports are.
constexpr std::size_t ledger_chunk = 5000;

struct reconcile_options {
  std::string provincial_path, national_path, as_of_text, format = "jsonl", ledger_path, key_path;
  std::string provincial_profile = "contract", national_profile = "contract";
  std::int64_t grace = 1800;

  const std::string& path_of(side s) const { return s == side::provincial ? provincial_path : national_path; }
};

// What the findings came to, for the summary and the ledger's run row.
struct totals {
  std::int64_t findings = 0, pending = 0;
  std::map<std::string, std::int64_t> by_kind;
  lifecycle_counts lifecycle;
};

// Everything a run read and found.
struct run_totals {
  export_stats stats[2];
  std::int64_t duplicates = 0;
  totals found;
};

// The ledger of a `--ledger` run and the run recorded in it.
struct recorded_run {
  ledger db;
  std::int64_t id = 0;
};

std::optional<dossier_facts> side_facts(const dossier_facts* f) {
  return f ? std::optional<dossier_facts>(*f) : std::nullopt;
}

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
      v.provincial = side_facts(p);
      v.national = side_facts(n);
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
    sides_[key] = {side_facts(p), side_facts(n)};
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
      const auto& [prov, nat] = sides_[key];
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
    sides_.clear();
  }

  finding_writer& out_;
  ledger& db_;
  std::int64_t run_id_;
  instant as_of_;
  std::set<std::string> open_before_;
  std::vector<std::pair<std::string, evaluation>> chunk_;
  std::map<std::string, std::pair<std::optional<dossier_facts>, std::optional<dossier_facts>>> sides_;
  lifecycle_counts counts_;
  std::int64_t printed_ = 0;
  std::map<std::string, std::int64_t> by_kind_;
};

// The command's words into options; an exit status when the command stops here (help, bad usage).
std::optional<int> parse_options(const std::vector<std::string>& args, reconcile_options& o) {
  CLI::App app("Reconcile a provincial and a national export offline (docs/rules.md)", "reconcile");
  app.add_option("--provincial", o.provincial_path,
                 "provincial records (docs/wire-formats.md): JSON array or one per line")
      ->required();
  app.add_option("--national", o.national_path, "national records (docs/wire-formats.md): JSON array or one per line")
      ->required();
  app.add_option("--provincial-profile", o.provincial_profile,
                 "how the provincial records are read (docs/profiles.md): a shipped profile (" +
                     shipped_profile_names(side::provincial) + ") or a profile file; default contract");
  app.add_option("--national-profile", o.national_profile,
                 "how the national records are read (docs/profiles.md): a shipped profile (" +
                     shipped_profile_names(side::national) + ") or a profile file; default contract");
  app.add_option("--as-of", o.as_of_text, "evaluation instant T, ISO 8601 (default: now)");
  app.add_option("--grace", o.grace, "grace period G in seconds (default 1800)")->check(whole_number_from(0));
  app.add_option("--format", o.format, "jsonl, csv or table (default jsonl)")->check(one_of({"jsonl", "csv", "table"}));
  app.add_option("--ledger", o.ledger_path, "record this run in a ledger so findings keep their lifecycle");
  app.add_option("--audit-key-file", o.key_path,
                 "the ledger's audit key (as audit.key_file of the service): needed once the ledger's chain is keyed")
      ->needs("--ledger");
  return parse_cli(app, args);
}

// Reads one export record by record into the matcher and, for a recorded run, into the ledger in chunks; keeps the
// provincial unit names for the table.
export_stats read_side(const record_profile& profile, const std::string& path, instant as_of, matcher& pairs,
                       std::map<std::string, std::string>& unit_names, recorded_run* run) {
  const side s = profile.origin();
  const status_map statuses;
  std::optional<ledger::batch> batch;
  std::size_t in_batch = 0;
  const export_stats stats = read_export(path, profile, statuses, std::cerr, [&](dossier&& d, std::size_t line) {
    if (s == side::provincial && !d.unit_code.empty() && !d.unit_name.empty())
      unit_names.emplace(d.unit_code, d.unit_name);
    dossier_facts f = facts_of(d);
    if (run) {
      if (!batch) batch.emplace(run->db.begin_batch(run->id, as_of));
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
  return stats;
}

// Duplicate keys on stderr, with both lines, before any finding is written; returns how many there were.
std::int64_t report_duplicates(matcher& pairs, const reconcile_options& o) {
  pairs.sort();
  for (const auto& d : pairs.duplicates()) {
    std::cerr << printable(o.path_of(d.origin) + ":" + std::to_string(d.other_source) + ": duplicate key " + d.key +
                           " on the " + std::string(side_name(d.origin)) + " side (also line " +
                           std::to_string(d.kept_source) + "); both kept, the one updated last is matched")
              << "\n";
  }
  return static_cast<std::int64_t>(pairs.duplicates().size());
}

// Evaluates every matched key at T and writes the findings: all of them, or with a ledger the ones this run changed.
totals evaluate_all(matcher& pairs, const evaluation_context& ctx, finding_writer& writer, recorded_run* run) {
  totals t;
  const auto run_all = [&](auto& sink) {
    pairs.match([&](const dossier_facts* p, const dossier_facts* n) {
      const evaluation ev = evaluate(p, n, ctx);
      if (ev.pending) ++t.pending;
      sink.add(p, n, ev, t);
    });
    sink.flush(t);
  };
  if (run) {
    ledger_sink sink(writer, run->db, run->id, ctx.as_of);
    run_all(sink);
  } else {
    plain_sink sink(writer, ctx.as_of);
    run_all(sink);
  }
  return t;
}

// The run's row in the ledger: what was read and changed; partial when records had to be skipped.
void finish_run(recorded_run& run, const run_totals& r) {
  run_summary summary;
  summary.ended_at = wall_clock_now();
  summary.provincial_read = r.stats[0].records;
  summary.national_read = r.stats[1].records;
  summary.raised = r.found.lifecycle.raised;
  summary.resolved = r.found.lifecycle.resolved;
  summary.reopened = r.found.lifecycle.reopened;
  summary.errors = r.stats[0].malformed + r.stats[1].malformed;
  summary.status = summary.errors ? run_status::partial : run_status::ok;
  run.db.finish_run(run.id, summary);
}

// Both exports read, matched and evaluated at T, findings on stdout. Throws file_error when an export cannot be
// read at all, other exceptions for ledger failures.
run_totals reconcile_exports(const reconcile_options& o, const std::array<portal_profile, 2>& profiles, instant as_of,
                             recorded_run* run) {
  run_totals r;
  matcher pairs;
  std::map<std::string, std::string> unit_names;
  for (const side s : {side::provincial, side::national})
    r.stats[static_cast<int>(s)] =
        read_side(profiles[static_cast<int>(s)].record, o.path_of(s), as_of, pairs, unit_names, run);
  finding_writer writer(std::cout, *output_format_from(o.format), unit_names);
  r.duplicates = report_duplicates(pairs, o);
  r.found = evaluate_all(pairs, {as_of, o.grace}, writer, run);
  writer.finish();
  std::cout.flush();
  if (run) finish_run(*run, r);
  return r;
}

// The closing line on stderr: records read and skipped per side, duplicates, pending, findings by kind, and what the
// ledger changed.
void print_summary(std::ostream& err, const run_totals& r, bool recorded) {
  const auto& [p, n] = r.stats;
  const totals& t = r.found;
  err << "reconcile: provincial " << p.records << " records (" << p.malformed << " malformed, " << p.warnings
      << " with warnings), national " << n.records << " records (" << n.malformed << " malformed, " << n.warnings
      << " with warnings); " << r.duplicates << " duplicate keys; " << t.pending << " pending; " << t.findings
      << " findings";
  if (!t.by_kind.empty()) {
    err << " (";
    bool first = true;
    for (const auto& [kind, count] : t.by_kind) err << (first ? "" : ", ") << kind << " " << count, first = false;
    err << ")";
  }
  if (recorded)
    err << "; ledger: " << t.lifecycle.raised << " opened, " << t.lifecycle.reopened << " reopened, "
        << t.lifecycle.resolved << " resolved";
  err << "\n";
}

}  // namespace

int reconcile_command(const std::vector<std::string>& args) {
  reconcile_options o;
  if (const auto stop = parse_options(args, o)) return *stop;

  const instant wall_now = wall_clock_now();
  instant as_of = wall_now;
  if (!o.as_of_text.empty()) {
    const auto t = parse_cli_time("reconcile", "--as-of", o.as_of_text);
    if (!t) return exit_code::usage;
    as_of = *t;
  }

  // Profiles are compiled before anything is read: a bad one is a usage error naming its file and key.
  std::optional<std::array<portal_profile, 2>> profiles;
  try {
    profiles.emplace(std::array<portal_profile, 2>{load_profile(o.provincial_profile, side::provincial),
                                                   load_profile(o.national_profile, side::national)});
  } catch (const profile_error& e) {
    std::cerr << "dvcrecon reconcile: " << printable(e.what()) << "\n";
    return exit_code::usage;
  }

  std::optional<audit_key> key;
  if (!o.key_path.empty()) {
    auto read = read_secret_file(o.key_path, min_token_bytes);
    if (read.warning) std::cerr << "dvcrecon reconcile: warning: " << *read.warning << "\n";
    if (read.error) {
      std::cerr << "dvcrecon reconcile: --audit-key-file: " << *read.error << "\n";
      return exit_code::usage;
    }
    key.emplace(read.value->reveal());
  }
  std::optional<recorded_run> run;
  try {
    if (!o.ledger_path.empty()) {
      ledger db = ledger::open(o.ledger_path, std::move(key));
      const std::int64_t id = db.begin_run(run_mode::offline, wall_now, as_of, o.grace);
      run.emplace(recorded_run{std::move(db), id});
    }
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon reconcile: ledger " << printable(o.ledger_path) << ": " << printable(e.what()) << "\n";
    return exit_code::runtime;
  }

  run_totals r;
  try {
    r = reconcile_exports(o, *profiles, as_of, run ? &*run : nullptr);
  } catch (const file_error& e) {
    std::cerr << "dvcrecon reconcile: " << printable(e.what()) << "\n";
    return exit_code::usage;
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon reconcile: " << printable(e.what()) << "\n";
    return exit_code::runtime;
  }
  print_summary(std::cerr, r, run.has_value());
  return exit_code::ok;
}

}  // namespace dvc
