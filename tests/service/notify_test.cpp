#include "service/notify.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "tests/service/notify_listener.hpp"
#include "tests/support/config_test_support.hpp"

using namespace dvc;

using test::notify_listener;

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
