#pragma once
// Runs one attempt after another until it succeeds or the retry policy says stop, sleeping through the
// injected environment so tests do not wait.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <utility>

#include "connectors/connector_env.hpp"
#include "connectors/connector_error.hpp"
#include "connectors/portal_config.hpp"
#include "connectors/retry_policy.hpp"

namespace dvc {

// `attempt` is a callable returning `awaitable<result<T>>`; it is held here for the whole loop, so a lambda
// coroutine's captures stay alive while it runs.
template <class T, class Attempt>
boost::asio::awaitable<result<T>> with_retry(const retry_config& config, const connector_env& env, Attempt attempt) {
  for (unsigned failed = 1;; ++failed) {
    result<T> outcome = co_await attempt();
    if (outcome.ok()) co_return outcome;
    const auto delay = retry_delay(config, failed, outcome.error(), env.random(), env.wall_now());
    if (!delay) {
      if (failed == 1) co_return outcome;
      connector_error last = outcome.error();
      last.message += " (gave up after " + std::to_string(failed) + " attempts)";
      co_return last;
    }
    if (env.log) {
      env.log(outcome.error().message + " Retrying in " + std::to_string(delay->count()) + " ms (attempt " +
              std::to_string(failed + 1) + " of " + std::to_string(config.max_attempts) + ").");
    }
    co_await env.sleep(*delay);
  }
}

}  // namespace dvc
