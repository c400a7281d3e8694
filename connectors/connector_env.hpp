#pragma once
// What the clients take from the world besides the network: randomness for jitter, clocks, sleeping and a
// place to say what they are doing. Injected so tests run retries and token expiry without waiting.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

namespace dvc {

struct connector_env {
  std::function<double()> random;                                     // uniform in [0, 1)
  std::function<std::int64_t()> wall_now;                             // Unix seconds, for HTTP-dates
  std::function<std::chrono::steady_clock::time_point()> steady_now;  // token lifetimes
  std::function<boost::asio::awaitable<void>(std::chrono::milliseconds)> sleep;
  std::function<void(std::string_view)> log;  // retry notices; empty: silent. Never given a secret.
};

// Real clocks, a seeded PRNG, a steady_timer on the awaiting coroutine's executor, and no logging.
connector_env default_connector_env();

}  // namespace dvc
