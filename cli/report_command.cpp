#include "cli/report_command.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include "cli/cli_parse.hpp"
#include "cli/operator_ledger.hpp"
#include "connectors/wall_clock.hpp"
#include "reconcile/printable.hpp"
#include "reports/indicators.hpp"
#include "reports/labels.hpp"
#include "reports/sync_rates.hpp"
#include "reports/text_table.hpp"
#include "service/exit_codes.hpp"

namespace dvc {
namespace {

std::string percent_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

void write_text_table(std::ostream& out, const std::vector<sync_rate_row>& rows) {
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : rows) {
    // A unit whose dossiers no complete evaluation has covered yet has no rate: it says so instead.
    const std::string rate = r.rate ? percent_text(*r.rate * 100) : std::string(rate_note(r).value_or("—"));
    const std::string gap = r.rate ? percent_text(*r.rate * 100 - r.target) : "—";
    // docs/rules.md#unit-successions: the code and its successor, the current name, the former units last.
    const std::string code = r.current_code.empty() ? r.unit_code : r.unit_code + " → " + r.current_code;
    cells.push_back({r.period, r.province ? "" : code, r.unit_name, std::to_string(r.total),
                     std::to_string(r.fully_synced), std::to_string(r.not_evaluated), rate, percent_text(r.target), gap,
                     r.formerly});
  }
  const auto left = align::left, right = align::right;
  write_table(out,
              {"Kỳ", "Mã đơn vị", "Đơn vị", "Tổng", "Đồng bộ đủ", "Chưa đánh giá", "Tỷ lệ %", "Mục tiêu %",
               "Chênh lệch", "Đơn vị cũ"},
              cells, 60, {left, left, left, right, right, right, right, right, right, left});
}

// A day given as YYYY-MM-DD: days since 1970-01-01, or nullopt (with the message printed).
std::optional<std::int64_t> day_of(std::string_view command, const std::string& flag, const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (text.size() == 10 && std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 &&
      d >= 1 && d <= 31) {
    const std::int64_t days = days_from_civil(y, m, d);
    const civil_date back = civil_from_days(days);
    if (back.month == m && back.day == d) return days;
  }
  std::cerr << "dvcrecon " << command << ": " << flag << " \"" << printable(text)
            << "\" is not a date like 2026-01-31 (YYYY-MM-DD)\n";
  return std::nullopt;
}

struct period_options {
  std::string period, from, to;
  int year = 0;
};

// The one period asked for, if any; false (with the message printed) for a bad one.
bool period_of(std::string_view command, const period_options& o, std::optional<period>& only) {
  if (!o.period.empty()) {
    only = period::parse(o.period);
    if (!only) {
      std::cerr << "dvcrecon " << command << ": --period \"" << printable(o.period)
                << "\" is neither a month like 2024-07 nor a quarter like 2024-Q3\n";
      return false;
    }
  } else if (o.year) {
    only = period::of_year(o.year);
  } else if (!o.from.empty() || !o.to.empty()) {
    if (o.from.empty() || o.to.empty()) {
      std::cerr << "dvcrecon " << command << ": --from and --to go together (a range of days, both included)\n";
      return false;
    }
    const auto first = day_of(command, "--from", o.from), last = day_of(command, "--to", o.to);
    if (!first || !last) return false;
    if (*first > *last) {
      std::cerr << "dvcrecon " << command << ": --from " << o.from << " is after --to " << o.to << "\n";
      return false;
    }
    only = period::of_days(*first, *last);
  }
  return true;
}

// The same period options on both subcommands (docs/cli.md#report-sync-rate).
void add_period_options(CLI::App* sub, period_options& po) {
  auto* period_opt = sub->add_option("--period", po.period, "a month 2024-07 or a quarter 2024-Q3");
  auto* year_opt = sub->add_option("--year", po.year, "a calendar year, 2000 to 2100")->check(whole_number(2000, 2100));
  auto* from_opt = sub->add_option("--from", po.from, "first day of a range, YYYY-MM-DD (with --to)");
  auto* to_opt = sub->add_option("--to", po.to, "last day of the range, included");
  period_opt->excludes(year_opt)->excludes(from_opt)->excludes(to_opt);
  year_opt->excludes(from_opt)->excludes(to_opt);
}

std::string fraction_text(const std::optional<double>& v) { return v ? percent_text(*v * 100) : "—"; }

// docs/cli.md#report-indicators: national's view beside the province's, gaps in percentage points.
void write_indicator_table(std::ostream& out, const std::vector<indicator_row>& rows) {
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : rows) {
    cells.push_back({r.period, r.province ? "" : r.unit_code, r.unit_name, std::to_string(r.provincial),
                     std::to_string(r.national), fraction_text(r.synced), fraction_text(r.strict), fraction_text(r.gap),
                     fraction_text(r.on_time_national.rate()), fraction_text(r.on_time_provincial.rate()),
                     fraction_text(r.on_time_gap), r.formerly});
  }
  const auto left = align::left, right = align::right;
  write_table(out,
              {"Kỳ", "Mã đơn vị", "Đơn vị", "HS tỉnh", "HS quốc gia", "Đồng bộ (QG) %", "Đồng bộ đủ %", "Chênh lệch",
               "Đúng hạn (QG) %", "Đúng hạn (tỉnh) %", "Chênh lệch đúng hạn", "Đơn vị cũ"},
              cells, 60, {left, left, left, right, right, right, right, right, right, right, right, left});
}

}  // namespace

