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

// docs/lookups.md#evaluation: a provincial dossier without a national record is missing on national only when a
// look-up said so; without that answer (never looked up, or the record found could not be read) national's side
// is unknown and the key waits.
bool awaits_lookup(const std::unordered_map<std::string, bool>& answers, std::string_view key) {
  const auto it = answers.find(std::string(key));
  return it == answers.end() || it->second;
}

}  // namespace

boost::asio::awaitable<evaluation_totals> evaluate_keys(ledger& db, key_source keys, std::int64_t run_id,
                                                        evaluation_context ctx, std::size_t chunk,
                                                        national_reading national) {
  evaluation_totals totals;
  if (chunk == 0) chunk = evaluation_chunk;
  const auto executor = co_await boost::asio::this_coro::executor;
  std::vector<std::pair<std::string, evaluation>> evaluated;
  for (auto slice = keys(chunk); !slice.empty(); slice = keys(chunk)) {
    totals.keys += static_cast<std::int64_t>(slice.size());
    const auto provincial = db.load_facts(side::provincial, slice);
    const auto national_facts = db.load_facts(side::national, slice);
    const auto p_index = index(provincial);
    const auto n_index = index(national_facts);
    std::unordered_map<std::string, bool> answers;
    if (national == national_reading::looked_up)
      for (auto& [key, found] : db.lookup_results(slice)) answers.emplace(std::move(key), found);
    evaluated.clear();
    for (const auto& key : slice) {
      const dossier_facts* p = find(p_index, key);
      const dossier_facts* n = find(n_index, key);
      if (!p && !n) continue;  // the key's records were never stored (an aborted batch)
      ++totals.evaluated;
      if (national == national_reading::looked_up && p && !n && awaits_lookup(answers, key)) {
        ++totals.pending;
        ++totals.awaiting_lookup;
        continue;
      }
      evaluation ev = evaluate(p, n, ctx);
      // Without a national list a national dossier unknown to the provincial side cannot be told from one not
      // looked up: missing_on_provincial is not evaluated (docs/lookups.md#evaluation).
      if (national == national_reading::looked_up)
        std::erase_if(ev.findings, [](const finding& f) { return f.kind == finding_kind::missing_on_provincial; });
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
