// The ledger's files: created owner-only.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "schema/ledger.hpp"
#include "tests/support/temp_dir.hpp"

namespace dvc::test {
namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

// Sets the process umask for the lifetime of the object.
class umask_as {
 public:
  explicit umask_as(mode_t mask) : old_(::umask(mask)) {}
  ~umask_as() { ::umask(old_); }

 private:
  mode_t old_;
};

}  // namespace

TEST_CASE("a new ledger, its WAL and shared memory are readable by their owner only, whatever the umask") {
  temp_dir dir;
  const auto path = dir.file("ledger.db");
  const umask_as open_umask(022);
  auto db = ledger::open(path);
  db.begin_run(run_mode::offline, 1, 1, 0);  // a write, so the WAL exists
  CHECK(mode_of(path) == 0600);
  CHECK(mode_of(path + "-wal") == 0600);
  CHECK(mode_of(path + "-shm") == 0600);
}

TEST_CASE("opening an existing ledger leaves its mode alone") {
  temp_dir dir;
  const auto path = dir.file("ledger.db");
  ledger::open(path);
  ::chmod(path.c_str(), 0640);
  ledger::open(path);
  CHECK(mode_of(path) == 0640);
}

}  // namespace dvc::test

namespace dvc::test {

TEST_CASE("backup: a consistent copy while a writer holds the ledger open, owner-only, never over a file") {
  temp_dir dir;
  const auto path = dir.file("ledger.db");
  auto writer = ledger::open(path);
  const auto run = writer.begin_run(run_mode::service, 100, 100, 0);
  {
    auto batch = writer.begin_batch(run, 100);
    batch.set_cursor(side::provincial, "2024-08-01T00:00:00Z");
    batch.commit();
  }
  // An uncommitted batch of the writer is not in the copy; what was committed is.
  auto open_batch = writer.begin_batch(run, 100);
  open_batch.set_cursor(side::provincial, "2030-01-01T00:00:00Z");

  const auto reader = ledger::open(path);
  const umask_as open_umask(022);
  const auto report = reader.backup_to(dir.file("copy.db"));
  CHECK(report.pages > 0);
  CHECK(report.bytes > 0);
  CHECK(mode_of(dir.file("copy.db")) == 0600);
  {
    const auto copy = ledger::open(dir.file("copy.db"));
    CHECK(copy.get_cursor(side::provincial) == "2024-08-01T00:00:00Z");
    CHECK(copy.get_run(run)->status == run_status::running);
    CHECK(copy.integrity_check().ok);
    CHECK(copy.verify_chain().ok);
  }
  open_batch.commit();

  try {
    reader.backup_to(dir.file("copy.db"));
    FAIL("a backup overwrote a file");
  } catch (const ledger_error& e) {
    CHECK(std::string(e.what()) == dir.file("copy.db") + " exists; a backup never overwrites a file");
  }
  CHECK(ledger::open(dir.file("copy.db")).get_cursor(side::provincial) == "2024-08-01T00:00:00Z");
  CHECK_THROWS_AS(reader.backup_to(dir.file("absent-dir/copy.db")), ledger_error);
  // Nothing half-written is left behind by a failure.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 4);  // ledger.db, its -wal and -shm, copy.db
}

}  // namespace dvc::test
