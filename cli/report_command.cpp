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
#include "reports/labels.hpp"
#include "reports/sync_rates.hpp"
#include "reports/text_table.hpp"
#include "service/exit_codes.hpp"

namespace dvc {
namespace {

constexpr std::string_view command = "report sync-rate";

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
    cells.push_back({r.period, r.province ? "" : r.unit_code, r.unit_name, std::to_string(r.total),
                     std::to_string(r.fully_synced), std::to_string(r.not_evaluated), rate, percent_text(r.target),
                     gap});
  }
  const auto left = align::left, right = align::right;
  write_table(
      out, {"Kỳ", "Mã đơn vị", "Đơn vị", "Tổng", "Đồng bộ đủ", "Chưa đánh giá", "Tỷ lệ %", "Mục tiêu %", "Chênh lệch"},
      cells, 60, {left, left, left, right, right, right, right, right, right});
}

// A day given as YYYY-MM-DD: days since 1970-01-01, or nullopt (with the message printed).
std::optional<std::int64_t> day_of(const std::string& flag, const std::string& text) {
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
bool period_of(const period_options& o, std::optional<period>& only) {
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
    const auto first = day_of("--from", o.from), last = day_of("--to", o.to);
    if (!first || !last) return false;
    if (*first > *last) {
      std::cerr << "dvcrecon " << command << ": --from " << o.from << " is after --to " << o.to << "\n";
      return false;
    }
    only = period::of_days(*first, *last);
  }
  return true;
}

}  // namespace

int report_command(const std::vector<std::string>& args) {
  CLI::App app("Reports for the provincial Department of Information and Communications", "report");
  app.require_subcommand(1);
  auto* sync = app.add_subcommand("sync-rate", "share of dossiers fully synchronised to DVCQG, per unit");
  std::string config_path, format = "table", unit, out, lang = "vi";
  period_options po;
  sync->add_option("--config", config_path, "configuration file")->required();
  auto* period_opt = sync->add_option("--period", po.period, "a month 2024-07 or a quarter 2024-Q3");
  auto* year_opt =
      sync->add_option("--year", po.year, "a calendar year, 2000 to 2100")->check(whole_number(2000, 2100));
  auto* from_opt = sync->add_option("--from", po.from, "first day of a range, YYYY-MM-DD (with --to)");
  auto* to_opt = sync->add_option("--to", po.to, "last day of the range, included");
  period_opt->excludes(year_opt)->excludes(from_opt)->excludes(to_opt);
  year_opt->excludes(from_opt)->excludes(to_opt);
  sync->add_option("--unit", unit, "only this unit code (its rows, without the province row)");
  sync->add_option("--format", format, "table (the default), json, csv or xlsx")
      ->check(one_of({"table", "json", "csv", "xlsx"}));
  sync->add_option("--out", out, "write csv or xlsx to this file (replaced if it exists); needed for xlsx");
  sync->add_option("--lang", lang, "csv and xlsx header row: vi (Vietnamese, the default) or en (the column codes)")
      ->check(one_of({"vi", "en"}));
  if (const auto stop = parse_cli(app, args)) return *stop;

  std::optional<period> only;
  if (!period_of(po, only)) return exit_code::usage;
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
  auto rows = compute_sync_rates(opened->db, opened->cfg, only, period::granularity::quarter, wall_clock_now());
  if (unit_code) std::erase_if(rows, [&](const sync_rate_row& r) { return r.province || r.unit_code != *unit_code; });
  if (!opened->db.latest_evaluated_run())
    std::cerr << "dvcrecon " << command
              << ": no complete evaluation yet (the first sync has not finished): no rate is computed\n";
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
