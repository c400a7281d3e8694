// Watchdog pings come from a timer on the service's io_context at half WatchdogSec and stop with the loop.
#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdlib>
#include <string>

#include "service/watchdog.hpp"
#include "tests/service/notify_listener.hpp"
#include "tests/support/service_fixtures.hpp"

namespace dvc::test {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

// Datagrams waiting now, without blocking; each must be a watchdog ping.
int pings_waiting(notify_listener& socket) {
  int n = 0;
  for (std::string got = socket.receive(false); !got.empty(); got = socket.receive(false)) {
    CHECK(got == "WATCHDOG=1");
    ++n;
  }
  return n;
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

// Runs the watchdog loop for `d`, then cancels it as the service's group does when the cycle loop ends.
void run_watchdog_for(notifier& n, std::chrono::milliseconds d) {
  asio::io_context io;
  std::exception_ptr failure;
  asio::co_spawn(io, watchdog_loop(n) || sleep_for(d), [&](std::exception_ptr e, auto) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

TEST_CASE("with WatchdogSec the loop pings at half the interval until it is cancelled") {
  temp_dir dir;
  notify_listener sock(dir.path() / "notify", "200000");  // 200 ms: pings every 100 ms
  notifier n;
  REQUIRE(n.watchdog_interval().has_value());
  run_watchdog_for(n, std::chrono::milliseconds(450));
  const int pings = pings_waiting(sock);
  CHECK(pings >= 4);  // at 0, 100, 200, 300, 400 ms
  CHECK(pings <= 6);
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  CHECK(pings_waiting(sock) == 0);  // nothing after the loop ended
}

TEST_CASE("without a watchdog the loop sends nothing and ends when cancelled") {
  temp_dir dir;
  notify_listener sock(dir.path() / "notify", nullptr);
  notifier n;
  REQUIRE(n.enabled());
  REQUIRE_FALSE(n.watchdog_interval().has_value());
  run_watchdog_for(n, std::chrono::milliseconds(100));
  CHECK(pings_waiting(sock) == 0);
}

}  // namespace dvc::test
