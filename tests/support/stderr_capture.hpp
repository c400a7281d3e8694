#pragma once
// Captures what the process writes to file descriptor 2 (the service log) while it lives, for tests that check
// log lines.
#include <unistd.h>

#include <cstdio>
#include <string>

namespace dvc::test {

class stderr_capture {
 public:
  stderr_capture() : file_(std::tmpfile()) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    if (file_ && saved_ >= 0) ::dup2(::fileno(file_), 2);
  }
  ~stderr_capture() {
    std::fflush(stderr);
    if (saved_ >= 0) {
      ::dup2(saved_, 2);
      ::close(saved_);
    }
    if (file_) std::fclose(file_);
  }
  stderr_capture(const stderr_capture&) = delete;
  stderr_capture& operator=(const stderr_capture&) = delete;

  // Everything written so far.
  std::string text() const {
    std::fflush(stderr);
    std::string out;
    if (!file_) return out;
    char buf[4096];
    const long end = std::ftell(file_);
    std::rewind(file_);
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, file_)) > 0;) out.append(buf, n);
    std::fseek(file_, end, SEEK_SET);
    return out;
  }

 private:
  std::FILE* file_;
  int saved_ = -1;
};

}  // namespace dvc::test
