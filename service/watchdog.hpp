#pragma once
// systemd watchdog pings (WatchdogSec=) from a timer on the service's io_context: the pings stop when the thread
// that runs the cycles stops turning, which is what the watchdog is there to notice.
#include <boost/asio/awaitable.hpp>

#include "service/notify.hpp"

namespace dvc {

// Pings WATCHDOG=1 at half the unit's interval until cancelled; without a watchdog it just waits to be cancelled,
// so it can stay in the service's coroutine group either way.
boost::asio::awaitable<void> watchdog_loop(notifier& notify);

}  // namespace dvc
