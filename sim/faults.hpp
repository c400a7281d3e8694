#pragma once
// Fault injection for `--faults SPEC`: a comma list such as
// `latency=50ms,error5xx=0.1,rate429=0.05,retry_after=1,truncate=0.02,token_ttl=5,session_ttl=5,drift=0.1,hang=0.01`.
// Each fault is decided per request from the seed and the request's number, so a run is reproducible.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dvc::sim {

// How long a provincial token or a national session lives: seconds (`5`, `5s`) or requests (`5r`, `5req`).
struct lifetime {
  enum class measure : std::uint8_t { seconds, requests } by = measure::seconds;
  std::uint32_t amount = 0;
};

struct fault_spec {
  std::chrono::milliseconds latency{0};  // added before every portal response
  double error5xx = 0;                   // share of requests answered 500/502/503
  double rate429 = 0;                    // share answered 429 with Retry-After
  std::uint32_t retry_after_s = 1;       // the Retry-After delay, sent as seconds or as an HTTP-date
  double truncate = 0;                   // share whose body is cut short (Content-Length promises more)
  double drift = 0;                      // share of page requests (page > first) that move served records to the end
  double hang = 0;                       // share of requests never answered
  lifetime token_ttl{lifetime::measure::seconds, 300};
  lifetime session_ttl{lifetime::measure::seconds, 1800};
};

struct fault_parse {
  std::optional<fault_spec> spec;
  std::string error;  // names the item at fault when spec is empty
};

fault_parse parse_faults(std::string_view text);

}  // namespace dvc::sim
