#include "cli/mismatches_command.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>

#include "cli/cli_parse.hpp"
#include "cli/mismatches_recheck.hpp"
#include "cli/operator_ledger.hpp"
#include "connectors/wall_clock.hpp"
#include "reconcile/normalize.hpp"
#include "reconcile/printable.hpp"
#include "reports/finding_export.hpp"
#include "reports/finding_output.hpp"
#include "reports/finding_views.hpp"
#include "reports/labels.hpp"
#include "reports/text_table.hpp"
#include "service/exit_codes.hpp"

namespace dvc {
namespace {

// The filters `list` and `export` share.
struct filter_options {
  std::vector<std::string> kinds;
  std::string unit, state = "open", search;
};

struct list_options {
  filter_options filters;
  std::string since, format = "table";
  std::int64_t limit = 100;
};

struct export_options {
  filter_options filters;
  std::string format, out, lang = "vi";
  bool all = false;
};

void add_filter_options(CLI::App& cmd, filter_options& o) {
  cmd.add_option("--kind", o.kinds, "only this kind (repeatable)");
  cmd.add_option("--unit", o.unit, "only this unit code");
  cmd.add_option("--state", o.state, "open (open and reopened, the default), resolved, reopened or all")
      ->check(one_of({"open", "resolved", "reopened", "all"}));
  cmd.add_option("--search", o.search, "text in the dossier key, reason or unit code");
}

std::string kind_names() {
  std::string names;
  for (const auto k : all_kinds()) names += (names.empty() ? "" : ", ") + std::string(kind_name(k));
  return names;
}

// The filters `list` and `export` share, as the ledger takes them, with every state when `all`; false (with the
// message printed) for a bad value.
bool add_filters(operator_ledger& ol, const std::string& command, const filter_options& o, bool all,
                 finding_filter& f) {
  for (const auto& k : o.kinds) {
    const auto kind = kind_from_name(k);
    if (!kind) {
      std::cerr << "dvcrecon " << command << ": --kind \"" << printable(k) << "\" is not a finding kind; the kinds are "
                << kind_names() << " (docs/rules.md#findings)\n";
      return false;
    }
    f.kinds.push_back(*kind);
  }
  const std::string& state_text = all ? "all" : o.state;
  if (state_text == "open")
    f.states = {std::string(state::open), std::string(state::reopened)};
  else if (state_text != "all")
    f.states = {state_text};
  if (!o.unit.empty()) {
    const auto code = known_unit(ol, command, o.unit);
    if (!code) return false;
    f.unit_code = *code;
  }
  f.search = o.search;
  return true;
}

// Filters of `list` as the ledger takes them; nullopt (with the message printed) for a bad value.
std::optional<finding_filter> filter_of(operator_ledger& ol, const list_options& o) {
  finding_filter f;
  if (!add_filters(ol, "mismatches list", o.filters, false, f)) return std::nullopt;
  if (!o.since.empty()) {
    const auto t = parse_cli_time("mismatches list", "--since", o.since);
    if (!t) return std::nullopt;
    f.since = *t;
  }
  f.limit = o.limit;
  return f;
}

int list(operator_ledger& ol, const list_options& o) {
  const auto filter = filter_of(ol, o);
  if (!filter) return exit_code::usage;
  const finding_page page = ol.db.list_findings(*filter);
  if (o.format == "csv") {
    // The columns of the findings export (docs/cli.md#exports), in the list's order.
    table_export out(std::cout, finding_export_columns(export_language::vi), export_language::vi);
    export_finding_rows(ol.db, page.rows, configured_unit_names(ol.cfg), export_language::vi, out);
    out.close();
    return exit_code::ok;
  }
  auto names = configured_unit_names(ol.cfg);
  std::vector<finding_view> views;
  for (const auto& row : page.rows) {
    views.push_back(view_of(ol.db, row));
    if (!names.count(row.unit_code))
      if (const auto rec = ol.db.get_record(side::provincial, row.key); rec && !rec->unit_name.empty())
        names[row.unit_code] = rec->unit_name;
  }
  finding_writer out(std::cout, *output_format_from(o.format), std::move(names));
  for (const auto& v : views) out.write(v);
  out.finish();
  if (o.format == "table")
    std::cerr << page.rows.size() << " of " << page.total << " findings shown"
              << (static_cast<std::int64_t>(page.rows.size()) < page.total ? " (raise --limit for more)" : "") << "\n";
  return exit_code::ok;
}

int show(operator_ledger& ol, const std::string& key_text) {
  const std::string key = normalize_code(key_text);
  const auto c = compare_dossier(ol.db, key, ol.cfg.successions);
  if (!c) {
    std::cerr << "dvcrecon mismatches show: no dossier with key " << printable(key) << " in ledger "
              << ol.cfg.ledger.string() << "\n";
    return exit_code::usage;
  }
  const auto& any = c->provincial ? c->provincial : c->national;
  // Everything printed below may come from a portal or a person: control characters are shown escaped.
  std::cout << "Hồ sơ " << printable(key) << (any->unit_name.empty() ? "" : " — " + printable(any->unit_name))
            << "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& f : c->fields)
    rows.push_back({f.differs ? "≠" : "", f.label, c->provincial ? f.provincial : "(không có)",
                    c->national ? f.national : "(không có)"});
  write_table(std::cout, {"", "Trường", "Hệ thống tỉnh", "Cổng DVCQG"}, rows);
  for (const auto* r : {&c->provincial, &c->national})
    if (*r && (*r)->body_removed_at)
      std::cout << "(" << (r == &c->provincial ? "Hệ thống tỉnh" : "Cổng DVCQG")
                << ": nội dung đã xoá theo thời hạn lưu trữ lúc " << format_vietnam_iso(*(*r)->body_removed_at)
                << "; chỉ còn các trường dùng để đối soát)\n";
  // docs/rules.md#unknown-fields: what a side does not give, so the rules needing it were not evaluated there.
  for (const auto* r : {&c->provincial, &c->national})
    if (*r && !(*r)->facts.unknown.empty())
      std::cout << (r == &c->provincial ? "Hệ thống tỉnh" : "Cổng DVCQG")
                << " không cung cấp (không kiểm tra được các quy tắc cần đến): " << (*r)->facts.unknown.names() << "\n";

  const auto findings = ol.db.findings_for_key(key);
  std::cout << "\nPhát hiện (" << findings.size() << "):\n";
  for (const auto& f : findings) {
    std::cout << "  #" << f.id << " " << kind_name(f.kind) << " (" << printable(f.reason) << ") " << printable(f.state)
              << ", từ " << format_vietnam_iso(f.first_seen) << " đến " << format_vietnam_iso(f.last_seen);
    if (!f.details.empty())
      std::cout << " " << f.details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::cout << "\n";
    for (const auto& e : ol.db.events_for_finding(f.id)) {
      std::cout << "      " << format_vietnam_iso(e.at) << "  " << printable(e.type) << "  "
                << printable(e.from_state ? *e.from_state + " → " : "") << printable(e.to_state);
      if (e.run_id) std::cout << "  run " << *e.run_id;
      if (!e.cause.empty()) std::cout << "  " << printable(e.cause);
      if (e.actor) std::cout << "  (" << printable(*e.actor) << ")";
      std::cout << "\n";
    }
  }
  return exit_code::ok;
}

int ack(operator_ledger& ol, std::int64_t id, const std::string& note, std::string by) {
  if (note.empty()) {
    std::cerr << "dvcrecon mismatches ack: --note must not be empty\n";
    return exit_code::usage;
  }
  if (by.empty()) {
    const char* user = std::getenv("USER");
    by = user && *user ? user : "unknown";
  }
  if (!ol.db.get_finding(id)) {
    std::cerr << "dvcrecon mismatches ack: no finding with id " << id << " in ledger " << ol.cfg.ledger.string()
              << "\n";
    return exit_code::usage;
  }
  try {
    ol.db.ack(id, note, by, wall_clock_now());
  } catch (const ledger_error& e) {
    std::cerr << "dvcrecon mismatches ack: finding " << id << ": " << e.what() << "\n";
    return exit_code::usage;
  }
  std::cout << "finding " << id << " acknowledged by " << by << "\n";
  return exit_code::ok;
}

int export_command(operator_ledger& ol, const export_options& o) {
  finding_filter f;
  if (!add_filters(ol, "mismatches export", o.filters, o.all, f)) return exit_code::usage;
  if (o.format == "jsonl") {
    // The finding objects of docs/cli.md#findings, one per line: for scripts, to stdout only.
    finding_writer out(std::cout, output_format::jsonl);
    ol.db.each_finding(f, [&](const finding_row& row) { out.write(view_of(ol.db, row)); });
    out.finish();
    return exit_code::ok;
  }
  const auto format = *export_format_from(o.format);
  const auto lang = *export_language_from(o.lang);
  const auto columns = finding_export_columns(lang);
  const auto names = configured_unit_names(ol.cfg);
  const auto produce = [&](table_export& out) { export_findings(ol.db, f, names, lang, out); };
  try {
    if (o.out.empty()) {
      table_export out(std::cout, columns, lang);
      produce(out);
      out.close();
    } else {
      write_export_file(o.out, format, produce, columns, lang, vi_label("messages", "export_findings_sheet"));
      std::cerr << "dvcrecon mismatches export: wrote " << o.out << "\n";
    }
  } catch (const std::runtime_error& e) {
    std::cerr << "dvcrecon mismatches export: " << printable(e.what()) << "\n";
    return exit_code::runtime;
  }
  return exit_code::ok;
}

}  // namespace

int mismatches_command(const std::vector<std::string>& args) {
  CLI::App app("Review findings recorded in the ledger", "mismatches");
  std::string config_path;
  app.add_option("--config", config_path, "configuration file naming the ledger")->required();
  app.require_subcommand(1);
  app.fallthrough();

  list_options lo;
  auto* list_cmd = app.add_subcommand("list", "findings, newest first");
  add_filter_options(*list_cmd, lo.filters);
  list_cmd->add_option("--since", lo.since, "last seen at or after this ISO 8601 time");
  list_cmd->add_option("--limit", lo.limit, "at most this many (1..10000, default 100)")
      ->check(whole_number(1, finding_filter::max_page));
  list_cmd->add_option("--format", lo.format, "table (default), jsonl or csv")
      ->check(one_of({"table", "jsonl", "csv"}));

  std::string key;
  auto* show_cmd = app.add_subcommand("show", "both sides of one dossier, compared, with its findings' history");
  show_cmd->add_option("KEY", key, "dossier key (mã hồ sơ)")->required();

  std::int64_t id = 0;
  std::string note, by;
  auto* ack_cmd = app.add_subcommand("ack", "acknowledge a finding with a note (its state does not change)");
  ack_cmd->add_option("ID", id, "finding id")->required()->check(whole_number_from(1));
  ack_cmd->add_option("--note", note, "what was done or decided")->required();
  ack_cmd->add_option("--by", by, "who acknowledges (default $USER)");

  export_options eo;
  auto* export_cmd = app.add_subcommand(
      "export",
      "findings for a meeting (CSV or .xlsx, Vietnamese headers) or for scripts (JSON lines); open ones "
      "unless --state or --all");
  export_cmd->add_option("--format", eo.format, "csv, xlsx or jsonl")
      ->required()
      ->check(one_of({"csv", "xlsx", "jsonl"}));
  export_cmd->add_option("--out", eo.out, "write to this file (replaced if it exists); needed for xlsx, else stdout");
  export_cmd->add_option("--lang", eo.lang, "header row: vi (Vietnamese, the default) or en (the column codes)")
      ->check(one_of({"vi", "en"}));
  add_filter_options(*export_cmd, eo.filters);
  export_cmd->add_flag("--all", eo.all, "every state (the same as --state all)");

  std::string recheck_key, recheck_format = "text";
  auto* recheck_cmd =
      app.add_subcommand("recheck", "fetch one dossier from both portals now, re-evaluate it, show what changed");
  recheck_cmd->add_option("KEY", recheck_key, "dossier key (mã hồ sơ)")->required();
  recheck_cmd->add_option("--format", recheck_format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));

