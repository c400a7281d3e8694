#include "service/log.hpp"

#include <atomic>
#include <cstdio>

namespace dvc::log {
namespace {
std::atomic<int> threshold{static_cast<int>(log_level::info)};

void append_value(std::string& line, std::string_view v) {
  const bool quote = v.empty() || v.find_first_of(" \t\"=") != std::string_view::npos;
  if (!quote) {
    line += v;
    return;
  }
  line += '"';
  for (const char c : v) {
    if (c == '"' || c == '\\') line += '\\';
    if (c == '\n') {
      line += "\\n";
      continue;
    }
    line += c;
  }
  line += '"';
}
}  // namespace

void set_level(log_level level) { threshold = static_cast<int>(level); }
bool enabled(log_level level) { return static_cast<int>(level) <= threshold; }

void write(log_level level, std::string_view event,
           std::initializer_list<std::pair<std::string_view, std::string>> fields) {
  if (!enabled(level)) return;
  std::string line(log_level_name(level));
  line += ' ';
  line += event;
  for (const auto& [k, v] : fields) {
    line += ' ';
    line += k;
    line += '=';
    append_value(line, v);
  }
  line += '\n';
  // One fwrite per event so lines from concurrent writers do not interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace dvc::log
