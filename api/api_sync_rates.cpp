#include "api/api_sync_rates.hpp"

#include <filesystem>

#include "reports/indicators.hpp"
#include "reports/sync_rates.hpp"
#include "schema/ledger.hpp"
#include "service/log.hpp"

namespace dvc {

namespace {

// The rows of the month or quarter `only`, from the table of its granularity.
template <typename Row>
std::vector<Row> rows_of(const period& only, const std::vector<Row>& months, const std::vector<Row>& quarters) {
  const auto& all = only.unit == period::granularity::month ? months : quarters;
  const std::string name = only.to_string();
  std::vector<Row> out;
  for (const auto& r : all)
    if (r.period == name) out.push_back(r);
  return out;
}

}  // namespace

std::vector<sync_rate_row> sync_rate_table::rows(const std::optional<period>& only, const config& cfg) const {
  if (!only) return quarters;
  auto out = rows_of(*only, months, quarters);
  if (out.empty() && !evaluated) return unevaluated_rows(cfg, *only);
  return out;
}

std::vector<indicator_row> sync_rate_table::indicators(const std::optional<period>& only) const {
  if (!only) return indicator_quarters;
  return rows_of(*only, indicator_months, indicator_quarters);
}

sync_rate_snapshots::sync_rate_snapshots(const config& cfg, std::function<instant()> clock,
                                         std::chrono::milliseconds check_every)
    : cfg_(cfg), clock_(std::move(clock)) {
  if (check_every.count() > 0) worker_ = std::thread([this, check_every] { work(check_every); });
}

sync_rate_snapshots::~sync_rate_snapshots() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

std::shared_ptr<const sync_rate_table> sync_rate_snapshots::latest() const {
  const std::lock_guard lock(mutex_);
  return table_;
}

std::int64_t sync_rate_snapshots::computations() const {
  const std::lock_guard lock(mutex_);
  return computations_;
}

bool sync_rate_snapshots::refresh() {
  std::error_code ec;
  // Looking must not create the ledger where the service's will be.
  if (!std::filesystem::is_regular_file(cfg_.ledger, ec)) return false;
  // A connection per refresh: a ledger is not shared between threads, and holding none between refreshes keeps
  // this thread from pinning an old WAL snapshot.
  const ledger db = ledger::open(cfg_.ledger.string());
  const auto finished = db.last_finished_run();
  const std::int64_t run_id = finished ? finished->id : 0;
  if (const auto current = latest(); current && current->run_id == run_id) return false;

  const instant now = clock_();
  auto table = std::make_shared<sync_rate_table>();
  table->run_id = run_id;
  table->computed_at = now;
  auto both = compute_sync_rates_by_month_and_quarter(db, cfg_, now);
  table->months = std::move(both.months);
  table->quarters = std::move(both.quarters);
  table->evaluated = both.evaluated;
  auto indicators = compute_indicators_by_month_and_quarter(db, cfg_, table->months, table->quarters,
                                                            evaluation_basis_of(db, cfg_, now).as_of);
  table->indicator_months = std::move(indicators.months);
  table->indicator_quarters = std::move(indicators.quarters);
  const std::lock_guard lock(mutex_);
  table_ = std::move(table);
  ++computations_;
  return true;
}

void sync_rate_snapshots::work(std::chrono::milliseconds check_every) {
  std::string last_problem;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      if (refresh()) {
        // Said each time, so whoever waits for the figures (a script, a person reading the journal) sees them come.
        const auto table = latest();
        log::info("sync_rates_computed", {{"run", std::to_string(table->run_id)},
                                          {"rows", std::to_string(table->months.size() + table->quarters.size())}});
      }
      last_problem.clear();
    } catch (const std::exception& e) {
      // Said once per distinct problem, not every few seconds while it lasts.
      if (e.what() != last_problem) log::warning("sync_rate_refresh_failed", {{"error", e.what()}});
      last_problem = e.what();
    }
    lock.lock();
    wake_.wait_for(lock, check_every, [this] { return stopping_; });
  }
}

}  // namespace dvc
