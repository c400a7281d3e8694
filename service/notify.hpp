#pragma once
// The service's side of systemd's notify protocol (Type=notify, WatchdogSec=): readiness, watchdog pings,
// shutdown and a status line for `systemctl status`. Outside systemd (NOTIFY_SOCKET unset) every call is a
// successful no-op, so the daemon calls these unconditionally.
#include <chrono>
#include <optional>
#include <string_view>
#include <system_error>

namespace dvc {

class notifier {
 public:
  // Whether a supervisor listens is read from the environment here, once.
  notifier();

  bool enabled() const { return enabled_; }

  std::error_code ready();
  std::error_code watchdog();
  std::error_code stopping();
  // Free text shown by `systemctl status`; newlines become spaces, since one would end the assignment.
  std::error_code status(std::string_view text);

  // WatchdogSec= of the unit when the watchdog is on for this process; ping at half of it.
  std::optional<std::chrono::microseconds> watchdog_interval() const;

 private:
  std::error_code send(std::string_view assignments);
  bool enabled_ = false;
};

}  // namespace dvc
