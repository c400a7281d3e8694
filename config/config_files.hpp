#pragma once
// Reading the files a configuration names: bounded in size, regular files only, and for files holding secrets or
// token hashes, their permissions checked. Messages name the file, never its content.
#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_secret.hpp"

namespace dvc {

struct file_read {
  std::string bytes;
  std::optional<std::string> error;  // why not, without the path: "No such file or directory"
  mode_t mode = 0;                   // permission bits of the file read
};

// Reads at most `limit` bytes of a regular file; anything else is refused so a wrong path cannot make the
// service read without end (a device, a large log) or wait forever (a FIFO).
file_read read_small_file(const std::filesystem::path& path, std::size_t limit);

// Where systemd hands a service its credentials (LoadCredential=): files there are private to the service
// whatever their mode says.
inline constexpr std::string_view credentials_dir = "/run/credentials/";
bool is_credential_path(const std::filesystem::path& path);

// A file holding a secret or token hashes read with its permissions checked: one that its group or others may
// write is refused (whoever can write it chooses the secret, or adds a token); one they may read is kept with a
// warning, unless it lies under /run/credentials/.
struct protected_file_read {
  std::string bytes;
  std::optional<std::string> error;    // one sentence naming the path; set when refused
  std::optional<std::string> warning;  // one sentence naming the path; the file is still used
};
protected_file_read read_protected_file(const std::filesystem::path& path, std::size_t limit);

// A secret file: read_protected_file, then one line of printable text (a trailing line end trimmed), not empty,
// and at least `min_bytes` long when that is given (a token or a key someone could otherwise guess).
struct secret_read {
  std::optional<secret> value;
  std::optional<std::string> error;
  std::optional<std::string> warning;
};
secret_read read_secret_file(const std::filesystem::path& path, std::size_t min_bytes = 0);

// Largest secret file read; anything larger is refused rather than read.
inline constexpr std::size_t max_secret_bytes = 64 * 1024;
// The least a bearer token or the audit key may hold: 32 bytes, as `openssl rand -hex 32` gives twice over.
inline constexpr std::size_t min_token_bytes = 32;

}  // namespace dvc
