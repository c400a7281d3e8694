#include "service/poll_side.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <set>

#include "reconcile/record_profile.hpp"
#include "service/log.hpp"
#include "service/national_lookups.hpp"

namespace dvc {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Maps and stores each record a portal client hands out; the one place both sides' records pass through.
class record_taker {
 public:
  record_taker(side s, const config& cfg, const provincial_settings* source, poll_writer& writer, poll_outcome& out)
      : side_(s), cfg_(cfg), source_(source ? *source : cfg.provincial.front()), writer_(writer), out_(out) {
    for (auto& code : cfg.unit_codes_read()) units_.insert(std::move(code));
  }

  void operator()(const page_record& record, const std::string& source) {
    ++out_.records;
    if (!record.value) {
      // Outside the record bounds or not JSON (docs/wire-formats.md#bounds): this record is skipped, the page is not.
      report({side_, source, std::nullopt,
              (record.id.empty() ? std::string("the record") : "record id " + record.id) +
                  " is not read: " + record.error});
      return;
    }
    parsed_dossier parsed;
    try {
      parsed = side_ == side::provincial ? source_.profile.portal->record.read(*record.value, cfg_.statuses.overrides())
                                         : cfg_.national.profile.portal->record.read(*record.value);
    } catch (const std::exception& e) {
      // record_error names the field; anything else thrown by the mapping is still this record's fault.
      report({side_, source, std::nullopt, e.what()});
      return;
    }
    const dossier& d = parsed.value;
    if (d.updated && (!out_.latest || *d.updated > *out_.latest)) out_.latest = d.updated;
    if (!units_.empty() && !units_.count(d.unit_code)) {
      ++out_.other_units;
      return;
    }
    for (const auto& w : parsed.warnings) report({side_, source, d.key, w});
    std::string other;
    record_source from;
    from.name = source_.name;
    from.sources = &cfg_.sources;
    const bool named = side_ == side::provincial && !source_.name.empty();
    writer_.upsert(d, &other, named ? &from : nullptr);
    if (!other.empty())
      report({side_, source, d.key,
              "duplicate key " + d.key + " on the " + std::string(side_name(side_)) + " side: record id " + d.id +
                  " and the stored record id " + other + " both map to it; the one updated last is kept"});
    took_from_source(from, d, source);
  }

 private:
  // docs/sources.md#moves-and-duplicates
  void took_from_source(const record_source& from, const dossier& d, const std::string& source) {
    switch (from.claim) {
      case source_claim::same:
        ++out_.stored;
        return;
      case source_claim::moved_in:
        ++out_.moved;
        ++out_.stored;
        return;
      case source_claim::moved_copy:
        ++out_.legacy_copies;
        return;
      case source_claim::duplicate_wins:
      case source_claim::duplicate_loses:
        break;
    }
    const bool wins = from.claim == source_claim::duplicate_wins;
    if (wins) ++out_.stored;
    const std::string& keeper = wins ? source_.name : from.other;
    report({side_, source, d.key,
            "duplicate key " + d.key + " in provincial sources " + source_.name + " and " + from.other +
                ", which no move relates: source " + keeper + " is listed first and keeps it; the record of " +
                (wins ? from.other : source_.name) + " is not used"});
  }

  void report(const data_error& e) {
    ++out_.data_errors;
    log::field_list f{{"side", std::string(side_name(side_))}, {"source", e.source}};
    if (side_ == side::provincial && !source_.name.empty()) f.emplace_back("provincial_source", source_.name);
    f.insert(f.end(), {{"key", e.key.value_or("")}, {"message", e.message}});
    log::write(log_level::warning, "data_error", f);
    writer_.add_data_error(e);
  }

  side side_;
  const config& cfg_;
  const provincial_settings& source_;
  poll_writer& writer_;
  poll_outcome& out_;
  std::set<std::string, std::less<>> units_;
};

// A listing's progress, noted with the records it covers; never behind the stored cursor.
void keep_progress(side s, maybe_instant read_before, const poll_window& window, poll_writer& writer,
                   poll_outcome& out) {
  if (!read_before || *read_before <= window.cursor || (out.kept && *read_before <= *out.kept)) return;
  out.kept = read_before;
  writer.note_cursor(s, out.source, cursor_text(*read_before));
}

std::optional<std::int64_t> remaining_of(const listing_progress& p) {
  if (!p.remaining) return std::nullopt;
  return static_cast<std::int64_t>(*p.remaining);
}

}  // namespace

record_sink record_taker_for(side s, const config& cfg, poll_writer& writer, poll_outcome& out,
                             const provincial_settings* source) {
  auto take = std::make_shared<record_taker>(s, cfg, source, writer, out);
  return [take](const page_record& record, const std::string& where) { (*take)(record, where); };
}

std::string cursor_text(instant t) { return format_utc_iso(t); }

poll_window poll_start(const ledger& db, side s, const config& cfg, instant now, std::string_view source) {
  const auto stored = db.get_cursor(s, source);
  const instant first = cfg.since_or_default(now);
  if (!stored) return {first, first};
  try {
    if (const auto t = parse_iso_time(*stored)) return {*t - cfg.lookback_s, *t};
  } catch (const std::invalid_argument&) {
  }
  log::warning("cursor_unreadable", {{"side", std::string(side_name(s))},
                                     {"provincial_source", std::string(source)},
                                     {"value", *stored},
                                     {"message", "re-reading from the configured start instead"}});
  return {first, first};
}

