#pragma once
// The in-process simulator on its own thread, a service configuration pointing at it, one cycle run to
// completion, and the offline evaluation of the simulator's dump that a cycle's findings must equal.
#include <stdlib.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>

#include "config/config.hpp"
#include "reconcile/export_reader.hpp"
#include "reconcile/matcher.hpp"
#include "schema/ledger.hpp"
#include "service/cycle.hpp"
#include "sim/catalog.hpp"
#include "sim/simulator.hpp"
#include "tests/support/temp_dir.hpp"

namespace dvc::test {

// 2024-08-01T08:00:00+07:00: the simulated present; its base data ends just before.
inline constexpr instant sim_clock_start = 1722474000;

class running_simulator {
 public:
  // `legacy`: the provincial dossiers split between a current and a legacy source (docs/simulator.md).
  explicit running_simulator(std::uint32_t dossiers, std::uint64_t seed = 7,
                             sim::wire_shape shape = sim::wire_shape::contract, bool legacy = false)
      : sim_(options(dossiers, seed, shape, legacy)) {
    sim_.start(io_);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~running_simulator() {
    sim_.stop();
    thread_.join();
  }
  sim::simulator& get() { return sim_; }

 private:
  static sim::simulator_options options(std::uint32_t dossiers, std::uint64_t seed, sim::wire_shape shape,
                                        bool legacy) {
    sim::simulator_options o;
    o.shape = shape;
    o.world.legacy_source = legacy;
    if (legacy) o.world.province = sim::catalog::merged();  // the world whose retired units the legacy source holds
    o.world.dossiers = dossiers;
    o.world.seed = seed;
    o.world.clock_start = sim_clock_start;
    o.freeze = true;
    return o;
  }
  boost::asio::io_context io_;  // first: it must outlive the simulator's listener
  sim::simulator sim_;
  std::thread thread_;
};

inline config service_config(sim::simulator& s) {
  config c;
  const auto& creds = s.options().creds;
  c.ledger = ":memory:";
  c.since = sim_clock_start - 400 * 86400;
  c.provincial.front().portal.base_url = s.provincial_base_url();
  c.provincial.front().portal.token_url = s.provincial_token_url();
  c.provincial.front().portal.client_id = creds.client_id;
  c.provincial.front().client_secret = secret(creds.client_secret);
  c.national.portal.base_url = s.national_url();
  c.national.portal.dstcode = creds.dstcode;
  c.national.portal.madonvi = s.options().world.province->province().code;
  c.national.portal.username = creds.username;
  c.national.password = secret(creds.password);
  for (auto* r : {&c.provincial.front().portal.retry, &c.national.portal.retry}) {
    r->base_delay = std::chrono::milliseconds(10);
    r->max_delay = std::chrono::milliseconds(50);
  }
  if (s.options().shape == sim::wire_shape::b) {
    // Both sides through the shipped shape-b profiles, with a look-up budget that covers every dossier at once.
    c.provincial.front().profile = side_profile::load("shape-b", side::provincial, {});
    c.provincial.front().portal.username = creds.provincial_username;
    c.provincial.front().password = secret(creds.provincial_password);
    c.national.profile = side_profile::load("shape-b", side::national, {});
    c.national.lookup.requests_per_second = 1000;
    c.national.lookup.concurrency = 4;
    c.national.lookup.max_per_cycle = 1'000'000;
  }
  return c;
}

// A loopback port with nothing listening: bound, then closed.
inline std::uint16_t closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = a.local_endpoint().port();
  a.close();
  return port;
}

inline cycle_report run_one_cycle(const config& cfg, ledger& db, service_status& status, instant now,
                                  const poll_progress::publisher& publish = {}) {
  boost::asio::io_context io;
  portal_clients clients(io.get_executor(), cfg);
  std::optional<cycle_report> out;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, run_cycle(cfg, db, clients, status, now, publish),
                        [&](std::exception_ptr e, cycle_report r) {
                          failure = e;
                          if (!e) out = std::move(r);
                        });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return *out;
}

using finding_id = std::tuple<std::string, std::string, std::string>;  // key, kind, reason

inline std::set<finding_id> open_findings(const ledger& db) {
  std::set<finding_id> out;
  finding_filter f;
  f.states = {std::string(state::open), std::string(state::reopened)};
  db.each_finding(f, [&](const finding_row& r) { out.emplace(r.key, std::string(kind_name(r.kind)), r.reason); });
  return out;
}

struct offline_result {
  std::set<finding_id> findings;
  std::size_t provincial = 0, national = 0;  // records in the dump
  std::int64_t pending = 0;
};

// The simulator's records as they are now, evaluated by the offline engine at T = `as_of`; with `unit`, only
// records of that unit on either side (what a service configured with that one unit reads).
inline offline_result offline_evaluation(sim::simulator& s, const std::filesystem::path& dir, instant as_of,
                                         std::int64_t grace_s, const std::string& unit = {},
                                         const unit_successions* successions = nullptr) {
  offline_result out;
  const auto counts = s.dump(dir);
  out.provincial = counts.provincial;
  out.national = counts.national;
  matcher pairs;
  const status_map statuses;
  std::ostringstream errors;
  for (const side sd : {side::provincial, side::national}) {
    const auto file = dir / (sd == side::provincial ? "provincial.jsonl" : "national.jsonl");
    read_export(file.string(), sd, statuses, errors, [&](dossier&& d, std::size_t line) {
      if (unit.empty() || d.unit_code == unit) pairs.add(facts_of(d), line);
    });
  }
  pairs.match([&](const dossier_facts* p, const dossier_facts* n) {
    const evaluation ev = evaluate(p, n, {as_of, grace_s, successions});
    if (ev.pending) {
      ++out.pending;
      return;
    }
    for (const auto& f : ev.findings) out.findings.emplace(f.key, std::string(kind_name(f.kind)), f.reason);
  });
  return out;
}

}  // namespace dvc::test
