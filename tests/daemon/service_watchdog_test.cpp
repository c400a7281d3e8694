// Watchdog pings come from a timer on the service's io_context at half WatchdogSec and stop with the loop.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "daemon/watchdog.hpp"
#include "tests/daemon/service_fixtures.hpp"

namespace dvc::test {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

// A bound unix datagram socket standing in for systemd's notify socket, with the watchdog variables set.
class watchdog_socket {
 public:
  watchdog_socket(const std::filesystem::path& path, const char* watchdog_usec) : path_(path.string()) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(path_.size() < sizeof addr.sun_path);
    path_.copy(addr.sun_path, path_.size());
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
    if (watchdog_usec) {
      ::setenv("WATCHDOG_USEC", watchdog_usec, 1);
      ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
    }
  }
  ~watchdog_socket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
    ::close(fd_);
  }
  watchdog_socket(const watchdog_socket&) = delete;
  watchdog_socket& operator=(const watchdog_socket&) = delete;

  // Datagrams waiting now, without blocking.
  int pings_waiting() {
    int n = 0;
    char buf[256];
    for (;;) {
      const ssize_t got = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (got <= 0) return n;
      CHECK(std::string(buf, static_cast<std::size_t>(got)) == "WATCHDOG=1");
      ++n;
    }
  }

 private:
  std::string path_;
  int fd_ = -1;
};

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
  watchdog_socket sock(dir.path() / "notify", "200000");  // 200 ms: pings every 100 ms
  notifier n;
  REQUIRE(n.watchdog_interval().has_value());
  run_watchdog_for(n, std::chrono::milliseconds(450));
  const int pings = sock.pings_waiting();
  CHECK(pings >= 4);  // at 0, 100, 200, 300, 400 ms
  CHECK(pings <= 6);
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  CHECK(sock.pings_waiting() == 0);  // nothing after the loop ended
}

TEST_CASE("without a watchdog the loop sends nothing and ends when cancelled") {
  temp_dir dir;
  watchdog_socket sock(dir.path() / "notify", nullptr);
  notifier n;
  REQUIRE(n.enabled());
  REQUIRE_FALSE(n.watchdog_interval().has_value());
  run_watchdog_for(n, std::chrono::milliseconds(100));
  CHECK(sock.pings_waiting() == 0);
}

}  // namespace dvc::test
