#include "cli/sim_command.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <fstream>
#include <iostream>

#include "cli/cli_parse.hpp"
#include "sim/catalog.hpp"
#include "sim/civil_time.hpp"
#include "sim/data_reader.hpp"
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

struct sim_arguments {
  std::string listen = "127.0.0.1:8480", shape = "contract", province, faults, clock_start, secret_file,
              provincial_password_file, password_file, dump_dir;
  bool dump_only = false;
  double mutate_percent = 0;
};

void print_endpoints(simulator& sim, const simulator_options& o) {
  const bool b = o.shape == wire_shape::b;
  std::cerr << "dvcrecon sim: " << sim.service().dossier_count() << " dossiers of " << o.world.province->province().name
            << ", seed " << o.world.seed << ", shape " << shape_name(o.shape)
            << "\n  national base_url:    " << sim.national_url() << " (dstcode " << o.creds.dstcode << ", madonvi "
            << o.world.province->province().code << ", username " << o.creds.username << ")"
            << (b ? "\n                        POST /login, then POST /g (TraCuuHoSo only)" : "")
            << "\n  provincial base_url:  " << sim.provincial_base_url()
            << (b ? " (GET /pa/dossier/search, /pa/dossier/{code}/--by-code)" : "")
            << "\n  provincial token_url: " << sim.provincial_token_url() << " ("
            << (b ? "password grant, client_id " + o.creds.client_id + ", username " + o.creds.provincial_username
                  : "client credentials, client_id " + o.creds.client_id)
            << ")\n";
  if (o.world.legacy_source) {
    std::cerr << "  legacy base_url:      " << sim.legacy_base_url() << " (the same paths and credentials)"
              << "\n  legacy token_url:     " << sim.legacy_token_url() << '\n';
  }
}

