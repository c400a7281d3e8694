#pragma once
// One service per ledger. Two processes running cycles on one ledger would each close the other's runs as
// interrupted and interleave their cursors; so the service (`run`, `run --once`, `demo`) holds an exclusive lock on
// `LEDGER.lock`, next to the ledger, for as long as it runs. The lock is an open file description lock (F_OFD_SETLK):
// the kernel drops it when the holder ends however it ends, and two holders in one process exclude each other too.
// The file keeps the holder's pid for the message the next one gets; the read-only commands take no lock.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <stdexcept>

namespace dvc {

// Another process holds the lock: the message names the ledger and, when it is known, that process's pid.
struct ledger_in_use : std::runtime_error {
  ledger_in_use(const std::string& what, std::optional<pid_t> pid) : std::runtime_error(what), holder(pid) {}
  std::optional<pid_t> holder;
};

class ledger_lock {
 public:
  // Takes the lock of `ledger` (creating LEDGER.lock, mode 0600) without waiting. Throws ledger_in_use when another
  // holds it, std::runtime_error naming the lock file when it cannot be created or locked.
  static ledger_lock acquire(const std::filesystem::path& ledger);

  ledger_lock(ledger_lock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ledger_lock& operator=(ledger_lock&&) = delete;
  ledger_lock(const ledger_lock&) = delete;
  ~ledger_lock();

  static std::filesystem::path lock_path(const std::filesystem::path& ledger);

 private:
  explicit ledger_lock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace dvc
