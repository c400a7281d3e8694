// Watchdog pings come from the service's io_context at half WatchdogSec and stop with the loop. The waits between
// pings are injected: the test sees each period asked for and ends the loop itself, so no clock is read.
#include <doctest/doctest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "service/watchdog.hpp"
#include "tests/service/notify_listener.hpp"
#include "tests/support/service_fixtures.hpp"

namespace dvc::test {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using std::chrono::microseconds;

// Datagrams waiting now, without blocking; each must be a watchdog ping.
int pings_waiting(notify_listener& socket) {
  int n = 0;
  for (std::string got = socket.receive(false); !got.empty(); got = socket.receive(false)) {
    CHECK(got == "WATCHDOG=1");
    ++n;
  }
  return n;
}

// Stands in for the clock: records each wait and returns at once (after letting other work run) until `rounds`
// waits were asked for; the last one never returns, and ends the group instead, as the service's group ends when
// another branch does: the `||` then cancels the loop while it waits.
struct fake_waits {
  fake_waits(asio::io_context& io, std::size_t n) : done(io, asio::steady_timer::time_point::max()), rounds(n) {}

  watchdog_wait wait() {
    return [this](microseconds period) -> asio::awaitable<void> {
      const auto executor = co_await asio::this_coro::executor;
      periods.push_back(period);
      if (periods.size() < rounds) {
        co_await asio::post(executor, asio::use_awaitable);
        co_return;
      }
      done.cancel();
      asio::steady_timer forever(executor, asio::steady_timer::time_point::max());
      co_await forever.async_wait(asio::use_awaitable);
    };
  }
  // Ends when the last of the `rounds` waits is asked for.
  asio::awaitable<void> finished() { co_await done.async_wait(asio::as_tuple(asio::use_awaitable)); }

  asio::steady_timer done;
  std::size_t rounds;
  std::vector<microseconds> periods;
};

// Yields to the io_context a few times, so a loop started beside it has run as far as it can without a wait ending.
asio::awaitable<void> let_others_run() {
  for (int i = 0; i < 10; ++i) co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
}

template <class T>
void run(asio::io_context& io, asio::awaitable<T> group) {
  std::exception_ptr failure;
  asio::co_spawn(io, std::move(group), [&](std::exception_ptr e, auto&&...) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

TEST_CASE("with WatchdogSec the loop pings, waits half the interval, and stops pinging once cancelled") {
  temp_dir dir;
  notify_listener sock(dir.path() / "notify", "200000");  // WatchdogSec of 200 ms
  notifier n;
  REQUIRE(n.watchdog_interval().has_value());
  asio::io_context io;
  fake_waits waits(io, 5);
  run(io, watchdog_loop(n, waits.wait()) || waits.finished());
  CHECK(waits.periods == std::vector<microseconds>(5, microseconds(100000)));
  CHECK(pings_waiting(sock) == 5);  // one before each wait; the loop ended in the fifth
}

TEST_CASE("without a watchdog the loop sends nothing, never waits for a period, and ends when cancelled") {
  temp_dir dir;
  notify_listener sock(dir.path() / "notify", nullptr);
  notifier n;
  REQUIRE(n.enabled());
  REQUIRE_FALSE(n.watchdog_interval().has_value());
  asio::io_context io;
  fake_waits waits(io, 1);
  run(io, watchdog_loop(n, waits.wait()) || let_others_run());
  CHECK(waits.periods.empty());
  CHECK(pings_waiting(sock) == 0);
}

}  // namespace dvc::test
