#include "service/ledger_lock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>

namespace dvc {
namespace {

flock whole_file(short type) {
  flock fl{};
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 0;  // to the end, however long
  fl.l_pid = 0;  // must be 0 for open file description locks
  return fl;
}

// The pid the holder wrote, if it has written one yet.
std::optional<pid_t> recorded_pid(int fd) {
  char buf[32];
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return std::nullopt;
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(buf, buf + n, pid);
  if (ec != std::errc() || pid <= 0) return std::nullopt;
  return pid;
}

}  // namespace

std::filesystem::path ledger_lock::lock_path(const std::filesystem::path& ledger) { return ledger.string() + ".lock"; }

ledger_lock ledger_lock::acquire(const std::filesystem::path& ledger) {
  const auto path = lock_path(ledger);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw std::runtime_error("cannot open the lock file " + path.string() + ": " + std::strerror(errno));
  flock fl = whole_file(F_WRLCK);
  if (::fcntl(fd, F_OFD_SETLK, &fl) != 0) {
    const int error = errno;
    const auto holder = recorded_pid(fd);
    ::close(fd);
    if (error == EAGAIN || error == EACCES) {
      throw ledger_in_use("ledger " + ledger.string() + " is in use by another dvcrecon service (" +
                              (holder ? "pid " + std::to_string(*holder) : "pid not recorded yet") +
                              "); one service runs on a ledger at a time",
                          holder);
    }
    throw std::runtime_error("cannot lock " + path.string() + ": " + std::strerror(error));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int error = errno;
    ::close(fd);
    throw std::runtime_error("cannot write the lock file " + path.string() + ": " + std::strerror(error));
  }
  return ledger_lock(fd);
}

ledger_lock::~ledger_lock() {
  // Closing the descriptor releases the lock; the file stays, so a lock never races a removal.
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace dvc
