#pragma once
// systemd watchdog pings (WatchdogSec=) from a timer on the service's io_context: the pings stop when the thread
// that runs the cycles stops turning, which is what the watchdog is there to notice.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>

#include "service/notify.hpp"

namespace dvc {

// How the loop waits between two pings. The service waits on a steady_timer of the coroutine's executor; tests
// pass one that records the period and never reads the clock.
using watchdog_wait = std::function<boost::asio::awaitable<void>(std::chrono::microseconds)>;
boost::asio::awaitable<void> steady_wait(std::chrono::microseconds period);

// Pings WATCHDOG=1, then waits half the unit's interval, until cancelled; without a watchdog it just waits to be
// cancelled, so it can stay in the service's coroutine group either way.
boost::asio::awaitable<void> watchdog_loop(notifier& notify, watchdog_wait wait = steady_wait);

}  // namespace dvc
