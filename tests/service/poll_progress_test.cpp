// A poll's progress with times given by hand: the figures (rate, what is left, when it ends), the running totals
// the API reads after every page, and the `poll_progress` lines of the polls still running.
#include "service/poll_progress.hpp"

#include <doctest/doctest.h>

#include <vector>

#include "tests/support/stderr_capture.hpp"

namespace dvc::test {
namespace {

using clock = poll_progress::clock;
const clock::time_point t0{};

clock::time_point at(double seconds) {
  return t0 + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
}

poll_outcome read_so_far(side s, std::int64_t records, std::int64_t pages) {
  poll_outcome o;
  o.origin = s;
  o.records = records;
  o.pages = pages;
  return o;
}

}  // namespace

TEST_CASE("poll progress: the rate, and the time left only where the portal's totals say what is left") {
  struct row {
    const char* what;
    std::int64_t records;
    double seconds;
    std::optional<std::int64_t> remaining;
    double rate;
    std::optional<double> eta;
  };
  const std::vector<row> rows = {
      {"totals given", 1000, 10, 4000, 100, 40},
      {"no totals", 1000, 10, std::nullopt, 100, std::nullopt},
      {"nothing read yet: no rate, so no estimate", 0, 10, 4000, 0, std::nullopt},
      {"no time passed yet", 500, 0, 100, 0, std::nullopt},
      {"nothing left", 1000, 10, 0, 100, 0},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    const poll_live f = poll_figures(r.records, 3, r.seconds, r.remaining);
    CHECK(f.running);
    CHECK(f.records == r.records);
    CHECK(f.pages == 3);
    CHECK(f.records_per_s == doctest::Approx(r.rate));
    CHECK(f.remaining == r.remaining);
    REQUIRE(f.eta_s.has_value() == r.eta.has_value());
    if (r.eta) CHECK(*f.eta_s == doctest::Approx(*r.eta));
  }
}

TEST_CASE("poll progress: the totals the API reads grow page by page, on top of earlier polls, and are published") {
  service_status status;
  status.provincial.records_read_total = 700;  // earlier cycles
  status.provincial.pages_total = 7;
  std::vector<service_status> published;
  {
    poll_progress progress(
        status, [&](const service_status& s) { published.push_back(s); }, t0);
    REQUIRE(published.size() == 1);  // the polls started
    CHECK(published[0].provincial.poll.running);
    CHECK(published[0].national.poll.running);
    CHECK(published[0].provincial.poll.records == 0);

    progress.page(side::provincial, read_so_far(side::provincial, 500, 1), 1500, at(5));
    progress.page(side::provincial, read_so_far(side::provincial, 1000, 2), 1000, at(10));
    progress.page(side::national, read_so_far(side::national, 200, 1), std::nullopt, at(10));
    REQUIRE(published.size() == 4);
    CHECK(published[1].provincial.records_read_total == 1200);
    CHECK(published[2].provincial.records_read_total == 1700);
    CHECK(published[2].provincial.pages_total == 9);
    CHECK(published[2].provincial.poll.records == 1000);
    CHECK(published[2].provincial.poll.records_per_s == doctest::Approx(100));
    CHECK(published[2].provincial.poll.remaining == 1000);
    REQUIRE(published[2].provincial.poll.eta_s.has_value());
    CHECK(*published[2].provincial.poll.eta_s == doctest::Approx(10));
    CHECK(published[3].national.records_read_total == 200);
    CHECK_FALSE(published[3].national.poll.remaining.has_value());

    poll_outcome done = read_so_far(side::provincial, 2000, 4);
    progress.end(side::provincial, done, at(20));
    CHECK_FALSE(status.provincial.poll.running);
    CHECK(status.provincial.poll.remaining == 0);
    CHECK(status.provincial.records_read_total == 2700);
    CHECK(status.national.poll.running);
  }
  // However the cycle ends, no poll is left running.
  CHECK_FALSE(status.national.poll.running);
  CHECK(status.national.records_read_total == 200);
}

TEST_CASE("poll progress: a line per poll still running, brought to the time it is written") {
  service_status status;
  poll_progress progress(status, {}, t0);
  progress.page(side::provincial, read_so_far(side::provincial, 12000, 24), 188000, at(20));
  progress.page(side::national, read_so_far(side::national, 3000, 6), std::nullopt, at(20));
  std::string text;
  {
    stderr_capture err;
    // A page that takes long: the rate falls while nothing comes.
    progress.log_running(at(30));
    text = err.text();
  }
  CHECK(text.find("info poll_progress side=provincial records=12000 pages=24 seconds=30.0 records_per_s=400.0 "
                  "remaining=188000 eta_s=470\n") != std::string::npos);
  CHECK(text.find("info poll_progress side=national records=3000 pages=6 seconds=30.0 records_per_s=100.0 "
                  "remaining=unknown eta_s=unknown\n") != std::string::npos);

  progress.end(side::provincial, read_so_far(side::provincial, 200000, 400), at(40));
  {
    stderr_capture err;
    progress.log_running(at(50));
    text = err.text();
  }
  CHECK(text.find("side=provincial") == std::string::npos);
  CHECK(text.find("poll_progress side=national records=3000") != std::string::npos);
}

}  // namespace dvc::test
