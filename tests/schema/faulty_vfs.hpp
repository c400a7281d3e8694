#pragma once
// A test SQLite VFS that wraps the default one and makes writes or syncs fail on demand, as a full disk or a
// failing device would: after `countdown` more calls of the chosen kind, each such call returns `error` (e.g.
// SQLITE_FULL, SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC) until disarmed. Installed as the process's default VFS for
// the lifetime of a faulty_vfs object, so the ledger opens its files through it without knowing.
#include <cstdint>

namespace dvc::test {

class faulty_vfs {
 public:
  enum class target : std::uint8_t { write, sync };

  faulty_vfs();
  ~faulty_vfs();
  faulty_vfs(const faulty_vfs&) = delete;
  faulty_vfs& operator=(const faulty_vfs&) = delete;

  // Calls of `what` after the next `countdown` ones fail with `error`.
  void arm(target what, int countdown, int error);
  void disarm();
  // Calls that were made to fail since the last arm().
  int failures() const;
};

}  // namespace dvc::test
