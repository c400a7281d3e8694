#include "cli/sim_command.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <fstream>
#include <iostream>

#include "sim/civil_time.hpp"
#include "sim/simulator.hpp"

namespace dvc::sim {
namespace {

struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// HOST:PORT or [V6]:PORT.
void parse_listen(const std::string& text, simulator_options& o) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) {
    throw usage_error("--listen '" + text + "': expected HOST:PORT, e.g. 127.0.0.1:0");
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const auto port_text = text.substr(colon + 1);
  unsigned long port = 0;
  try {
    std::size_t used = 0;
    port = std::stoul(port_text, &used);
    if (used != port_text.size() || port > 65535) throw std::out_of_range("port");
  } catch (const std::exception&) {
    throw usage_error("--listen '" + text + "': port must be a number from 0 to 65535");
  }
  o.host = host;
  o.port = static_cast<std::uint16_t>(port);
}

std::string read_secret(const std::string& path, const char* option) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) throw usage_error(std::string(option) + " " + path + ": cannot read the secret");
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.empty()) throw usage_error(std::string(option) + " " + path + ": the file is empty");
  return line;
}

int run(simulator_options& o, const std::string& listen, const std::string& faults, const std::string& clock_start,
        const std::string& secret_file, const std::string& password_file, const std::string& dump_dir, bool dump_only,
        double mutate_percent) {
  parse_listen(listen, o);
  if (!faults.empty()) {
    auto parsed = parse_faults(faults);
    if (!parsed.spec) throw usage_error("--faults: " + parsed.error);
    o.faults = *parsed.spec;
  }
  if (!clock_start.empty()) {
    const auto t = read_iso(clock_start);
    if (!t) throw usage_error("--clock-start '" + clock_start + "': expected ISO 8601, e.g. 2024-08-01T08:00:00+07:00");
    o.world.clock_start = *t;
  }
  if (!secret_file.empty()) o.creds.client_secret = read_secret(secret_file, "--client-secret-file");
  if (!password_file.empty()) o.creds.password = read_secret(password_file, "--password-file");
  if (dump_only && dump_dir.empty()) throw usage_error("--dump-only needs --dump DIR");

  boost::asio::io_context io;  // declared first: it must outlive the simulator's listener
  simulator sim(o);
  if (mutate_percent > 0) sim.mutate(mutate_percent);
  if (!dump_dir.empty()) {
    const auto counts = sim.dump(dump_dir);
    std::cerr << "dvcrecon sim: wrote " << counts.provincial << " provincial and " << counts.national
              << " national records to " << dump_dir << '\n';
    if (dump_only) return 0;
  }
  sim.start(io);
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) sim.stop();
  });
  std::cout << "listening on " << sim.base_url() << std::endl;
  std::cerr << "dvcrecon sim: " << sim.service().dossier_count() << " dossiers, seed " << o.world.seed
            << "\n  national base_url:   " << sim.national_url() << " (dstcode " << o.creds.dstcode
            << ", madonvi 000.00.00.H10)\n  provincial base_url: " << sim.provincial_base_url()
            << "\n  provincial token_url: " << sim.provincial_token_url() << '\n';
  io.run();
  return 0;
}

}  // namespace

int sim_command(const std::vector<std::string>& args) {
  std::vector<std::string> full{"sim"};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : full) argv.push_back(a.data());
  return sim_command(static_cast<int>(argv.size()), argv.data());
}

int sim_command(int argc, char** argv) {
  CLI::App app{
      "Simulates the provincial one-stop system (REST) and the National Public Service Portal "
      "adapter (docs/wire-formats.md) for Bình Phước on one listener: national at {base}/national, provincial at "
      "{base}/provincial/api with tokens from {base}/provincial/oauth/token. Control: POST "
      "{base}/sim/mutate?percent=P, GET {base}/sim/status.",
      "dvcrecon sim"};
  simulator_options o;
  std::string listen = "127.0.0.1:8480", faults, clock_start, secret_file, password_file, dump_dir;
  bool dump_only = false;
  double mutate_percent = 0;
  std::uint32_t tick_ms = 2000;
  app.add_option("--listen", listen, "HOST:PORT to listen on; port 0 picks a free one")->capture_default_str();
  app.add_option("--seed", o.world.seed, "seed of the generated province")->capture_default_str();
  app.add_option("--dossiers", o.world.dossiers, "dossiers generated at start")
      ->check(CLI::Range(0u, 5'000'000u))
      ->capture_default_str();
  app.add_option("--faults", faults,
                 "fault list, e.g. latency=50ms,error5xx=0.1,rate429=0.05,retry_after=1,truncate=0.02,"
                 "token_ttl=5,session_ttl=5r,drift=0.1,hang=0.01");
  app.add_option("--tls-cert", o.tls_cert, "PEM certificate chain: serve HTTPS")->check(CLI::ExistingFile);
  app.add_option("--tls-key", o.tls_key, "PEM private key for --tls-cert")->check(CLI::ExistingFile);
  app.add_option("--dump", dump_dir, "write provincial.jsonl and national.jsonl to DIR at start");
  app.add_flag("--dump-only", dump_only, "exit after --dump");
  app.add_option("--tick-ms", tick_ms, "interval of live change")
      ->check(CLI::Range(10u, 3'600'000u))
      ->capture_default_str();
  app.add_flag("--freeze", o.freeze, "no live change");
  app.add_option("--mutate-percent", mutate_percent, "change this share of dossiers at start")
      ->check(CLI::Range(0.0, 100.0));
  app.add_option("--clock-start", clock_start, "the simulated present (ISO 8601); default the wall clock");
  app.add_option("--client-id", o.creds.client_id, "provincial client_id accepted")->capture_default_str();
  app.add_option("--client-secret-file", secret_file,
                 "file holding the provincial client_secret (default sim-provincial-secret)");
  app.add_option("--username", o.creds.username, "national username accepted")->capture_default_str();
  app.add_option("--password-file", password_file, "file holding the national password (default sim-national-secret)");
  app.add_option("--dstcode", o.creds.dstcode, "national dstcode header expected")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  o.tick = std::chrono::milliseconds(tick_ms);
  try {
    return run(o, listen, faults, clock_start, secret_file, password_file, dump_dir, dump_only, mutate_percent);
  } catch (const usage_error& e) {
    std::cerr << "dvcrecon sim: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon sim: " << e.what() << '\n';
    return 3;
  }
}

}  // namespace dvc::sim
