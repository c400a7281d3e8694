#pragma once
// A raw Beast client and an in-process simulator for the tests: no retry, no parsing beyond HTTP, so every
// fault the simulator injects is seen as sent.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sim/simulator.hpp"

namespace dvc::sim::test {

namespace http = boost::beast::http;

struct raw_response {
  int status = 0;
  http::fields headers;
  std::string body;
  std::string error;  // transport error or parser error; empty on a complete response
};

raw_response call(std::uint16_t port, http::verb method, const std::string& target, const std::string& body = {},
                  const std::vector<std::pair<std::string, std::string>>& headers = {},
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A national answer's error_code as text, whether sent as a number or a string.
std::string error_code(const raw_response& r);

// Sends `request` as bytes and returns every byte received until the server closes or `timeout` passes.
struct raw_bytes {
  std::string data;
  bool timed_out = false;
};
raw_bytes exchange(std::uint16_t port, const std::string& request, std::chrono::milliseconds timeout);

// A clock the test moves by hand: the simulated present and the wall clock advance together.
class manual_clock {
 public:
  explicit manual_clock(std::int64_t present, std::int64_t wall = 1'900'000'000)
      : state_(std::make_shared<std::pair<std::atomic<std::int64_t>, std::int64_t>>(present, wall - present)) {}
  void advance(std::int64_t seconds) { state_->first += seconds; }
  std::int64_t present() const { return state_->first; }
  sim_clock clock() const {
    return {[s = state_] { return s->first.load(); }, [s = state_] { return s->first.load() + s->second; }};
  }

 private:
  std::shared_ptr<std::pair<std::atomic<std::int64_t>, std::int64_t>> state_;  // present, wall − present
};

// A simulator serving on 127.0.0.1:0 on its own thread for the lifetime of the object.
class running_sim {
 public:
  explicit running_sim(simulator_options options);
  ~running_sim();
  simulator& sim() { return *sim_; }
  std::uint16_t port() const { return sim_->port(); }

  wire_shape shape() const { return sim_->options().shape; }
  std::string token();    // a provincial access token (client credentials, or shape B's password grant)
  std::string session();  // a national session (DangNhap, or shape B's /login)
  raw_response provincial(const std::string& target, const std::string& token);
  // A national call: POST /national, or shape B's POST /national/g.
  raw_response national(const nlohmann::json& body);
  // The target of listing page `page` of the provincial portal, in the shape's own query.
  std::string list_target(int page, int size) const;
  // The target of one provincial dossier by its code.
  std::string one_target(const std::string& code) const;

 private:
  boost::asio::io_context io_;
  std::unique_ptr<simulator> sim_;
  std::thread thread_;
};

// Options for a small frozen province at a fixed instant.
simulator_options small_province(std::uint32_t dossiers = 2000, std::string_view faults = "",
                                 wire_shape shape = wire_shape::contract);

// A request as the simulator's connections hand it to portal_service::handle.
http::request<http::string_body> request(http::verb method, const std::string& target, const std::string& body = {},
                                         const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace dvc::sim::test
