// docs/lookups.md: a cycle's look-ups — which keys, paced to the request budget on every worker together, answers
// stored with the look-up state, a refused look-up a data error of its key, any other failure the end of the pass.
#include "service/national_lookups.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <map>
#include <string>
#include <vector>

#include "tests/support/ledger_fixtures.hpp"

using namespace dvc;
using namespace std::chrono_literals;

namespace {

using steady = std::chrono::steady_clock;

// Time that moves only when a worker sleeps: the pacing is read off the request times, and no test waits.
struct fake_time {
  steady::time_point now{};
  connector_env env() {
    connector_env e = default_connector_env();
    e.steady_now = [this] { return now; };
    // A sleeper wakes at the time it asked for, in the order the sleeps began; the clock never goes back.
    e.sleep = [this](std::chrono::milliseconds d) -> boost::asio::awaitable<void> {
      const auto wake = now + d;
      co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
      now = std::max(now, wake);
    };
    return e;
  }
};

struct fake_national {
  std::map<std::string, nlohmann::json> records;
  std::map<std::string, connector_error> failures;
  std::vector<std::pair<std::string, steady::duration>> calls;  // code and when, from the start
  fake_time* time = nullptr;

  lookup_call call() {
    return [this](std::string code) -> boost::asio::awaitable<result<std::optional<nlohmann::json>>> {
      calls.emplace_back(code, time->now - steady::time_point{});
      if (const auto f = failures.find(code); f != failures.end()) co_return f->second;
      if (const auto r = records.find(code); r != records.end()) co_return std::optional<nlohmann::json>(r->second);
      co_return std::optional<nlohmann::json>();
    };
  }
};

struct pass_result {
  poll_outcome out;
  lookup_counts counts;
  std::vector<std::string> taken;
};

pass_result run_pass(ledger& db, std::int64_t run, fake_national& national, unsigned workers,
                     lookup_pass_settings settings, instant now, fake_time& time) {
  boost::asio::io_context io;
  pass_result r;
  poll_writer writer(db, run, now);
  const record_sink take = [&](const page_record& rec, const std::string&) {
    REQUIRE(rec.value);
    r.taken.push_back(rec.id);
    ++r.out.records;
  };
  std::vector<lookup_call> calls(workers, national.call());
  const auto env = time.env();
  auto done = boost::asio::co_spawn(io, lookup_national(calls, settings, db, writer, take, now, env, r.out, r.counts),
                                    boost::asio::use_future);
  io.run();
  done.get();
  return r;
}

// A pass's settings: the budget, default grace and poll interval.
lookup_pass_settings budget(double requests_per_second, std::size_t max_per_cycle) {
  lookup_pass_settings s;
  s.budget.requests_per_second = requests_per_second;
  s.budget.max_per_cycle = max_per_cycle;
  return s;
}

void store_provincial(ledger& db, std::int64_t run, const std::vector<std::string>& keys, instant updated) {
  auto b = db.begin_batch(run, updated);
  for (const auto& k : keys) {
    auto d = test::make_dossier(side::provincial, k);
    d.updated = updated;
    b.upsert_record(d, facts_of(d));
  }
  b.commit();
}

}  // namespace

