// The API's per-address budget on a clock the test moves: a burst, then one request per 1/rate seconds.
#include "api/rate_limiter.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace dvc;
using namespace std::chrono_literals;

namespace {

struct fake_clock {
  std::chrono::steady_clock::time_point now{};
  rate_limiter::clock get() {
    return [this] { return now; };
  }
};

int allowed(rate_limiter& limiter, const std::string& client, int tries) {
  int n = 0;
  for (int i = 0; i < tries; ++i) n += limiter.allow(client);
  return n;
}

}  // namespace

TEST_CASE("a burst is allowed at once, then one request per 1/rate seconds") {
  fake_clock clock;
  rate_limiter limiter(2, 3, clock.get());
  CHECK(allowed(limiter, "10.0.0.1", 5) == 3);
  clock.now += 499ms;
  CHECK_FALSE(limiter.allow("10.0.0.1"));  // 0.998 of a token
  clock.now += 1ms;
  CHECK(limiter.allow("10.0.0.1"));
  CHECK_FALSE(limiter.allow("10.0.0.1"));
  clock.now += 10s;  // refills to the burst, not beyond
  CHECK(allowed(limiter, "10.0.0.1", 5) == 3);
}

TEST_CASE("each client address has its own budget") {
  fake_clock clock;
  rate_limiter limiter(1, 2, clock.get());
  CHECK(allowed(limiter, "10.0.0.1", 4) == 2);
  CHECK(allowed(limiter, "10.0.0.2", 4) == 2);
  CHECK(allowed(limiter, "::1", 1) == 1);
}

TEST_CASE("beyond max_clients, clients whose bucket has refilled are forgotten, the others kept") {
  fake_clock clock;
  rate_limiter limiter(1, 2, clock.get());
  CHECK(allowed(limiter, "busy", 2) == 2);
  for (std::size_t i = 0; i <= rate_limiter::max_clients; ++i) limiter.allow("c" + std::to_string(i));
  CHECK(limiter.clients() == rate_limiter::max_clients + 2);  // each of them keeps one token of two
  clock.now += 1s;                                            // they are full again; "busy" has one token back of two
  limiter.allow("newcomer");                                  // over the bound: forgets every full bucket before adding
  CHECK(limiter.clients() == 2);
  CHECK(allowed(limiter, "busy", 3) == 1);  // remembered: one token, not a new client's two
}
