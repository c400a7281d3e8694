#include "cli/alerts_command.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <iostream>

#include "alerts/alert_cycle.hpp"
#include "cli/cli_parse.hpp"
#include "config/config.hpp"
#include "connectors/wall_clock.hpp"
#include "reconcile/printable.hpp"
#include "service/exit_codes.hpp"
#include "service/log.hpp"

namespace dvc {

namespace {

int test_targets(const std::string& path) {
  const auto loaded = load_config(path, {.use = config_use::alerts});
  if (!loaded.value) {
    for (const auto& problem : loaded.problems)
      std::cerr << log::line_start(log_level::error) << path << ": " << describe(problem) << '\n';
    return exit_code::usage;
  }
  const config& cfg = *loaded.value;
  if (!cfg.alerts.has_targets()) {
    std::cerr << log::line_start(log_level::error) << path
              << ": alerts: no target to test; add alerts.webhooks or alerts.email\n";
    return exit_code::usage;
  }
  boost::asio::io_context io;
  connector_env env = default_connector_env();
  env.log = [](std::string_view line) { log::warning("alert_retry", {{"message", std::string(line)}}); };
  // Outlives the coroutine, which holds it by reference.
  const alert_senders senders = network_senders(cfg.alerts, env);
  std::vector<target_outcome> outcomes;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, send_test_alerts(cfg, senders, wall_clock_now()),
                        [&](std::exception_ptr e, std::vector<target_outcome> got) {
                          failure = e;
                          outcomes = std::move(got);
                        });
  io.run();
  if (failure) std::rethrow_exception(failure);
  int status = exit_code::ok;
  for (const auto& o : outcomes) {
    if (o.error) {
      std::cout << o.target << ": failed: " << printable(*o.error) << '\n';
      status = exit_code::runtime;
    } else {
      std::cout << o.target << ": sent\n";
    }
  }
  return status;
}

}  // namespace

int alerts_command(const std::vector<std::string>& args) {
  CLI::App app("Alert targets: send a sample alert to each.", "alerts");
  app.require_subcommand(1);
  std::string path;
  auto* test_cmd = app.add_subcommand("test", "send a sample alert to every configured target and report each");
  test_cmd->add_option("--config", path, "configuration file (JSON with // comments)")->required();
  if (const auto stop = parse_cli(app, args)) return *stop;
  return test_targets(path);
}

}  // namespace dvc
