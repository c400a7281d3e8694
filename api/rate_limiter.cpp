#include "api/rate_limiter.hpp"

#include <algorithm>
#include <iterator>

namespace dvc {

rate_limiter::rate_limiter(double rate, double burst, clock now) : rate_(rate), burst_(burst), now_(std::move(now)) {}

bool rate_limiter::allow(const std::string& client) {
  const auto now = now_();
  if (buckets_.size() > max_clients) prune(now);
  auto [it, fresh] = buckets_.try_emplace(client, bucket{burst_, now});
  bucket& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.at = now;
  }
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

// Clients whose bucket has refilled are indistinguishable from new ones, so forgetting them is free.
void rate_limiter::prune(std::chrono::steady_clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double elapsed = std::chrono::duration<double>(now - it->second.at).count();
    it = it->second.tokens + elapsed * rate_ >= burst_ ? buckets_.erase(it) : std::next(it);
  }
}

}  // namespace dvc
