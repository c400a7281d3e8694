#include "sim/faults.hpp"

#include <doctest/doctest.h>

using namespace dvc::sim;

TEST_CASE("a full fault spec parses into every field") {
  const auto r = parse_faults(
      "latency=50ms,error5xx=0.1,rate429=0.05,retry_after=2,truncate=0.02,token_ttl=5,session_ttl=7r,drift=0.1,hang=0."
      "01");
  REQUIRE(r.spec);
  CHECK(r.spec->latency == std::chrono::milliseconds(50));
  CHECK(r.spec->error5xx == doctest::Approx(0.1));
  CHECK(r.spec->rate429 == doctest::Approx(0.05));
  CHECK(r.spec->retry_after_s == 2);
  CHECK(r.spec->truncate == doctest::Approx(0.02));
  CHECK(r.spec->token_ttl.by == lifetime::measure::seconds);
  CHECK(r.spec->token_ttl.amount == 5);
  CHECK(r.spec->session_ttl.by == lifetime::measure::requests);
  CHECK(r.spec->session_ttl.amount == 7);
  CHECK(r.spec->drift == doctest::Approx(0.1));
  CHECK(r.spec->hang == doctest::Approx(0.01));
}

TEST_CASE("an empty spec means no faults") {
  const auto r = parse_faults("");
  REQUIRE(r.spec);
  CHECK(r.spec->error5xx == 0);
  CHECK(r.spec->latency.count() == 0);
}

TEST_CASE("latency accepts ms, s and bare milliseconds") {
  CHECK(parse_faults("latency=2s").spec->latency == std::chrono::milliseconds(2000));
  CHECK(parse_faults("latency=75").spec->latency == std::chrono::milliseconds(75));
}

TEST_CASE("a bad item is named in the error") {
  const auto unknown = parse_faults("latency=5ms, jitter=3");
  CHECK_FALSE(unknown.spec);
  CHECK(unknown.error.find("'jitter=3'") != std::string::npos);
  CHECK(unknown.error.find("unknown fault 'jitter'") != std::string::npos);
  const auto range = parse_faults("error5xx=1.5");
  CHECK_FALSE(range.spec);
  CHECK(range.error.find("'error5xx=1.5'") != std::string::npos);
  CHECK(parse_faults("token_ttl=0").error.find("token_ttl=0") != std::string::npos);
  CHECK(parse_faults("hang").error.find("expected name=value") != std::string::npos);
  CHECK(parse_faults("latency=fast").error.find("latency=fast") != std::string::npos);
  CHECK(parse_faults("drift=0.1,,hang=0").error.find("empty item") != std::string::npos);
}
