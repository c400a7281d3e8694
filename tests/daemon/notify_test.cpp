#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "daemon/notify.hpp"
#include "tests/daemon/config_test_support.hpp"

using namespace dvc;

namespace {

// A stand-in for systemd's notify socket: a bound unix datagram socket that NOTIFY_SOCKET points at.
class notify_listener {
 public:
  explicit notify_listener(const std::filesystem::path& path) : path_(path.string()) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(path_.size() < sizeof addr.sun_path);
    path_.copy(addr.sun_path, path_.size());
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    timeval timeout{2, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }
  ~notify_listener() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
  }
  notify_listener(const notify_listener&) = delete;
  notify_listener& operator=(const notify_listener&) = delete;

  // The next datagram, or "" when none arrives within the timeout (or at once with `wait` false).
  std::string receive(bool wait = true) {
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, wait ? 0 : MSG_DONTWAIT);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace

TEST_CASE("the notifier sends READY, WATCHDOG, STATUS and STOPPING to NOTIFY_SOCKET") {
  test::temp_dir dir;
  notify_listener listener(dir.path() / "notify");
  notifier n;
  CHECK(n.enabled());
  CHECK_FALSE(n.ready());
  CHECK(listener.receive() == "READY=1");
  CHECK_FALSE(n.watchdog());
  CHECK(listener.receive() == "WATCHDOG=1");
  CHECK_FALSE(n.status("cycle 3 done\n12 findings"));
  CHECK(listener.receive() == "STATUS=cycle 3 done 12 findings");
  CHECK_FALSE(n.stopping());
  CHECK(listener.receive() == "STOPPING=1");
}

TEST_CASE("without NOTIFY_SOCKET the notifier does nothing and succeeds") {
  test::temp_dir dir;
  notify_listener listener(dir.path() / "notify");
  ::unsetenv("NOTIFY_SOCKET");
  notifier n;
  CHECK_FALSE(n.enabled());
  CHECK_FALSE(n.ready());
  CHECK_FALSE(n.stopping());
  CHECK(listener.receive(false).empty());
}

TEST_CASE("a notify socket that is gone is reported as an error") {
  test::temp_dir dir;
  ::setenv("NOTIFY_SOCKET", (dir.path() / "nobody-listens").c_str(), 1);
  notifier n;
  const auto error = n.ready();
  ::unsetenv("NOTIFY_SOCKET");
  CHECK(error);
}

TEST_CASE("the watchdog interval comes from WATCHDOG_USEC for this process") {
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  CHECK_FALSE(notifier().watchdog_interval());

  ::setenv("WATCHDOG_USEC", "60000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  const auto interval = notifier().watchdog_interval();
  REQUIRE(interval);
  CHECK(*interval == std::chrono::seconds(60));

  ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
  CHECK_FALSE(notifier().watchdog_interval());
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
}