int run(simulator_options& o, const sim_arguments& a) {
  parse_listen(a.listen, o);
  const auto shape = parse_shape(a.shape);
  if (!shape) throw usage_error("--shape '" + a.shape + "': expected contract or b");
  o.shape = *shape;
  o.world.province = a.province.empty() ? catalog::merged() : catalog::from_file(a.province);
  if (!a.faults.empty()) {
    auto parsed = parse_faults(a.faults);
    if (!parsed.spec) throw usage_error("--faults: " + parsed.error);
    o.faults = *parsed.spec;
  }
  if (!a.clock_start.empty()) {
    const auto t = read_iso(a.clock_start);
    if (!t) {
      throw usage_error("--clock-start '" + a.clock_start + "': expected ISO 8601, e.g. 2024-08-01T08:00:00+07:00");
    }
    o.world.clock_start = *t;
  }
  if (!a.secret_file.empty()) o.creds.client_secret = read_secret(a.secret_file, "--client-secret-file");
  if (!a.provincial_password_file.empty()) {
    o.creds.provincial_password = read_secret(a.provincial_password_file, "--provincial-password-file");
  }
  if (!a.password_file.empty()) o.creds.password = read_secret(a.password_file, "--password-file");
  if (a.dump_only && a.dump_dir.empty()) throw usage_error("--dump-only needs --dump DIR");

  boost::asio::io_context io;  // declared first: it must outlive the simulator's listener
  simulator sim(o);
  if (a.mutate_percent > 0) sim.mutate(a.mutate_percent);
  if (!a.dump_dir.empty()) {
    const auto counts = sim.dump(a.dump_dir);
    std::cerr << "dvcrecon sim: wrote " << counts.provincial << " provincial and " << counts.national << " national "
              << shape_name(o.shape) << "-shape records to " << a.dump_dir << '\n';
    if (o.world.legacy_source) {
      std::cerr << "  provincial sources: " << counts.provincial_new << " in provincial-new.jsonl, "
                << counts.provincial_legacy << " in provincial-legacy.jsonl (" << counts.legacy_only << " legacy only, "
                << counts.moved << " moved, " << counts.new_only << " new only)\n";
    }
    if (a.dump_only) return 0;
  }
  sim.start(io);
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) sim.stop();
  });
  std::cout << "listening on " << sim.base_url() << std::endl;
  print_endpoints(sim, o);
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
      "Simulates the provincial one-stop system and the National Public Service Portal of a province (today's Đồng "
      "Nai by default) on one listener (docs/simulator.md), in the contract shape or in shape B: national under "
      "{base}/national, provincial under {base}/provincial/api with tokens from {base}/provincial/oauth/token; with "
      "--legacy-source a legacy provincial source at the same paths under {base}/legacy. Control: POST "
      "{base}/sim/mutate?percent=P, GET {base}/sim/status.",
      "dvcrecon sim"};
  simulator_options o;
  sim_arguments a;
  std::uint32_t tick_ms = 2000;
  app.add_option("--listen", a.listen, "HOST:PORT to listen on; port 0 picks a free one")->capture_default_str();
  app.add_option("--shape", a.shape, "wire shape of both portals: contract or b")->capture_default_str();
  app.add_option("--seed", o.world.seed, "seed of the generated province")->capture_default_str();
  app.add_option("--dossiers", o.world.dossiers, "dossiers generated at start")
      ->check(whole_number(0, 5'000'000))
      ->capture_default_str();
  app.add_option("--province", a.province,
                 "a province data file (units, procedures, names, successions) instead of today's Đồng Nai");
  app.add_option("--faults", a.faults,
                 "fault list, e.g. latency=50ms,error5xx=0.1,rate429=0.05,retry_after=1,truncate=0.02,"
                 "token_ttl=5,session_ttl=5r,drift=0.1,hang=0.01");
  app.add_option("--tls-cert", o.tls_cert, "PEM certificate chain: serve HTTPS")->check(CLI::ExistingFile);
  app.add_option("--tls-key", o.tls_key, "PEM private key for --tls-cert")->check(CLI::ExistingFile);
  app.add_flag("--legacy-source", o.world.legacy_source,
               "serve the dossiers of units retired by a succession from a legacy provincial source under "
               "{base}/legacy/provincial, some moved to the new one");
  app.add_option("--dump", a.dump_dir,
                 "write provincial.jsonl and national.jsonl (in the served shape) to DIR; with --legacy-source also "
                 "provincial-new.jsonl and provincial-legacy.jsonl");
  app.add_flag("--dump-only", a.dump_only, "exit after --dump");
  app.add_option("--tick-ms", tick_ms, "interval of live change")
      ->check(whole_number(10, 3'600'000))
      ->capture_default_str();
  app.add_flag("--freeze", o.freeze, "no live change");
  app.add_option("--mutate-percent", a.mutate_percent, "change this share of dossiers at start")
      ->check(number_between(0, 100));
  app.add_option("--clock-start", a.clock_start, "the simulated present (ISO 8601); default the wall clock");
  app.add_option("--client-id", o.creds.client_id, "provincial client_id accepted")->capture_default_str();
  app.add_option("--client-secret-file", a.secret_file,
                 "file holding the provincial client_secret (default sim-provincial-secret; optional in shape B)");
  app.add_option("--provincial-username", o.creds.provincial_username, "shape B: provincial username accepted")
      ->capture_default_str();
  app.add_option("--provincial-password-file", a.provincial_password_file,
                 "shape B: file holding the provincial password (default sim-provincial-password)");
  app.add_option("--username", o.creds.username, "national username accepted")->capture_default_str();
  app.add_option("--password-file", a.password_file,
                 "file holding the national password (default sim-national-secret)");
  app.add_option("--dstcode", o.creds.dstcode, "national dstcode header expected")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  o.tick = std::chrono::milliseconds(tick_ms);
  try {
    return run(o, a);
  } catch (const usage_error& e) {
    std::cerr << "dvcrecon sim: " << e.what() << '\n';
    return 2;
  } catch (const data_error& e) {
    std::cerr << "dvcrecon sim: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon sim: " << e.what() << '\n';
    return 3;
  }
}

}  // namespace dvc::sim
