#include "connectors/connector_env.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <random>

#include "connectors/wall_clock.hpp"

namespace dvc {

connector_env default_connector_env() {
  connector_env env;
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  env.random = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  env.wall_now = wall_clock_now;
  env.steady_now = [] { return std::chrono::steady_clock::now(); };
  env.sleep = [](std::chrono::milliseconds delay) -> boost::asio::awaitable<void> {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
    co_await timer.async_wait(boost::asio::use_awaitable);
  };
  return env;
}

}  // namespace dvc
