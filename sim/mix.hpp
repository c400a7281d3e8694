#pragma once
// Deterministic hashing: every simulated value is a pure function of the seed and a few integers, so the same
// seed gives the same province on every run and no record needs to be stored whole.
#include <cstdint>
#include <initializer_list>

namespace dvc::sim {

constexpr std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Hash of a sequence of integers; order matters.
constexpr std::uint64_t mix(std::initializer_list<std::uint64_t> parts) {
  std::uint64_t h = 0x243f6a8885a308d3ULL;
  for (auto p : parts) h = splitmix(h ^ splitmix(p));
  return h;
}

// A small generator for code that draws several values in a row from one hash.
class draw {
 public:
  explicit constexpr draw(std::uint64_t state) : state_(state) {}
  constexpr std::uint64_t next() { return state_ = splitmix(state_); }
  // Uniform in [0, n); n > 0.
  constexpr std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>((next() >> 32) * n >> 32); }
  // True with probability p.
  constexpr bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
  constexpr double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

}  // namespace dvc::sim