TEST_CASE("look-ups are paced to the request rate across workers, and every answer is stored") {
  auto db = ledger::open(":memory:");
  const auto run = db.begin_run(run_mode::service, 10'000, 10'000, 100);
  store_provincial(db, run, {"A", "B", "C", "D", "E"}, 1000);
  fake_time time;
  fake_national national;
  national.time = &time;
  national.records["B"] = {{"MaHoSo", "B"}};
  national.records["D"] = {{"MaHoSo", "D"}};

  lookup_pass_settings s = budget(2, 100);
  s.grace_s = 100;
  const auto r = run_pass(db, run, national, 3, s, 10'000, time);

  CHECK_FALSE(r.out.error);
  CHECK(r.counts.due.total() == 5);
  CHECK(r.counts.due.changed == 5);
  CHECK(r.counts.found == 2);
  CHECK(r.counts.not_found == 3);
  CHECK(r.taken == std::vector<std::string>{"B", "D"});
  REQUIRE(national.calls.size() == 5);
  for (std::size_t i = 0; i < national.calls.size(); ++i) {
    CAPTURE(i);
    CHECK(national.calls[i].second == std::chrono::duration_cast<steady::duration>(500ms * static_cast<int>(i)));
  }
  CHECK(r.counts.coverage.provincial_keys == 5);
  CHECK(r.counts.coverage.looked_up == 5);
  const std::vector<std::string> keys{"A", "B", "C", "D", "E"};
  const auto answers = db.lookup_results(keys);
  REQUIRE(answers.size() == 5);
  CHECK_FALSE(answers[0].second);
  CHECK(answers[1].second);
  // Nothing left to look up until something changes or the intervals pass.
  const auto again = run_pass(db, run, national, 1, s, 10'000, time);
  CHECK(again.counts.due.total() == 0);
}

TEST_CASE("a refused look-up is its key's data error; a transient failure leaves its key due, the pass goes on") {
  auto db = ledger::open(":memory:");
  const auto run = db.begin_run(run_mode::service, 10'000, 10'000, 100);
  store_provincial(db, run, {"A", "B", "C", "D"}, 1000);
  fake_time time;
  fake_national national;
  national.time = &time;
  national.failures["B"] = connector_error(error_kind::rejected, "error_code 3: mã hồ sơ không hợp lệ");
  national.failures["C"] = connector_error(error_kind::timeout, "read timed out");

  const auto s = budget(1000, 100);
  const auto r = run_pass(db, run, national, 1, s, 10'000, time);
  CHECK_FALSE(r.out.error);
  CHECK(r.out.data_errors == 1);
  CHECK(r.counts.rejected == 1);
  CHECK(r.counts.failed == 1);
  CHECK(national.calls.size() == 4);  // D is asked after C failed
  const auto errors = db.data_errors_of_run(run);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].error.key == "B");
  const std::vector<std::string> keys{"A", "B", "C", "D"};
  const auto answers = db.lookup_results(keys);
  REQUIRE(answers.size() == 2);  // C failed and B was refused: neither has an answer
  CHECK(answers[0].first == "A");
  CHECK(answers[1].first == "D");
  // C is asked again by the next pass; so is B, refused for its own sake, and nothing else.
  national.failures.clear();
  const auto again = run_pass(db, run, national, 1, s, 10'000, time);
  CHECK(again.counts.due.total() == 2);
  CHECK(again.counts.found + again.counts.not_found == 2);
}

TEST_CASE("look-ups failing three in a row, or once beyond mending, end the pass, keeping what was answered") {
  struct scenario {
    const char* name;
    std::map<std::string, connector_error> failures;
    error_kind stopped_by;
    std::size_t calls;
    std::int64_t failed;
  };
  const std::vector<scenario> table{
      {"three transient in a row",
       {{"B", connector_error(error_kind::timeout, "read timed out")},
        {"C", connector_error(error_kind::connect, "connection reset")},
        {"D", connector_error(error_kind::truncated, "body cut short")}},
       error_kind::truncated,
       4,
       2},
      {"a refused login", {{"B", connector_error(error_kind::auth, "DangNhap: sai mật khẩu")}}, error_kind::auth, 2, 0},
  };
  for (const auto& t : table) {
    CAPTURE(t.name);
    auto db = ledger::open(":memory:");
    const auto run = db.begin_run(run_mode::service, 10'000, 10'000, 100);
    store_provincial(db, run, {"A", "B", "C", "D", "E"}, 1000);
    fake_time time;
    fake_national national;
    national.time = &time;
    national.failures = t.failures;
    const auto r = run_pass(db, run, national, 1, budget(1000, 100), 10'000, time);
    REQUIRE(r.out.error);
    CHECK(r.out.error->kind == t.stopped_by);
    CHECK(national.calls.size() == t.calls);  // E is never asked
    CHECK(r.counts.failed == t.failed);
    const std::vector<std::string> keys{"A", "B", "C", "D", "E"};
    const auto answers = db.lookup_results(keys);
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].first == "A");
  }
}

TEST_CASE("a pass longer than a chunk asks each due key once, within its budget, failures included") {
  auto db = ledger::open(":memory:");
  const auto run1 = db.begin_run(run_mode::service, 10'000, 10'000, 100);
  std::vector<std::string> keys;
  for (int i = 0; i < 1300; ++i) keys.push_back("K" + std::to_string(10'000 + i));
  store_provincial(db, run1, keys, 1000);
  fake_time time;
  fake_national national;
  national.time = &time;
  for (std::size_t i = 0; i < keys.size(); i += 97) {
    national.failures[keys[i]] = i % 2 == 0 ? connector_error(error_kind::timeout, "read timed out")
                                            : connector_error(error_kind::rejected, "error_code 3");
  }
  const auto s = budget(1000, 1200);
  const auto first = run_pass(db, run1, national, 3, s, 10'000, time);
  CHECK_FALSE(first.out.error);
  CHECK(first.counts.due.total() == 1200);
  CHECK(first.counts.due.changed == 1200);
  std::map<std::string, int> asked;
  for (const auto& call : national.calls) ++asked[call.first];
  CHECK(national.calls.size() == 1200);
  CHECK(asked.size() == 1200);
  const std::size_t failing_asked = static_cast<std::size_t>(std::count_if(
      national.failures.begin(), national.failures.end(), [&](const auto& f) { return asked.contains(f.first); }));
  CHECK(first.counts.failed + first.counts.rejected == static_cast<std::int64_t>(failing_asked));
  CHECK(first.counts.coverage.looked_up == static_cast<std::int64_t>(1200 - failing_asked));

  // The next cycle takes the 100 keys the budget left and the failed ones, each once.
  national.calls.clear();
  national.failures.clear();
  const auto run2 = db.begin_run(run_mode::service, 10'300, 10'300, 100);
  const auto second = run_pass(db, run2, national, 3, s, 10'300, time);
  CHECK(second.counts.due.total() == static_cast<std::int64_t>(100 + failing_asked));
  CHECK(national.calls.size() == 100 + failing_asked);
  CHECK(second.counts.coverage.looked_up == 1300);
}
