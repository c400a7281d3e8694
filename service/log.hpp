#pragma once
// Service log: one event per line on stderr, `LEVEL event key=value …`, so journald keeps it as is and grep finds
// it. Values are quoted when they hold spaces, quotes, `=` or backslashes, and every control character in a
// value is escaped, so one call is always one line. Never pass a secret: nothing here can tell one from other text.
//
// How a line is framed depends on where stderr goes (log::detect_sink): to the journal, each line starts with its
// syslog priority `<3>` … `<7>` (sd-daemon.h), so `journalctl -p err` finds errors; to a terminal, with the local
// time; anywhere else (a file, a pipe), as is.
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace dvc::log {

enum class sink : std::uint8_t { plain, journal, terminal };
// The journal when JOURNAL_STREAM (set by systemd for a service's stdout/stderr) names the device and inode stderr
// is open on now; a terminal when stderr is one; plain otherwise.
sink detect_sink();
void set_sink(sink s);

void set_level(log_level level);
bool enabled(log_level level);
using field = std::pair<std::string_view, std::string>;
// For lines whose fields depend on what happened (a source's name, counts only when not zero).
using field_list = std::vector<field>;

void write(log_level level, std::string_view event, std::span<const field> fields);
inline void write(log_level level, std::string_view event, std::initializer_list<field> fields = {}) {
  write(level, event, std::span<const field>(fields.begin(), fields.size()));
}
// The line write() prints after line_start(level), ending in a newline.
std::string format_line(log_level level, std::string_view event, std::span<const field> fields);
inline std::string format_line(log_level level, std::string_view event, std::initializer_list<field> fields) {
  return format_line(level, event, std::span<const field>(fields.begin(), fields.size()));
}
// What starts a line of `level` written to stderr (a log line, or a command's closing error sentence): the
// priority in the journal, the time on a terminal, nothing otherwise.
std::string line_start(log_level level);

inline void error(std::string_view e, std::initializer_list<std::pair<std::string_view, std::string>> f = {}) {
  write(log_level::error, e, f);
}
inline void warning(std::string_view e, std::initializer_list<std::pair<std::string_view, std::string>> f = {}) {
  write(log_level::warning, e, f);
}
inline void info(std::string_view e, std::initializer_list<std::pair<std::string_view, std::string>> f = {}) {
  write(log_level::info, e, f);
}
inline void debug(std::string_view e, std::initializer_list<std::pair<std::string_view, std::string>> f = {}) {
  write(log_level::debug, e, f);
}

}  // namespace dvc::log
