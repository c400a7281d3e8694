#include "service/log.hpp"

#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "reconcile/printable.hpp"

namespace dvc::log {
namespace {
std::atomic<int> threshold{static_cast<int>(log_level::info)};
std::atomic<sink> current_sink{sink::plain};

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

std::string_view priority(log_level level) {
  switch (level) {
    case log_level::error:
      return SD_ERR;
    case log_level::warning:
      return SD_WARNING;
    case log_level::info:
      return SD_INFO;
    case log_level::debug:
      return SD_DEBUG;
  }
  return SD_INFO;
}

// `2024-07-25 10:00:00.123 `, local time: what someone watching a terminal reads.
std::string local_time() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  ::localtime_r(&seconds, &tm);
  char buf[48];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03d ", static_cast<int>(millis));
  return buf;
}

}  // namespace

sink detect_sink() {
  struct stat st {};
  if (::fstat(STDERR_FILENO, &st) != 0) return sink::plain;
  if (const char* stream = std::getenv("JOURNAL_STREAM")) {
    unsigned long long dev = 0, ino = 0;
    char tail = 0;
    if (std::sscanf(stream, "%llu:%llu%c", &dev, &ino, &tail) == 2 &&
        dev == static_cast<unsigned long long>(st.st_dev) && ino == static_cast<unsigned long long>(st.st_ino))
      return sink::journal;
  }
  return ::isatty(STDERR_FILENO) ? sink::terminal : sink::plain;
}

void set_sink(sink s) { current_sink = s; }

void set_level(log_level level) { threshold = static_cast<int>(level); }
bool enabled(log_level level) { return static_cast<int>(level) <= threshold; }

std::string line_start(log_level level) {
  switch (current_sink.load()) {
    case sink::journal:
      return std::string(priority(level));
    case sink::terminal:
      return local_time();
    case sink::plain:
      break;
  }
  return {};
}

std::string format_line(log_level level, std::string_view event, std::span<const field> fields) {
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

void write(log_level level, std::string_view event, std::span<const field> fields) {
  if (!enabled(level)) return;
  const std::string line = line_start(level) + format_line(level, event, fields);
  // One fwrite per event so lines from concurrent writers do not interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace dvc::log
