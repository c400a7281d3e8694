// A consistent copy of a ledger in use: SQLite's online backup of every page in one step, under one read
// transaction, so the copy is the ledger as of one commit while the service goes on writing (WAL).
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "schema/ledger.hpp"
#include "schema/ledger_impl.hpp"

namespace dvc {
namespace {

namespace fs = std::filesystem;

// The copy under construction: removed unless it was renamed into place.
struct partial_file {
  std::string path;
  bool kept = false;
  ~partial_file() {
    if (!kept) {
      std::error_code ec;
      fs::remove(path, ec);
      fs::remove(path + "-journal", ec);
      fs::remove(path + "-wal", ec);
      fs::remove(path + "-shm", ec);
    }
  }
};

void sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw ledger_error("cannot open " + path + " to sync it: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) throw ledger_error("cannot sync " + path + ": " + std::strerror(error));
}

}  // namespace

backup_report ledger::backup_to(const std::string& target) const {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(target, ec)))
    throw ledger_error(target + " exists; a backup never overwrites a file");
  fs::path dir = fs::path(target).parent_path();
  if (dir.empty()) dir = ".";
  // Owner-only from its first byte (mkstemp), like the ledger; beside the target so the rename is atomic.
  partial_file partial{(dir / (fs::path(target).filename().string() + ".partial-XXXXXX")).string()};
  const int fd = ::mkstemp(partial.path.data());
  if (fd < 0) throw ledger_error("cannot create a file in " + dir.string() + ": " + std::strerror(errno));
  ::close(fd);

  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(partial.path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> copy(raw, sqlite3_close);
  if (opened != SQLITE_OK) throw ledger_error("cannot open " + partial.path + ": " + sqlite3_errstr(opened));
  sqlite3_backup* backup = sqlite3_backup_init(copy.get(), "main", p_->db.handle(), "main");
  if (!backup) throw ledger_error("cannot start the backup: " + std::string(sqlite3_errmsg(copy.get())));
  int rc = SQLITE_OK;
  // -1: every page in one step, under one read transaction of the ledger, hence one consistent state. BUSY or
  // LOCKED (a writer holding the ledger for longer than busy_timeout) leaves the copy to restart.
  for (int attempt = 0; attempt < 10; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(200);
  }
  backup_report report;
  report.pages = sqlite3_backup_pagecount(backup);
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) throw ledger_error("backup of " + path() + " to " + target + " failed: " + sqlite3_errstr(rc));
  if (finished != SQLITE_OK)
    throw ledger_error("backup of " + path() + " to " + target + " failed: " + sqlite3_errmsg(copy.get()));
  // Read back before it counts as a backup: a copy found damaged on the day of a restore is no backup.
  {
    sqlite3_stmt* raw_check = nullptr;
    sqlite3_prepare_v2(copy.get(), "PRAGMA quick_check", -1, &raw_check, nullptr);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> check(raw_check, sqlite3_finalize);
    const bool ok = check && sqlite3_step(check.get()) == SQLITE_ROW &&
                    std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(check.get(), 0))) == "ok";
    if (!ok) throw ledger_error("the copy in " + partial.path + " does not pass quick_check; nothing was kept");
  }
  copy.reset();
  sync_path(partial.path, O_RDONLY);
  if (std::rename(partial.path.c_str(), target.c_str()) != 0)
    throw ledger_error("cannot rename " + partial.path + " to " + target + ": " + std::strerror(errno));
  partial.kept = true;
  sync_path(dir.string(), O_RDONLY | O_DIRECTORY);
  report.bytes = fs::file_size(target, ec);
  return report;
}

}  // namespace dvc
