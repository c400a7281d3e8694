#include "service/signals.hpp"

#include <pthread.h>

#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <string>

#include "service/log.hpp"

namespace dvc {

stop_signals::stop_signals(boost::asio::io_context& io) : set_(io, SIGINT, SIGTERM) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_UNBLOCK, &stop, &previous_mask_);
}

stop_signals::~stop_signals() {
  // Blocked again (if they were) while the set still catches them, so no moment is left in which one is fatal.
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

boost::asio::awaitable<int> stop_signals::wait(notifier& notify) {
  const int number = co_await set_.async_wait(boost::asio::use_awaitable);
  notify.stopping();
  log::info("stopping", {{"signal", number == SIGTERM  ? "SIGTERM"
                                    : number == SIGINT ? "SIGINT"
                                                       : std::to_string(number)}});
  co_return number;
}

}  // namespace dvc
