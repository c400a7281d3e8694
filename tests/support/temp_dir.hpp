#pragma once
// A fresh directory under the system temp directory for one test, removed with everything in it at the end of
// the scope. mkdtemp names it, so suites running at once under ctest -j never share one.
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace dvc::test {

class temp_dir {
 public:
  explicit temp_dir(std::string_view prefix = "dvc-test") {
    std::string pattern = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data())) throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // A path inside, as the text that ledger::open, sqlite and the commands take.
  std::string file(std::string_view name) const { return (path_ / name).string(); }
  // Writes `content` byte for byte to a file inside, readable and writable by its owner only (as secret files
  // must be, whatever the umask); returns its path.
  std::filesystem::path write(std::string_view name, std::string_view content) const {
    const auto file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out << content;
    if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
    ::chmod(file.c_str(), 0600);
    return file;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace dvc::test
