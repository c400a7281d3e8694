#include "service/notify.hpp"

#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <string>

namespace dvc {

notifier::notifier() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  enabled_ = socket != nullptr && *socket != '\0';
}

std::error_code notifier::send(std::string_view assignments) {
  if (!enabled_) return {};
  const std::string message(assignments);
  const int r = sd_notify(0, message.c_str());
  if (r < 0) return {-r, std::system_category()};
  return {};
}

std::error_code notifier::ready() { return send("READY=1"); }
std::error_code notifier::watchdog() { return send("WATCHDOG=1"); }
std::error_code notifier::stopping() { return send("STOPPING=1"); }

std::error_code notifier::status(std::string_view text) {
  std::string line = "STATUS=";
  for (const char c : text) line += (c == '\n' || c == '\r') ? ' ' : c;
  return send(line);
}

std::optional<std::chrono::microseconds> notifier::watchdog_interval() const {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec);
}

}  // namespace dvc
