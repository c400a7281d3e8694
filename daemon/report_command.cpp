#include "daemon/report_command.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include "daemon/cli_parse.hpp"
#include "daemon/exit_codes.hpp"
#include "daemon/finding_output.hpp"
#include "daemon/text_table.hpp"

namespace dvc {
namespace {

instant wall_clock() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string percent_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string fraction_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

void write_csv(std::ostream& out, const std::vector<sync_rate_row>& rows) {
  out << "\xEF\xBB\xBF" << "unit_code,unit_name,period,total,fully_synced,rate,target\r\n";
  for (const auto& r : rows)
    out << csv_field(r.unit_code) << ',' << csv_field(r.unit_name) << ',' << r.period << ',' << r.total << ','
        << r.fully_synced << ',' << (r.rate ? fraction_text(*r.rate) : "") << ',' << percent_text(r.target)
        << "\r\n";
}

void write_text_table(std::ostream& out, const std::vector<sync_rate_row>& rows) {
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : rows) {
    const std::string rate = r.rate ? percent_text(*r.rate * 100) : "—";
    const std::string gap = r.rate ? percent_text(*r.rate * 100 - r.target) : "—";
    cells.push_back({r.period, r.province ? "" : r.unit_code, r.unit_name, std::to_string(r.total),
                     std::to_string(r.fully_synced), rate, percent_text(r.target), gap});
  }
  write_table(out, {"Kỳ", "Mã đơn vị", "Đơn vị", "Tổng", "Đồng bộ đủ", "Tỷ lệ %", "Mục tiêu %", "Chênh lệch"},
              cells);
}

}  // namespace

evaluation_basis evaluation_basis_of(const ledger& db, const config& cfg, instant now) {
  std::optional<run_row> latest;
  for (const run_mode m : {run_mode::offline, run_mode::service})
    if (auto r = db.last_run(m); r && (!latest || r->id > latest->id)) latest = std::move(r);
  if (latest) return {latest->as_of, latest->grace_s};
  return {now, cfg.sync_grace_s};
}

std::vector<sync_rate_row> compute_sync_rates(const ledger& db, const config& cfg, std::optional<period> only,
                                              period::granularity g, instant now) {
  const evaluation_basis basis = evaluation_basis_of(db, cfg, now);
  sync_targets targets;
  targets.by_quarter = cfg.targets;
  sync_rate_calculator calc(basis.as_of, basis.grace_s, g, only, targets);
  db.each_sync_subject([&](const sync_subject& s) { calc.add(s); });
  auto rows = calc.rows();
  std::map<std::string, std::string> configured;
  for (const auto& u : cfg.units) configured[u.code] = u.name;
  for (auto& r : rows)
    if (const auto it = configured.find(r.unit_code); !r.province && it != configured.end() && !it->second.empty())
      r.unit_name = it->second;
  return rows;
}

nlohmann::json sync_rates_json(const std::vector<sync_rate_row>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows)
    out.push_back({{"unit_code", r.province ? nlohmann::json(nullptr) : nlohmann::json(r.unit_code)},
                   {"unit_name", r.unit_name},
                   {"period", r.period},
                   {"total", r.total},
                   {"fully_synced", r.fully_synced},
                   {"rate", r.rate ? nlohmann::json(*r.rate) : nlohmann::json(nullptr)},
                   {"target", r.target}});
  return out;
}

std::optional<operator_ledger> open_operator_ledger(std::string_view command, const std::string& config_path,
                                                    int& exit_status) {
  auto loaded = load_config(config_path);
  if (!loaded.value) {
    for (const auto& p : loaded.problems) std::cerr << "dvcrecon " << command << ": " << config_path << ": " << describe(p) << "\n";
    exit_status = exit_code::usage;
    return std::nullopt;
  }
  config cfg = std::move(*loaded.value);
  std::error_code ec;
  // Opening creates a missing file; a report must not leave an empty ledger where the service's should be.
  if (!std::filesystem::is_regular_file(cfg.ledger, ec)) {
    std::cerr << "dvcrecon " << command << ": ledger " << cfg.ledger.string() << " named by " << config_path
              << " does not exist or is not a file\n";
    exit_status = exit_code::runtime;
    return std::nullopt;
  }
  try {
    ledger db = ledger::open(cfg.ledger.string());
    return operator_ledger{std::move(cfg), std::move(db)};
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon " << command << ": ledger " << cfg.ledger.string() << ": " << e.what() << "\n";
    exit_status = exit_code::runtime;
    return std::nullopt;
  }
}

int report_command(const std::vector<std::string>& args) {
  CLI::App app("Reports for the provincial Department of Information and Communications", "report");
  app.require_subcommand(1);
  auto* sync = app.add_subcommand("sync-rate", "share of dossiers fully synchronised to DVCQG, per unit (§5)");
  std::string config_path, period_text, format = "table";
  sync->add_option("--config", config_path, "configuration file")->required();
  sync->add_option("--period", period_text, "a month 2024-07 or a quarter 2024-Q3 (default: every quarter)");
  sync->add_option("--format", format, "json, csv or table (default table)")
      ->check(CLI::IsMember({"json", "csv", "table"}));
  if (const auto stop = parse_cli(app, args)) return *stop;

  std::optional<period> only;
  if (!period_text.empty()) {
    only = period::parse(period_text);
    if (!only) {
      std::cerr << "dvcrecon report sync-rate: --period \"" << period_text
                << "\" is neither a month like 2024-07 nor a quarter like 2024-Q3\n";
      return exit_code::usage;
    }
  }
  int status = exit_code::ok;
  auto opened = open_operator_ledger("report sync-rate", config_path, status);
  if (!opened) return status;
  const auto rows = compute_sync_rates(opened->db, opened->cfg, only, period::granularity::quarter, wall_clock());
  if (format == "json") std::cout << sync_rates_json(rows).dump(2) << "\n";
  else if (format == "csv") write_csv(std::cout, rows);
  else write_text_table(std::cout, rows);
  return exit_code::ok;
}

}  // namespace dvc
