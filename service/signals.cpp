#include "service/signals.hpp"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <string>

#include "service/log.hpp"

namespace dvc {

boost::asio::awaitable<int> wait_for_stop_signal(notifier& notify) {
  boost::asio::signal_set signals(co_await boost::asio::this_coro::executor, SIGINT, SIGTERM);
  const int number = co_await signals.async_wait(boost::asio::use_awaitable);
  notify.stopping();
  log::info("stopping", {{"signal", number == SIGTERM  ? "SIGTERM"
                                    : number == SIGINT ? "SIGINT"
                                                       : std::to_string(number)}});
  co_return number;
}

}  // namespace dvc
