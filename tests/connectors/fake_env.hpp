#pragma once
// A connector_env whose randomness, clocks and sleep are under the test's control: sleeps return at once and
// are recorded, the steady clock moves only when told.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "connectors/connector_env.hpp"

namespace dvc::test {

struct fake_world {
  double random = 0.5;
  std::int64_t wall = 1'721'000'000;  // 2024-07-14T23:33:20Z
  std::chrono::steady_clock::time_point steady{};
  std::vector<std::chrono::milliseconds> sleeps;
  std::vector<std::string> log;
};

inline connector_env fake_env(const std::shared_ptr<fake_world>& world) {
  connector_env env;
  env.random = [world] { return world->random; };
  env.wall_now = [world] { return world->wall; };
  env.steady_now = [world] { return world->steady; };
  env.sleep = [world](std::chrono::milliseconds delay) -> boost::asio::awaitable<void> {
    world->sleeps.push_back(delay);
    co_return;
  };
  env.log = [world](std::string_view line) { world->log.emplace_back(line); };
  return env;
}

}  // namespace dvc::test