poll_outcome combined(const std::vector<poll_outcome>& sources) {
  if (sources.size() == 1) return sources.front();
  poll_outcome out;
  out.origin = side::provincial;
  if (!sources.empty()) out.from = sources.front().from;
  for (const auto& o : sources) {
    out.from = std::min(out.from, o.from);
    out.records += o.records;
    out.stored += o.stored;
    out.other_units += o.other_units;
    out.data_errors += o.data_errors;
    out.moved += o.moved;
    out.legacy_copies += o.legacy_copies;
    out.pages += o.pages;
    if (o.latest && (!out.latest || *o.latest > *out.latest)) out.latest = o.latest;
    out.duration_s = std::max(out.duration_s, o.duration_s);
    if (o.error && !out.error) {
      out.error = o.error;
      out.error->message = "source " + o.source + ": " + o.error->message;
    }
  }
  return out;
}

boost::asio::awaitable<poll_outcome> poll_provincial(portal_client& client, const config& cfg,
                                                     const provincial_settings& source, ledger& db, poll_writer& writer,
                                                     instant now, const poll_observer& observe) {
  const auto started = std::chrono::steady_clock::now();
  poll_outcome out;
  out.origin = side::provincial;
  out.source = source.name;
  const poll_window window = poll_start(db, side::provincial, cfg, now, source.name);
  out.from = window.from;
  record_taker take(side::provincial, cfg, &source, writer, out);
  std::vector<std::string> agencies = cfg.unit_codes_read();
  if (agencies.empty()) agencies.emplace_back();  // one listing of every unit
  // Each unit's listing reports the latest update it saw; the next poll must start before the earliest of them,
  // or a quiet unit's late writes would fall behind the cursor.
  std::optional<instant> cursor;
  std::int64_t pages_before = 0;  // of the units' listings already done
  for (std::size_t i = 0; i < agencies.size(); ++i) {
    const bool last = i + 1 == agencies.size();
    const auto progress = [&, last](const listing_progress& p) {
      out.pages = pages_before + static_cast<std::int64_t>(p.pages);
      // Only the last unit's listing can move the cursor part way: the units after any other have read nothing
      // yet, and what they hold is not in any total seen so far.
      if (last && p.read_before)
        keep_progress(side::provincial, std::min(*p.read_before, cursor.value_or(*p.read_before)), window, writer, out);
      if (observe) observe(out, last ? remaining_of(p) : std::nullopt);
    };
    auto listed = co_await client.list_changed(out.from, now, std::ref(take), agencies[i], progress);
    if (!listed) {
      out.error = listed.error();
      break;
    }
    pages_before += static_cast<std::int64_t>(listed.value().pages);
    out.pages = pages_before;
    const instant c = std::max(listed.value().cursor, window.cursor);
    cursor = cursor ? std::min(*cursor, c) : c;
  }
  if (out.ok()) {
    writer.commit_cursor(side::provincial, source.name, cursor_text(cursor.value_or(window.cursor)));
  } else {
    writer.flush();
  }
  out.duration_s = seconds_since(started);
  co_return out;
}

boost::asio::awaitable<poll_outcome> poll_national(portal_client& client, const config& cfg, ledger& db,
                                                   poll_writer& writer, instant now, const poll_observer& observe) {
  const auto started = std::chrono::steady_clock::now();
  poll_outcome out;
  out.origin = side::national;
  const poll_window window = poll_start(db, side::national, cfg, now);
  out.from = window.from;
  record_taker take(side::national, cfg, nullptr, writer, out);
  auto listed = co_await client.list_changed(out.from, now, std::ref(take), {}, [&](const listing_progress& p) {
    out.pages = static_cast<std::int64_t>(p.pages);
    keep_progress(side::national, p.read_before, window, writer, out);
    if (observe) observe(out, remaining_of(p));
  });
  if (listed) {
    out.pages = static_cast<std::int64_t>(listed.value().pages);
    writer.commit_cursor(side::national, {}, cursor_text(std::max(out.latest.value_or(window.cursor), window.cursor)));
  } else {
    out.error = listed.error();
    writer.flush();
  }
  out.duration_s = seconds_since(started);
  co_return out;
}

boost::asio::awaitable<poll_outcome> poll_national_lookups(const std::vector<portal_client*>& lookups,
                                                           const config& cfg, ledger& db, poll_writer& writer,
                                                           instant now, const connector_env& env, lookup_counts& counts,
                                                           const poll_observer& observe) {
  poll_outcome out;
  out.origin = side::national;
  out.from = now;
  record_taker take(side::national, cfg, nullptr, writer, out);
  std::vector<lookup_call> calls;
  for (portal_client* client : lookups)
    calls.emplace_back([client](std::string code) { return client->lookup(std::move(code)); });
  const lookup_pass_settings settings{cfg.national.lookup, cfg.sync_grace_s, cfg.poll_interval_s};
  const auto taken = [&](const page_record& record, const std::string& source) {
    take(record, source);
    if (observe) observe(out, counts.due.total() - (counts.found + counts.not_found + counts.rejected + counts.failed));
  };
  co_await lookup_national(calls, settings, db, writer, taken, now, env, out, counts);
  log::info("lookups_done", {{"due", std::to_string(counts.due.total())},
                             {"changed", std::to_string(counts.due.changed)},
                             {"open_finding", std::to_string(counts.due.open_finding)},
                             {"rolling", std::to_string(counts.due.rolling)},
                             {"found", std::to_string(counts.found)},
                             {"not_found", std::to_string(counts.not_found)},
                             {"rejected", std::to_string(counts.rejected)},
                             {"failed", std::to_string(counts.failed)},
                             {"provincial_dossiers", std::to_string(counts.coverage.provincial_keys)},
                             {"looked_up", std::to_string(counts.coverage.looked_up)},
                             {"rolling_due", std::to_string(counts.coverage.rolling_due)}});
  co_return out;
}

}  // namespace dvc
