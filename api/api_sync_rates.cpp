#include "api/api_sync_rates.hpp"

#include "reports/sync_rates.hpp"
#include "schema/ledger.hpp"
#include "service/log.hpp"

namespace dvc {

sync_rate_cache::~sync_rate_cache() {
  for (auto& f : refreshes_)
    if (f.valid()) f.wait();
}

std::vector<sync_rate_row> sync_rate_cache::compute(const std::optional<period>& only, instant now) const {
  // A connection of its own: a ledger is not shared between threads.
  const ledger db = ledger::open(cfg_.ledger.string());
  return compute_sync_rates(db, cfg_, only, period::granularity::quarter, now);
}

std::vector<sync_rate_row> sync_rate_cache::get(const std::optional<period>& only, instant now) {
  const std::string name = only ? only->to_string() : "";
  std::unique_lock lock(mutex_);
  std::erase_if(refreshes_, [](const std::future<void>& f) {
    return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  });
  slot& s = slots_[name];
  if (s.computed_at == 0) {
    lock.unlock();
    auto rows = compute(only, now);
    lock.lock();
    slot& fresh = slots_[name];
    fresh.rows = std::move(rows);
    fresh.computed_at = now;
    return fresh.rows;
  }
  if ((now - s.computed_at >= max_age_s || now < s.computed_at) && !s.refreshing) {
    s.refreshing = true;
    refreshes_.push_back(std::async(std::launch::async, [this, only, name, now] {
      std::optional<std::vector<sync_rate_row>> rows;
      try {
        rows = compute(only, now);
      } catch (const std::exception& e) {
        log::warning("sync_rate_refresh_failed", {{"period", name.empty() ? "all" : name}, {"error", e.what()}});
      }
      const std::lock_guard guard(mutex_);
      slot& done = slots_[name];
      done.refreshing = false;
      if (rows) {
        done.rows = std::move(*rows);
        done.computed_at = now;
      }
    }));
  }
  return s.rows;
}

}  // namespace dvc
