#pragma once
// The only ways the simulator reads time, handed to it so that tests advance a clock of their own instead of
// sleeping. Both give unix seconds.
#include <cstdint>
#include <functional>

namespace dvc::sim {

struct sim_clock {
  // The simulated present: the stamps of live changes, and the age of tokens and sessions.
  std::function<std::int64_t()> present;
  // The real wall clock, for what a client compares with its own clock: the HTTP-date of a Retry-After.
  std::function<std::int64_t()> wall;
};

}  // namespace dvc::sim
