#pragma once
// The simulator as a component: both portals served over HTTP (or HTTPS) on one listener, on a caller's
// io_context, with live change on a timer. Used by `dvcrecon sim`, the demo and in-process tests.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "sim/clock.hpp"
#include "sim/faults.hpp"
#include "sim/portal_service.hpp"
#include "sim/render.hpp"
#include "sim/world.hpp"

namespace dvc::sim {

struct simulator_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0 picks a free port
  world_config world;      // world.clock_start 0 means the wall clock at construction
  wire_shape shape = wire_shape::contract;
  fault_spec faults;
  credentials creds;
  sim_clock clock;  // an empty function: the present runs from world.clock_start with the steady clock; the wall clock
  std::chrono::milliseconds tick{2000};
  bool freeze = false;   // no live change (tests, benchmarks); mutate() still works
  std::string tls_cert;  // PEM certificate chain; with tls_key, serve HTTPS
  std::string tls_key;
};

class simulator {
 public:
  explicit simulator(simulator_options options);
  ~simulator();
  simulator(const simulator&) = delete;
  simulator& operator=(const simulator&) = delete;

  // Binds and starts serving on `io` (run it on one or more threads); `io` must outlive the simulator, whose
  // listener and connections belong to it. Throws std::runtime_error naming the
  // address or file at fault (address in use, unreadable certificate).
  void start(boost::asio::io_context& io);
  // Closes the listener and every connection and stops the ticks; safe from any thread. Once the
  // connections have wound down, `io.run()` returns.
  void stop();

  std::uint16_t port() const;
  std::string base_url() const;  // http://127.0.0.1:PORT (https with TLS)
  // The same in both shapes; the shape decides the paths below them (docs/simulator.md).
  std::string national_url() const;          // {base}/national
  std::string provincial_base_url() const;   // {base}/provincial/api
  std::string provincial_token_url() const;  // {base}/provincial/oauth/token
  // With world.legacy_source, the legacy source's: the same paths below {base}/legacy.
  std::string legacy_base_url() const;   // {base}/legacy/provincial/api
  std::string legacy_token_url() const;  // {base}/legacy/provincial/oauth/token
  const simulator_options& options() const;

  dump_counts dump(const std::filesystem::path& dir);
  std::size_t mutate(double percent);
  std::size_t tick();
  portal_service& service();

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace dvc::sim
