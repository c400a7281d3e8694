#include "service/evaluation_pass.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dvc {
namespace {

using facts_by_key = std::unordered_map<std::string_view, const dossier_facts*>;

facts_by_key index(const std::vector<dossier_facts>& facts) {
  facts_by_key out;
  out.reserve(facts.size());
  for (const auto& f : facts) out.emplace(f.key, &f);
  return out;
}

const dossier_facts* find(const facts_by_key& m, std::string_view key) {
  const auto it = m.find(key);
  return it == m.end() ? nullptr : it->second;
}

}  // namespace

boost::asio::awaitable<evaluation_totals> evaluate_keys(ledger& db, key_source keys, std::int64_t run_id,
                                                        evaluation_context ctx, std::size_t chunk) {
  evaluation_totals totals;
  if (chunk == 0) chunk = evaluation_chunk;
  const auto executor = co_await boost::asio::this_coro::executor;
  std::vector<std::pair<std::string, evaluation>> evaluated;
  for (auto slice = keys(chunk); !slice.empty(); slice = keys(chunk)) {
    totals.keys += static_cast<std::int64_t>(slice.size());
    const auto provincial = db.load_facts(side::provincial, slice);
    const auto national = db.load_facts(side::national, slice);
    const auto p_index = index(provincial);
    const auto n_index = index(national);
    evaluated.clear();
    for (const auto& key : slice) {
      const dossier_facts* p = find(p_index, key);
      const dossier_facts* n = find(n_index, key);
      if (!p && !n) continue;  // the key's records were never stored (an aborted batch)
      evaluation ev = evaluate(p, n, ctx);
      ++totals.evaluated;
      if (ev.pending) {
        ++totals.pending;
        continue;  // apply_evaluations would skip it anyway
      }
      totals.findings += static_cast<std::int64_t>(ev.findings.size());
      evaluated.emplace_back(key, std::move(ev));
    }
    totals.lifecycle += db.apply_evaluations(run_id, ctx.as_of, evaluated);
    // Let the API and the signal handler run between chunks; a cancellation is delivered here.
    co_await boost::asio::post(executor, boost::asio::use_awaitable);
  }
  co_return totals;
}

}  // namespace dvc
