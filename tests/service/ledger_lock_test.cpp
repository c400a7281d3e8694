// One service per ledger: the lock excludes a second holder, in this process or another, names the ledger and
// the holder's pid, and goes with its holder.
#include "service/ledger_lock.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace dvc::test {

TEST_CASE("ledger lock: a second holder is refused with the ledger and the holder's pid, until the first lets go") {
  temp_dir dir;
  const auto ledger = dir.path() / "ledger.db";
  {
    auto held = ledger_lock::acquire(ledger);
    struct stat st {};
    REQUIRE(::stat(ledger_lock::lock_path(ledger).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    try {
      ledger_lock::acquire(ledger);
      FAIL("a second lock on one ledger was granted");
    } catch (const ledger_in_use& e) {
      CHECK(e.holder == ::getpid());
      CHECK(std::string(e.what()) == "ledger " + ledger.string() + " is in use by another dvcrecon service (pid " +
                                         std::to_string(::getpid()) + "); one service runs on a ledger at a time");
    }
    // Another process is refused too; it reports through its exit status.
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      try {
        ledger_lock::acquire(ledger);
        ::_exit(1);
      } catch (const ledger_in_use& e) {
        ::_exit(e.holder == ::getppid() ? 0 : 2);
      } catch (...) {
        ::_exit(3);
      }
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  // Released with its holder: the next service takes it.
  CHECK_NOTHROW(ledger_lock::acquire(ledger));
}

TEST_CASE("ledger lock: a directory that cannot hold the lock file is named") {
  temp_dir dir;
  try {
    ledger_lock::acquire(dir.path() / "absent" / "ledger.db");
    FAIL("locked a ledger in a directory that does not exist");
  } catch (const ledger_in_use&) {
    FAIL("reported as in use");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find((dir.path() / "absent" / "ledger.db.lock").string()) != std::string::npos);
  }
}

}  // namespace dvc::test
