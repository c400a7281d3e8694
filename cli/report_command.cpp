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
#include "reports/indicators.hpp"
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
  write_table(out,
              {"Kỳ", "Mã đơn vị", "Đơn vị", "Tổng", "Đồng bộ đủ", "Chưa đánh giá", "Tỷ lệ %", "Mục tiêu %",
               "Chênh lệch", "Đơn vị cũ"},
              cells);
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
  write_table(out,
              {"Kỳ", "Mã đơn vị", "Đơn vị", "HS tỉnh", "HS quốc gia", "Đồng bộ (QG) %", "Đồng bộ đủ %", "Chênh lệch",
               "Đúng hạn (QG) %", "Đúng hạn (tỉnh) %", "Chênh lệch đúng hạn", "Đơn vị cũ"},
              cells);
}

}  // namespace

int report_command(const std::vector<std::string>& args) {
  CLI::App app("Reports for the provincial Department of Information and Communications", "report");
  app.require_subcommand(1);
  auto* sync = app.add_subcommand("sync-rate", "share of dossiers fully synchronised to DVCQG, per unit");
  std::string config_path, period_text, format = "table";
  sync->add_option("--config", config_path, "configuration file")->required();
  sync->add_option("--period", period_text, "a month 2024-07 or a quarter 2024-Q3 (default: every quarter)");
  sync->add_option("--format", format, "json, csv or table (default table)")
      ->check(CLI::IsMember({"json", "csv", "table"}));
  auto* indicators =
      app.add_subcommand("indicators", "national's synced and on-time indicators beside the strict rate, per unit");
  indicators->add_option("--config", config_path, "configuration file")->required();
  indicators->add_option("--period", period_text, "a month 2024-07 or a quarter 2024-Q3 (default: every quarter)");
  indicators->add_option("--format", format, "json, csv or table (default table)")
      ->check(CLI::IsMember({"json", "csv", "table"}));
  if (const auto stop = parse_cli(app, args)) return *stop;
  const std::string command = indicators->parsed() ? "report indicators" : "report sync-rate";

  std::optional<period> only;
  if (!period_text.empty()) {
    only = period::parse(period_text);
    if (!only) {
      std::cerr << "dvcrecon " << command << ": --period \"" << period_text
                << "\" is neither a month like 2024-07 nor a quarter like 2024-Q3\n";
      return exit_code::usage;
    }
  }
  int status = exit_code::ok;
  auto opened = open_operator_ledger(command, config_path, status);
  if (!opened) return status;
  const instant now = wall_clock_now();
  const auto rows = compute_sync_rates(opened->db, opened->cfg, only, period::granularity::quarter, now);
  if (!opened->db.latest_evaluated_run())
    std::cerr << "dvcrecon " << command
              << ": no complete evaluation yet (the first sync has not finished): no rate is computed\n";
  if (indicators->parsed()) {
    const auto basis = evaluation_basis_of(opened->db, opened->cfg, now);
    const auto table =
        compute_indicators(opened->db, opened->cfg, rows, only, period::granularity::quarter, basis.as_of);
    if (format == "json")
      std::cout << indicators_json(table).dump(2) << "\n";
    else if (format == "csv")
      write_indicators_csv(std::cout, table);
    else
      write_indicator_table(std::cout, table);
    return exit_code::ok;
  }
  if (format == "json")
    std::cout << sync_rates_json(rows).dump(2) << "\n";
  else if (format == "csv")
    write_sync_rates_csv(std::cout, rows);
  else
    write_text_table(std::cout, rows);
  return exit_code::ok;
}

}  // namespace dvc
