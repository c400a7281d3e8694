#include "service/watchdog.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace dvc {

boost::asio::awaitable<void> watchdog_loop(notifier& notify) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  const auto interval = notify.watchdog_interval();
  if (!interval) {
    timer.expires_at(boost::asio::steady_timer::time_point::max());
    co_await timer.async_wait(boost::asio::use_awaitable);
    co_return;
  }
  const auto period = *interval / 2;
  for (;;) {
    notify.watchdog();
    timer.expires_after(period);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

}  // namespace dvc
