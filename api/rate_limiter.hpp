#pragma once
// Requests per client address, as a token bucket each: `rate` requests a second on average, `burst` at once. The
// clock is passed in, so tests count exactly instead of racing it.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <unordered_map>

namespace dvc {

class rate_limiter {
 public:
  using clock = std::function<std::chrono::steady_clock::time_point()>;

  rate_limiter(double rate, double burst, clock now = std::chrono::steady_clock::now);

  // Takes one request from `client`'s bucket; false when it is empty (the server answers 429).
  bool allow(const std::string& client);
  // Buckets remembered; the least needed are forgotten once more than `max_clients` are.
  std::size_t clients() const { return buckets_.size(); }

  static constexpr std::size_t max_clients = 10000;

 private:
  struct bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  void prune(std::chrono::steady_clock::time_point now);

  double rate_, burst_;
  clock now_;
  std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace dvc
