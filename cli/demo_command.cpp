#include "cli/demo_command.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "api/api_server.hpp"
#include "cli/cli_parse.hpp"
#include "config/config.hpp"
#include "reconcile/instant.hpp"
#include "schema/sha256.hpp"
#include "service/exit_codes.hpp"
#include "service/service.hpp"
#include "sim/catalog.hpp"
#include "sim/render.hpp"
#include "sim/simulator.hpp"

namespace dvc {
namespace {

namespace fs = std::filesystem;
using tcp = boost::asio::ip::tcp;

constexpr std::uint16_t preferred_api_port = 8470;
constexpr int api_port_tries = 30;
// The simulator's data ends just before its clock starts and live changes are stamped with the present, so a
// one-minute grace leaves the base data evaluable on the first cycle and lets fresh changes surface a minute later.
constexpr std::int64_t demo_grace_s = 60;
constexpr std::int64_t demo_poll_interval_s = 10;

struct demo_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The first port from 8470 that can be bound now; another program may still take it before the API does, and
// then the API's own bind fails with a message naming the address.
std::uint16_t free_api_port() {
  boost::asio::io_context io;
  for (int i = 0; i < api_port_tries; ++i) {
    const auto port = static_cast<std::uint16_t>(preferred_api_port + i);
    tcp::acceptor probe(io);
    boost::system::error_code ec;
    probe.open(tcp::v4(), ec);
    if (!ec) probe.bind({boost::asio::ip::make_address_v4("127.0.0.1"), port}, ec);
    if (!ec) return port;
  }
  throw demo_error("no free port for the API on 127.0.0.1:" + std::to_string(preferred_api_port) + "–" +
                   std::to_string(preferred_api_port + api_port_tries - 1));
}

fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "dvcrecon-demo-XXXXXX").string();
  if (!::mkdtemp(pattern.data()))
    throw demo_error("cannot create a temporary directory in " + fs::temp_directory_path().string());
  return pattern;
}

void write_file(const fs::path& path, const std::string& text, fs::perms perms) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw demo_error(path.string() + ": cannot write the file");
  fs::permissions(path, perms);
}

// 32 random bytes as 64 hex digits, from the system's random source: the demo's audit key and operator token.
std::string random_hex_32() {
  std::random_device source;
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    const auto byte = source() & 0xff;
    out += digits[byte >> 4];
    out += digits[byte & 0xf];
  }
  return out;
}

