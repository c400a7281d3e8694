#include "config/config_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace dvc {

namespace fs = std::filesystem;

file_read read_small_file(const fs::path& path, std::size_t limit) {
  file_read out;
  // O_NONBLOCK so that opening a FIFO does not wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    out.error = std::strerror(errno);
    return out;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    out.error = "not a regular file";
    return out;
  }
  out.mode = st.st_mode & 07777;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      out.error = std::strerror(errno);
      break;
    }
    if (n == 0) break;
    out.bytes.append(buf, static_cast<std::size_t>(n));
    if (out.bytes.size() > limit) {
      out.error = "larger than " + std::to_string(limit) + " bytes";
      break;
    }
  }
  ::close(fd);
  if (out.error) out.bytes.clear();
  return out;
}

namespace {

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

}  // namespace

bool is_credential_path(const fs::path& path) { return path.lexically_normal().string().starts_with(credentials_dir); }

protected_file_read read_protected_file(const fs::path& path, std::size_t limit) {
  protected_file_read out;
  auto file = read_small_file(path, limit);
  if (file.error) {
    out.error = "cannot read " + path.string() + ": " + *file.error;
    return out;
  }
  if (file.mode & (S_IWGRP | S_IWOTH)) {
    out.error = path.string() + " may be written by its group or by others (mode " + octal_mode(file.mode) +
                "): whoever can write it chooses what it holds; chmod go-w " + path.string();
    return out;
  }
  if ((file.mode & (S_IRGRP | S_IROTH)) && !is_credential_path(path)) {
    out.warning = path.string() + " may be read by its group or by others (mode " + octal_mode(file.mode) +
                  "); chmod go-r " + path.string() + ", or hand it to the service as a systemd credential";
  }
  out.bytes = std::move(file.bytes);
  return out;
}

secret_read read_secret_file(const fs::path& path, std::size_t min_bytes) {
  secret_read out;
  auto file = read_protected_file(path, max_secret_bytes);
  out.warning = std::move(file.warning);
  if (file.error) {
    out.error = std::move(file.error);
    out.warning.reset();
    return out;
  }
  std::string& bytes = file.bytes;
  while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r')) bytes.pop_back();
  if (bytes.empty()) {
    out.error = "secret file " + path.string() + " is empty";
    return out;
  }
  // A secret is one line of text: a control character (a second line, a tab, a NUL from a binary file) could not
  // be sent in a header and is far more likely a wrong file than part of a password. The message gives its
  // position, never the bytes around it.
  const auto control = std::find_if(bytes.begin(), bytes.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
  if (control != bytes.end()) {
    out.error = "secret file " + path.string() + " has a control character at byte " +
                std::to_string(control - bytes.begin() + 1) + "; a secret must be one line of printable text";
    return out;
  }
  if (bytes.size() < min_bytes) {
    out.error = "secret file " + path.string() + " holds " + std::to_string(bytes.size()) + " bytes; at least " +
                std::to_string(min_bytes) + " are needed (make one with: openssl rand -hex 32)";
    return out;
  }
  out.value = secret(std::move(bytes));
  return out;
}

}  // namespace dvc
