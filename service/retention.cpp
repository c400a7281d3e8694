#include "service/retention.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>

#include "service/log.hpp"

namespace dvc {

namespace {
constexpr std::size_t keys_per_batch = 5000;
constexpr std::int64_t retention_every_s = 86400;
}  // namespace

bool retention_due(const config& cfg, const maybe_instant& last, instant now) {
  return cfg.body_retention_days && (!last || now - *last >= retention_every_s || now < *last);
}

boost::asio::awaitable<retention_totals> apply_retention(ledger& db, const config& cfg, std::int64_t evaluated_through,
                                                         instant now) {
  const auto started = std::chrono::steady_clock::now();
  const retention_rule rule{now - cfg.body_retention_days.value() * 86400, evaluated_through, now};
  retention_totals totals;
  std::string after;
  for (;;) {
    const auto batch = db.remove_closed_bodies(after, keys_per_batch, rule);
    totals.keys_examined += batch.keys_examined;
    totals.bodies_removed += batch.bodies_removed;
    if (batch.done) break;
    after = batch.last_key;
    // Lets the watchdog ping and a stop signal through between transactions.
    co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  log::info("retention_done", {{"closed_before", format_vietnam_iso(rule.closed_before)},
                               {"keys", std::to_string(totals.keys_examined)},
                               {"bodies_removed", std::to_string(totals.bodies_removed)},
                               {"seconds", seconds}});
  co_return totals;
}

}  // namespace dvc
