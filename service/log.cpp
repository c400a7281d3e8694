#include "service/log.hpp"

#include <atomic>
#include <cstdio>

#include "reconcile/printable.hpp"

namespace dvc::log {
namespace {
std::atomic<int> threshold{static_cast<int>(log_level::info)};

// A value is written bare when that is unambiguous, else quoted with `"` and `\` escaped and every control
// character shown as an escape (dvc::printable), so a portal value holding a line end or an escape sequence
// stays inside its own line and field.
void append_value(std::string& line, std::string_view v) {
  const bool quote = v.empty() || v.find_first_of(" \"=\\") != std::string_view::npos || !is_printable(v);
  if (!quote) {
    line += v;
    return;
  }
  std::string escaped;
  escaped.reserve(v.size());
  for (const char c : v) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  line += '"';
  line += printable(escaped);
  line += '"';
}
}  // namespace

void set_level(log_level level) { threshold = static_cast<int>(level); }
bool enabled(log_level level) { return static_cast<int>(level) <= threshold; }

std::string format_line(log_level level, std::string_view event,
                        std::initializer_list<std::pair<std::string_view, std::string>> fields) {
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
  return line;
}

void write(log_level level, std::string_view event,
           std::initializer_list<std::pair<std::string_view, std::string>> fields) {
  if (!enabled(level)) return;
  const std::string line = format_line(level, event, fields);
  // One fwrite per event so lines from concurrent writers do not interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace dvc::log