// Writes the configuration and its secrets; `token` receives the demo operator's API token.
fs::path write_config(const fs::path& dir, const sim::simulator& s, std::uint16_t api_port, std::string& token) {
  const auto& creds = s.options().creds;
  const auto owner_only = fs::perms::owner_read | fs::perms::owner_write;
  nlohmann::json provincial = {{"base_url", s.provincial_base_url()},
                               {"token_url", s.provincial_token_url()},
                               {"client_id", creds.client_id},
                               {"client_secret_file", "provincial.secret"}};
  write_file(dir / "provincial.secret", creds.client_secret + "\n", owner_only);
  nlohmann::json national = {{"base_url", s.national_url()},
                             {"dstcode", creds.dstcode},
                             {"madonvi", s.options().world.province->province().code},
                             {"username", creds.username},
                             {"password_file", "national.secret"}};
  // Shape B is read through the shipped shape-b profiles: a password grant on the provincial side and a
  // national side that is looked up by code (docs/profiles.md, docs/lookups.md).
  if (s.options().shape == sim::wire_shape::b) {
    provincial["profile"] = "shape-b";
    provincial["username"] = creds.provincial_username;
    provincial["password_file"] = "provincial.password";
    write_file(dir / "provincial.password", creds.provincial_password + "\n", owner_only);
    national["profile"] = "shape-b";
    // Enough look-ups for the first cycle to cover the demo's province in seconds rather than hours.
    national["lookup"] = {{"requests_per_second", 500}, {"concurrency", 4}, {"max_per_cycle", 200'000}};
  }
  if (s.options().world.legacy_source) {
    // The current system and the legacy one whose open dossiers moved to it; same credentials in the simulator.
    nlohmann::json legacy = provincial;
    legacy["base_url"] = s.legacy_base_url();
    legacy["token_url"] = s.legacy_token_url();
    legacy["name"] = "legacy";
    legacy["moved_to"] = "current";
    provincial["name"] = "current";
    provincial = nlohmann::json::array({provincial, legacy});
  }
  write_file(dir / "national.secret", creds.password + "\n", owner_only);
  write_file(dir / "audit.key", random_hex_32() + "\n", owner_only);
  token = random_hex_32();
  const nlohmann::json tokens = {{"tokens", {{{"name", "demo"}, {"scope", "ack"}, {"sha256", sha256_hex(token)}}}}};
  write_file(dir / "api-tokens.json", tokens.dump(2) + "\n", owner_only);
  nlohmann::json cfg = {
      {"ledger", (dir / "ledger.db").string()},
      {"poll_interval_s", demo_poll_interval_s},
      {"sync_grace_s", demo_grace_s},
      {"lookback_s", 60},
      {"provincial", provincial},
      {"national", national},
      {"http", {{"listen", "127.0.0.1:" + std::to_string(api_port)}, {"tokens_file", "api-tokens.json"}}},
      {"audit", {{"key_file", "audit.key"}}},
  };
  // The world's reorganisation, so that an old code on one portal and its successor's on the other are one unit
  // (docs/configuration.md#successions).
  const auto& province = *s.options().world.province;
  if (!province.successions().empty()) {
    auto& list = cfg["successions"] = nlohmann::json::array();
    for (const auto& entry : province.successions()) {
      list.push_back({{"from", entry.from}, {"to", entry.to}, {"since", dvc::format_vietnam_iso(entry.since)}});
    }
  }
  const fs::path path = dir / "dvcrecon.json";
  write_file(path, "// Written by `dvcrecon demo` for its simulator.\n" + cfg.dump(2) + "\n",
             owner_only | fs::perms::group_read | fs::perms::others_read);
  return path;
}

// Open findings by kind, read from the ledger through a connection of its own.
std::map<std::string, std::int64_t> open_by_kind(const fs::path& ledger_path) {
  std::map<std::string, std::int64_t> out;
  auto db = ledger::open(ledger_path.string());
  for (const auto kind : all_kinds()) {
    finding_filter f;
    f.kinds = {kind};
    f.states = {std::string(state::open), std::string(state::reopened)};
    f.limit = 1;
    const auto total = db.list_findings(f).total;
    if (total) out[std::string(kind_name(kind))] = total;
  }
  return out;
}

void print_cycle(const cycle_report& r, const fs::path& ledger_path) {
  std::cout << "cycle " << r.run_id << " (" << run_status_name(r.status) << "): provincial " << r.provincial.records
            << " records, national " << r.national.records << " records, " << r.data_errors() << " data errors";
  if (r.evaluated) {
    std::cout << "; evaluated " << r.totals.evaluated << " dossiers (" << r.totals.pending - r.totals.awaiting_lookup
              << " within the grace period";
    if (r.totals.awaiting_lookup) std::cout << ", " << r.totals.awaiting_lookup << " awaiting a national look-up";
    std::cout << "); " << r.totals.lifecycle.raised << " findings opened, " << r.totals.lifecycle.resolved
              << " resolved, " << r.totals.lifecycle.reopened << " reopened\n";
    std::int64_t open = 0;
    const auto by_kind = open_by_kind(ledger_path);
    for (const auto& [kind, n] : by_kind) open += n;
    std::cout << "  open findings: " << open;
    for (const auto& [kind, n] : by_kind) std::cout << "  " << kind << " " << n;
    std::cout << '\n';
  } else {
    std::cout << "; " << r.message << '\n';
  }
  std::cout.flush();
}

void print_banner(const sim::simulator& s, std::uint32_t dossiers, const fs::path& dir, const fs::path& config_path,
                  std::uint16_t api_port, const std::string& token, bool once, bool keep) {
  const std::string api = "http://127.0.0.1:" + std::to_string(api_port);
  std::cout << "dvcrecon demo: simulated portals, the service and its ledger on this machine.\n"
            << "  simulator:  " << s.base_url() << " (" << dossiers << " dossiers, "
            << sim::shape_name(s.options().shape) << " shape, national at /national, provincial at /provincial/api"
            << (s.options().world.legacy_source ? " and its legacy source at /legacy/provincial/api" : "") << ")\n";
  if (!once) {
    std::cout << "  dashboard:  " << api << "/\n"
              << "  API:        " << api << "/api/findings?state=open  " << api << "/api/sync-rates  " << api
              << "/api/runs\n"
              << "  health:     " << api << "/healthz  " << api << "/readyz  " << api << "/metrics\n"
              << "  token:      " << token << "  (operator \"demo\": acknowledge findings in the dashboard)\n";
  }
  std::cout << "  config:     " << config_path.string() << "\n"
            << "  ledger:     " << (dir / "ledger.db").string() << "\n";
  if (once && !keep) return;  // the directory goes away on exit: nothing to try afterwards
  std::cout << "  try:        dvcrecon mismatches list --config " << config_path.string() << "\n"
            << "              dvcrecon report sync-rate --config " << config_path.string() << "\n"
            << "              dvcrecon mismatches export --format csv --config " << config_path.string() << "\n";
  if (!once) {
    std::cout << "The service polls every " << demo_poll_interval_s << " s; the simulator keeps changing, so findings "
              << "open and resolve as you watch. Ctrl-C stops; "
              << (keep ? "the directory is kept." : "the directory is then removed (--keep keeps it).") << "\n";
  }
  std::cout.flush();
}

}  // namespace

int demo_command(const std::vector<std::string>& args) {
  CLI::App app("Run the simulator, the service, the API and the dashboard on this machine, with no set-up.", "demo");
  bool once = false, keep = false;
  std::uint32_t dossiers = 3000;
  std::uint64_t seed = 1;
  std::string shape = "contract";
  app.add_flag("--once", once, "one cycle, print a summary and exit (for tests and CI)");
  app.add_flag("--keep", keep, "keep the temporary directory (config, secrets, ledger) after exit");
  app.add_option("--dossiers", dossiers, "dossiers in the simulated province")
      ->check(whole_number(1, 200'000))
      ->capture_default_str();
  app.add_option("--seed", seed, "seed of the simulated province")->capture_default_str();
  app.add_option("--shape", shape, "wire shape the simulated portals speak: contract or b")->capture_default_str();
  if (const auto stop = parse_cli(app, args)) return *stop;
  const auto wire = sim::parse_shape(shape);
  if (!wire) {
    std::cerr << "dvcrecon demo: --shape \"" << shape << "\": expected contract or b\n";
    return exit_code::usage;
  }

  // SIGINT and SIGTERM are held from here on, and in the simulator's thread that inherits the mask: a signal during
  // set-up must not kill the demo before it removes its directory. The service takes them while it runs (it
  // receives any held meanwhile at once), and they are held again after it returns, until the directory is gone.
  sigset_t stop_signals, previous;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  fs::path dir;
  int rc = exit_code::runtime;
  try {
    dir = make_temp_dir();
    // Said at once, before the province is generated: from here on a stop signal is held, not fatal.
    std::cout << "dvcrecon demo: setting up " << dossiers << " simulated dossiers in " << dir.string() << '\n'
              << std::flush;
    sim::simulator_options o;
    o.world.dossiers = dossiers;
    o.world.seed = seed;
    o.world.province = sim::catalog::merged();
    // The merged province still runs its retired units' one-stop system: two provincial sources (docs/sources.md).
    o.world.legacy_source = !o.world.province->successions().empty();
    o.shape = *wire;
    o.tick = std::chrono::seconds(3);
    // The simulator gets its own thread, so serving its pages never competes with the service's cycle. Its
    // io_context is declared first: it must outlive the simulator's listener.
    boost::asio::io_context sim_io;
    sim::simulator simulator(o);
    simulator.start(sim_io);
    std::thread sim_thread([&sim_io] { sim_io.run(); });
    // stop() cancels the simulator's tick timer, but a tick whose wait has just completed re-arms it; stopping
    // the io_context as well ends its thread whatever is still queued.
    struct stop_simulator {
      sim::simulator& s;
      boost::asio::io_context& io;
      std::thread& t;
      ~stop_simulator() {
        s.stop();
        io.stop();
        t.join();
      }
    } stopper{simulator, sim_io, sim_thread};

    const std::uint16_t api_port = once ? 0 : free_api_port();
    std::string token;
    const fs::path config_path = write_config(dir, simulator, api_port, token);
    const auto loaded = load_config(config_path);
    if (!loaded.value) {
      for (const auto& p : loaded.problems) std::cerr << config_path.string() << ": " << describe(p) << '\n';
      throw demo_error("the generated configuration was refused (see above)");
    }
    service_options options;
    options.once = once;
    if (!once) options.companion = api_companion(*loaded.value);
    options.on_ready = [&] { print_banner(simulator, dossiers, dir, config_path, api_port, token, once, keep); };
    options.on_cycle = [&](const cycle_report& r) { print_cycle(r, loaded.value->ledger); };
    rc = run_service(*loaded.value, options);
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon demo: " << e.what() << '\n';
    rc = exit_code::runtime;
  }
  if (!dir.empty()) {
    if (keep) {
      std::cout << "dvcrecon demo: kept " << dir.string() << '\n';
    } else {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  }
  // A signal held since the service returned is dropped: the demo is over either way.
  timespec none{};
  while (sigtimedwait(&stop_signals, nullptr, &none) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return rc;
}

}  // namespace dvc