int report_command(const std::vector<std::string>& args) {
  CLI::App app("Reports for the provincial Department of Information and Communications", "report");
  app.require_subcommand(1);
  auto* sync = app.add_subcommand("sync-rate", "share of dossiers fully synchronised to DVCQG, per unit");
  std::string config_path, format = "table", unit, out, lang = "vi";
  period_options po;
  sync->add_option("--config", config_path, "configuration file")->required();
  add_period_options(sync, po);
  sync->add_option("--unit", unit, "only this unit code (its rows, without the province row)");
  sync->add_option("--format", format, "table (the default), json, csv or xlsx")
      ->check(one_of({"table", "json", "csv", "xlsx"}));
  sync->add_option("--out", out, "write csv or xlsx to this file (replaced if it exists); needed for xlsx");
  sync->add_option("--lang", lang, "csv and xlsx header row: vi (Vietnamese, the default) or en (the column codes)")
      ->check(one_of({"vi", "en"}));
  auto* indicators =
      app.add_subcommand("indicators", "national's synced and on-time indicators beside the strict rate, per unit");
  indicators->add_option("--config", config_path, "configuration file")->required();
  add_period_options(indicators, po);
  indicators->add_option("--unit", unit, "only this unit code (its rows, without the province row)");
  indicators->add_option("--format", format, "table (the default), json or csv")
      ->check(one_of({"table", "json", "csv"}));
  if (const auto stop = parse_cli(app, args)) return *stop;
  const std::string command = indicators->parsed() ? "report indicators" : "report sync-rate";

  std::optional<period> only;
  if (!period_of(command, po, only)) return exit_code::usage;
  if (format == "xlsx" && out.empty()) {
    std::cerr << "dvcrecon " << command
              << ": --format xlsx needs --out FILE (a spreadsheet file is not written to a terminal)\n";
    return exit_code::usage;
  }
  if (!out.empty() && format != "csv" && format != "xlsx") {
    std::cerr << "dvcrecon " << command << ": --out is for --format csv or xlsx\n";
    return exit_code::usage;
  }
  int status = exit_code::ok;
  auto opened = open_operator_ledger(command, config_path, status);
  if (!opened) return status;
  std::optional<std::string> unit_code;
  if (!unit.empty()) {
    unit_code = known_unit(*opened, command, unit);
    if (!unit_code) return exit_code::usage;
  }
  const instant now = wall_clock_now();
  auto rows = compute_sync_rates(opened->db, opened->cfg, only, period::granularity::quarter, now);
  if (!opened->db.latest_evaluated_run())
    std::cerr << "dvcrecon " << command
              << ": no complete evaluation yet (the first sync has not finished): no rate is computed\n";
  if (indicators->parsed()) {
    const auto basis = evaluation_basis_of(opened->db, opened->cfg, now);
    auto table = compute_indicators(opened->db, opened->cfg, rows, only, period::granularity::quarter, basis.as_of);
    if (unit_code)
      std::erase_if(table, [&](const indicator_row& r) { return r.province || r.unit_code != *unit_code; });
    if (format == "json")
      std::cout << indicators_json(table).dump(2) << "\n";
    else if (format == "csv")
      write_indicators_csv(std::cout, table);
    else
      write_indicator_table(std::cout, table);
    return exit_code::ok;
  }
  if (unit_code) std::erase_if(rows, [&](const sync_rate_row& r) { return r.province || r.unit_code != *unit_code; });
  if (format == "json") {
    std::cout << sync_rates_json(rows).dump(2) << "\n";
  } else if (format == "csv" || format == "xlsx") {
    const auto language = *export_language_from(lang);
    const auto columns = sync_rate_export_columns();
    try {
      if (out.empty()) {
        table_export t(std::cout, columns, language);
        export_sync_rates(rows, t);
        t.close();
      } else {
        write_export_file(
            out, *export_format_from(format), [&](table_export& t) { export_sync_rates(rows, t); }, columns, language,
            vi_label("messages", "export_rates_sheet"));
        std::cerr << "dvcrecon " << command << ": wrote " << out << "\n";
      }
    } catch (const std::runtime_error& e) {
      std::cerr << "dvcrecon " << command << ": " << printable(e.what()) << "\n";
      return exit_code::runtime;
    }
  } else {
    write_text_table(std::cout, rows);
  }
  return exit_code::ok;
}

}  // namespace dvc
