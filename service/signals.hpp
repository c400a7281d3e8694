#pragma once
// Waiting for SIGINT or SIGTERM inside the service's coroutine group: when it returns, the group cancels the
// cycle loop (the open ledger batch rolls back) and the API.
#include <boost/asio/awaitable.hpp>

#include "service/notify.hpp"

namespace dvc {

// Returns the signal number once SIGINT or SIGTERM arrives, after telling systemd STOPPING=1.
boost::asio::awaitable<int> wait_for_stop_signal(notifier& notify);

}  // namespace dvc