  if (const auto stop = parse_cli(app, args)) return *stop;
  if (export_cmd->parsed() && eo.format == "xlsx" && eo.out.empty()) {
    std::cerr << "dvcrecon mismatches export: --format xlsx needs --out FILE (a spreadsheet file is not written to a "
                 "terminal)\n";
    return exit_code::usage;
  }
  if (export_cmd->parsed() && eo.format == "jsonl" && !eo.out.empty()) {
    std::cerr << "dvcrecon mismatches export: --format jsonl writes to stdout; --out is for csv and xlsx\n";
    return exit_code::usage;
  }
  const std::string sub = app.get_subcommands().front()->get_name();
  int status = exit_code::ok;
  // An ack appends to the audit chain, so it needs the audit key; reading does not.
  // A recheck reads the portals, so it needs their secrets, and writes events, so the audit key too.
  const config_use use = recheck_cmd->parsed() ? config_use::service
                         : ack_cmd->parsed()   ? config_use::ledger_audit
                                               : config_use::ledger;
  auto opened = open_operator_ledger("mismatches " + sub, config_path, status, use);
  if (!opened) return status;
  if (list_cmd->parsed()) return list(*opened, lo);
  if (show_cmd->parsed()) return show(*opened, key);
  if (ack_cmd->parsed()) return ack(*opened, id, note, by);
  if (recheck_cmd->parsed()) return recheck(*opened, recheck_key, recheck_format);
  return export_command(*opened, eo);
}

}  // namespace dvc
