#include "service/watchdog.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace dvc {

boost::asio::awaitable<void> steady_wait(std::chrono::microseconds period) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, period);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

boost::asio::awaitable<void> watchdog_loop(notifier& notify, watchdog_wait wait) {
  const auto interval = notify.watchdog_interval();
  if (!interval) {
    boost::asio::steady_timer forever(co_await boost::asio::this_coro::executor,
                                      boost::asio::steady_timer::time_point::max());
    co_await forever.async_wait(boost::asio::use_awaitable);
    co_return;
  }
  const auto period = *interval / 2;
  for (;;) {
    notify.watchdog();
    co_await wait(period);
  }
}

}  // namespace dvc
