#include "cli/serve_api_command.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>

#include "api/api_server.hpp"
#include "cli/cli_parse.hpp"
#include "connectors/wall_clock.hpp"
#include "service/exit_codes.hpp"
#include "service/log.hpp"

namespace dvc {
namespace asio = boost::asio;

int serve_api_command(const std::vector<std::string>& args) {
  CLI::App app("Serve the HTTP API and dashboard over an existing ledger, without polling", "serve-api");
  std::string config_path;
  app.add_option("--config", config_path, "configuration file (ledger, http.listen, http.tokens_file)")->required();
  if (const auto stop = parse_cli(app, args)) return *stop;
  const auto loaded = load_config(config_path, {.use = config_use::api});
  if (!loaded.value) {
    for (const auto& p : loaded.problems)
      std::cerr << "dvcrecon serve-api: " << config_path << ": " << describe(p) << "\n";
    return exit_code::usage;
  }
  for (const auto& w : loaded.warnings) log::warning("config_warning", {{"key", w.path}, {"message", w.message}});
  const config& cfg = *loaded.value;
  service_status started;
  started.started_at = wall_clock_now();
  const status_board status(started);
  asio::io_context io;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::cancellation_signal stop;
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) stop.emit(asio::cancellation_type::terminal);
  });
  int result = exit_code::ok;
  asio::co_spawn(io,
                 run_api_server(cfg, status, {},
                                [](const std::string& bound) {
                                  std::cout << "listening on http://" << bound << "/" << std::endl;
                                }),
                 asio::bind_cancellation_slot(stop.slot(), [&](std::exception_ptr e) {
                   signals.cancel();
                   if (!e) return;
                   try {
                     std::rethrow_exception(e);
                   } catch (const startup_error& ex) {
                     std::cerr << "dvcrecon serve-api: " << ex.what() << "\n";  // names http.listen
                     result = exit_code::usage;
                   } catch (const std::exception& ex) {
                     std::cerr << "dvcrecon serve-api: " << cfg.http.listen.host << ":" << cfg.http.listen.port << ": "
                               << ex.what() << "\n";
                     result = exit_code::runtime;
                   }
                 }));
  io.run();
  return result;
}

}  // namespace dvc
