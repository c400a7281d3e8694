#pragma once
// SIGINT and SIGTERM for the service. They are caught from before the ledger opens until the service returns (a
// signal that arrives while it starts stops it as soon as it can), and waited for inside the service's coroutine
// group: when that wait returns, the group cancels the cycle loop (the open ledger batch rolls back) and the API.
#include <signal.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "service/notify.hpp"

namespace dvc {

// Catches SIGINT and SIGTERM on `io` and lets the calling thread receive them for as long as it lives. A caller
// that keeps them blocked (the demo, so that a signal during its set-up is held rather than fatal) gets the ones
// that arrived meanwhile delivered here; its mask is back, before the signals stop being caught, when this ends.
class stop_signals {
 public:
  explicit stop_signals(boost::asio::io_context& io);
  ~stop_signals();
  stop_signals(const stop_signals&) = delete;
  stop_signals& operator=(const stop_signals&) = delete;

  // Returns the signal number once SIGINT or SIGTERM arrives, after telling systemd STOPPING=1.
  boost::asio::awaitable<int> wait(notifier& notify);

 private:
  boost::asio::signal_set set_;
  sigset_t previous_mask_;
};

}  // namespace dvc
