#include "tests/schema/faulty_vfs.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace dvc::test {
namespace {

// One armed fault at a time, shared by every file the wrapper opens: SQLite calls the VFS on the test's thread.
struct fault_state {
  bool armed = false;
  faulty_vfs::target what = faulty_vfs::target::write;
  int countdown = 0;
  int error = SQLITE_IOERR;
  int failures = 0;
};
fault_state state;

bool fail_now(faulty_vfs::target what) {
  if (!state.armed || state.what != what) return false;
  if (state.countdown > 0) {
    --state.countdown;
    return false;
  }
  ++state.failures;
  return true;
}

// The wrapper's file: SQLite allocates szOsFile bytes; the real file follows this header.
struct wrapped_file {
  sqlite3_file base;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};
wrapped_file* wrap(sqlite3_file* f) { return reinterpret_cast<wrapped_file*>(f); }
sqlite3_file* real(sqlite3_file* f) { return wrap(f)->real(); }

sqlite3_vfs* original = nullptr;

int x_close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return real(f)->pMethods->xRead(real(f), buf, n, off);
}
int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  if (fail_now(faulty_vfs::target::write)) return state.error;
  return real(f)->pMethods->xWrite(real(f), buf, n, off);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) { return real(f)->pMethods->xTruncate(real(f), size); }
int x_sync(sqlite3_file* f, int flags) {
  if (fail_now(faulty_vfs::target::sync)) return state.error;
  return real(f)->pMethods->xSync(real(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) { return real(f)->pMethods->xFileSize(real(f), size); }
int x_lock(sqlite3_file* f, int level) { return real(f)->pMethods->xLock(real(f), level); }
int x_unlock(sqlite3_file* f, int level) { return real(f)->pMethods->xUnlock(real(f), level); }
int x_check_reserved(sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
int x_file_control(sqlite3_file* f, int op, void* arg) { return real(f)->pMethods->xFileControl(real(f), op, arg); }
int x_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int x_device_characteristics(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return real(f)->pMethods->xShmMap(real(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int x_shm_unmap(sqlite3_file* f, int del) { return real(f)->pMethods->xShmUnmap(real(f), del); }
int x_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
  return real(f)->pMethods->xFetch(real(f), off, n, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) { return real(f)->pMethods->xUnfetch(real(f), off, p); }

const sqlite3_io_methods methods = {3,
                                    x_close,
                                    x_read,
                                    x_write,
                                    x_truncate,
                                    x_sync,
                                    x_file_size,
                                    x_lock,
                                    x_unlock,
                                    x_check_reserved,
                                    x_file_control,
                                    x_sector_size,
                                    x_device_characteristics,
                                    x_shm_map,
                                    x_shm_lock,
                                    x_shm_barrier,
                                    x_shm_unmap,
                                    x_fetch,
                                    x_unfetch};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* w = wrap(f);
  w->base.pMethods = nullptr;
  const int rc = original->xOpen(original, name, w->real(), flags, out_flags);
  // SQLite calls xClose only when pMethods is set, so a failed open leaves it null.
  if (rc == SQLITE_OK && w->real()->pMethods) w->base.pMethods = &methods;
  return rc;
}
int x_delete(sqlite3_vfs*, const char* name, int sync_dir) { return original->xDelete(original, name, sync_dir); }
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return original->xAccess(original, name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return original->xFullPathname(original, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return original->xDlOpen(original, name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { original->xDlError(original, n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return original->xDlSym(original, handle, symbol);
}
void x_dl_close(sqlite3_vfs*, void* handle) { original->xDlClose(original, handle); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return original->xRandomness(original, n, out); }
int x_sleep(sqlite3_vfs*, int us) { return original->xSleep(original, us); }
int x_current_time(sqlite3_vfs*, double* out) { return original->xCurrentTime(original, out); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) { return original->xGetLastError(original, n, out); }
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return original->xCurrentTimeInt64(original, out); }

sqlite3_vfs vfs{};

}  // namespace

faulty_vfs::faulty_vfs() {
  original = sqlite3_vfs_find(nullptr);
  if (!original || original->iVersion < 2) throw std::runtime_error("faulty_vfs: no usable default SQLite VFS");
  vfs = sqlite3_vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(sizeof(wrapped_file)) + original->szOsFile;
  vfs.mxPathname = original->mxPathname;
  vfs.zName = "dvc_faulty";
  vfs.xOpen = x_open;
  vfs.xDelete = x_delete;
  vfs.xAccess = x_access;
  vfs.xFullPathname = x_full_pathname;
  vfs.xDlOpen = x_dl_open;
  vfs.xDlError = x_dl_error;
  vfs.xDlSym = x_dl_sym;
  vfs.xDlClose = x_dl_close;
  vfs.xRandomness = x_randomness;
  vfs.xSleep = x_sleep;
  vfs.xCurrentTime = x_current_time;
  vfs.xGetLastError = x_get_last_error;
  vfs.xCurrentTimeInt64 = x_current_time_int64;
  state = fault_state{};
  if (sqlite3_vfs_register(&vfs, 1) != SQLITE_OK) throw std::runtime_error("faulty_vfs: cannot register the VFS");
}

faulty_vfs::~faulty_vfs() {
  sqlite3_vfs_unregister(&vfs);
  sqlite3_vfs_register(original, 1);
}

void faulty_vfs::arm(target what, int countdown, int error) { state = {true, what, countdown, error, 0}; }
void faulty_vfs::disarm() { state.armed = false; }
int faulty_vfs::failures() const { return state.failures; }

}  // namespace dvc::test
