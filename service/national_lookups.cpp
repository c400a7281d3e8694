#include "service/national_lookups.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <optional>

#include "connectors/retry_policy.hpp"
#include "service/log.hpp"

namespace dvc {
namespace {

using steady = std::chrono::steady_clock;

// docs/lookups.md#failures: this many look-ups failing one after another (each after its own retries) means the
// portal is down rather than unlucky, and the pass stops.
constexpr int failures_in_a_row_to_stop = 3;

// Keys are taken from the ledger this many at a time (docs/lookups.md#passes): a pass over every dossier holds one
// chunk in memory, not the whole province.
constexpr std::size_t keys_per_chunk = 512;

// Shared by the workers of one pass, all on one thread: the keys due, a chunk at a time, and the next request slot.
struct pass_state {
  pass_state(const ledger& l, const lookup_due_query& q) : db(l), query(q), left(q.limit) {}

  const ledger& db;
  lookup_due_query query;
  lookup_walk walk;
  std::size_t left;  // of the cycle's budget
  std::vector<lookup_candidate> chunk;
  std::size_t next = 0;
  steady::time_point next_slot{};
  steady::duration interval{};
  bool stopped = false;
  int failures_in_a_row = 0;

  std::optional<lookup_candidate> take() {
    if (next == chunk.size()) {
      chunk = db.next_lookups_due(query, walk, std::min(left, keys_per_chunk));
      next = 0;
      left -= chunk.size();
      if (chunk.empty()) return std::nullopt;
    }
    return std::move(chunk[next++]);
  }
};

void note_rejected(const lookup_candidate& c, const connector_error& e, poll_writer& writer, poll_outcome& out) {
  ++out.data_errors;
  const std::string source = "TraCuuHoSo " + c.key;
  log::warning("data_error", {{"side", "national"}, {"source", source}, {"key", c.key}, {"message", e.message}});
  writer.add_data_error({side::national, source, c.key, "the look-up was refused: " + e.message});
}

boost::asio::awaitable<void> worker(const lookup_call& lookup, pass_state& pass, poll_writer& writer,
                                    const record_sink& take, const connector_env& env, poll_outcome& out,
                                    lookup_counts& counts) {
  while (!pass.stopped) {
    // A copy: the chunk it came from is replaced while this worker waits for its answer.
    const std::optional<lookup_candidate> next = pass.take();
    if (!next) break;
    const lookup_candidate& c = *next;
    // Requests are spaced evenly however many workers there are: each takes the next free slot.
    const auto now = env.steady_now();
    const auto slot = std::max(pass.next_slot, now);
    pass.next_slot = slot + pass.interval;
    if (slot > now) co_await env.sleep(std::chrono::ceil<std::chrono::milliseconds>(slot - now));
    if (pass.stopped) break;
    auto answer = co_await lookup(c.key);
    ++out.pages;  // one request
    if (!answer) {
      if (answer.error().kind == error_kind::rejected) {
        ++counts.rejected;
        note_rejected(c, answer.error(), writer, out);
        continue;
      }
      // A look-up that failed after its retries leaves its key due: the next cycle asks again, and until then
      // national's side of that dossier stays unknown. Only a run of them, or a failure no retry can mend (a
      // refused login, a profile national does not follow), stops the pass.
      if (is_transient(answer.error()) && ++pass.failures_in_a_row < failures_in_a_row_to_stop) {
        ++counts.failed;
        log::warning("lookup_failed", {{"key", c.key}, {"error", answer.error().message}});
        continue;
      }
      if (!out.error) out.error = answer.error();
      pass.stopped = true;
      break;
    }
    pass.failures_in_a_row = 0;
    if (answer.value()) {
      ++counts.found;
      take(page_record{std::move(*answer.value()), {}, c.key, 0}, "TraCuuHoSo " + c.key);
    } else {
      ++counts.not_found;
    }
    writer.note_lookup(c.key, answer.value().has_value(), c.covered_run);
  }
}

}  // namespace

boost::asio::awaitable<void> lookup_national(const std::vector<lookup_call>& lookups,
                                             const lookup_pass_settings& settings, ledger& db, poll_writer& writer,
                                             const record_sink& take, instant now, const connector_env& env,
                                             poll_outcome& out, lookup_counts& counts) {
  const auto started = steady::now();
  const lookup_settings& b = settings.budget;
  lookup_due_query q;
  q.horizon = now - settings.grace_s;
  q.recheck_before = now - b.recheck_findings_s;
  q.rolling_before = now - b.rolling_days * 86400;
  q.run_id = writer.run_id();
  q.limit = b.per_cycle(settings.poll_interval_s);
  counts.due = db.count_lookups_due(q);
  pass_state pass(db, q);
  pass.interval =
      std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(1.0 / b.requests_per_second));
  pass.next_slot = env.steady_now();

  const auto executor = co_await boost::asio::this_coro::executor;
  using op = decltype(boost::asio::co_spawn(executor, boost::asio::awaitable<void>{}, boost::asio::deferred));
  std::vector<op> ops;
  for (const auto& lookup : lookups)
    ops.push_back(
        boost::asio::co_spawn(executor, worker(lookup, pass, writer, take, env, out, counts), boost::asio::deferred));
  auto [order, failures] = co_await boost::asio::experimental::make_parallel_group(std::move(ops))
                               .async_wait(boost::asio::experimental::wait_for_all(), boost::asio::use_awaitable);
  for (const auto& e : failures)
    if (e) std::rethrow_exception(e);

  writer.flush();
  counts.coverage = db.lookup_coverage_at(q.rolling_before);
  out.duration_s = std::chrono::duration<double>(steady::now() - started).count();
}

}  // namespace dvc
