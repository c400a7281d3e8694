#pragma once
// Service log: one event per line on stderr, `LEVEL event key=value …`, so journald keeps it as is and grep finds
// it. Values are quoted when they hold spaces, quotes, `=` or backslashes, and every control character in a
// value is escaped, so one call is always one line. Never pass a secret: nothing here can tell one from other text.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "config/config.hpp"

namespace dvc::log {

void set_level(log_level level);
bool enabled(log_level level);
void write(log_level level, std::string_view event,
           std::initializer_list<std::pair<std::string_view, std::string>> fields = {});
// The line write() prints, ending in a newline.
std::string format_line(log_level level, std::string_view event,
                        std::initializer_list<std::pair<std::string_view, std::string>> fields);

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
