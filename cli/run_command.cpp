#include "cli/run_command.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "alerts/alert_cycle.hpp"
#include "api/api_server.hpp"
#include "cli/cli_parse.hpp"
#include "config/config.hpp"
#include "connectors/wall_clock.hpp"
#include "service/exit_codes.hpp"
#include "service/log.hpp"
#include "service/service.hpp"

namespace dvc {

int run_command(const std::vector<std::string>& args) {
  CLI::App app("Poll both portals, reconcile and record findings in the ledger (the service).", "run");
  std::string path;
  bool once = false;
  app.add_option("--config", path, "configuration file (JSON with // comments)")->required();
  app.add_flag("--once", once, "run one complete cycle and exit (3 when a portal could not be read)");
  if (const auto stop = parse_cli(app, args)) return *stop;

  const auto loaded = load_config(path);
  if (!loaded.value) {
    for (const auto& problem : loaded.problems)
      std::cerr << log::line_start(log_level::error) << path << ": " << describe(problem) << '\n';
    return exit_code::usage;
  }
  for (const auto& w : loaded.warnings) log::warning("config_warning", {{"key", w.path}, {"message", w.message}});
  service_options options;
  options.once = once;
  options.companion = api_companion(*loaded.value);
  const config& cfg = *loaded.value;
  if (cfg.alerts.rules.any() || cfg.alerts.has_targets()) {
    connector_env env = default_connector_env();
    env.log = [](std::string_view line) { log::warning("alert_retry", {{"message", std::string(line)}}); };
    options.after_cycle = [&cfg, send = network_senders(cfg.alerts, env)](
                              ledger& db, const service_status& status,
                              const cycle_report& r) -> boost::asio::awaitable<void> {
      co_await alerts_after_cycle(cfg, db, status, r, send, wall_clock_now());
    };
  }
  return run_service(*loaded.value, options);
}

}  // namespace dvc
