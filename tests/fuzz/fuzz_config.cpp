// The service configuration (docs/configuration.md) from arbitrary text. Properties: parse_config returns a value
// exactly when it reports no problem, every problem is one non-empty sentence, and nothing is thrown. Secret files it
// may name are resolved against an empty scratch directory, so only their absence is ever reported.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace {

const std::filesystem::path& base_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("dvc_fuzz_config_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto loaded = dvc::parse_config(std::string_view(reinterpret_cast<const char*>(data), size), base_dir());
  if (loaded.value.has_value() == !loaded.problems.empty()) std::abort();
  for (const auto& problem : loaded.problems) {
    if (problem.message.empty() || dvc::describe(problem).find('\n') != std::string::npos) std::abort();
  }
  return 0;
}
