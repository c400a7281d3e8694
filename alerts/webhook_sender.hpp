#pragma once
// One alert message POSTed as JSON to a webhook target (docs/configuration.md#alerts): over the connectors' HTTP
// client, so HTTPS is verified the way the portals are (CA, SAN host name, SNI), with capped exponential backoff and
// full jitter between attempts, and a 429 or 503 waited on for as long as its Retry-After asks (capped). Any 2xx is
// taken; anything else is a failure the caller records and retries next cycle.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "config/alert_settings.hpp"
#include "connectors/connector_env.hpp"
#include "connectors/connector_error.hpp"

namespace dvc {

// nullopt once the target answered 2xx; the last error otherwise (its message names the target's origin, never the
// path of its URL, which for chat services holds the secret).
boost::asio::awaitable<std::optional<connector_error>> post_webhook(const webhook_target& target,
                                                                    const retry_config& retry, std::string body,
                                                                    const connector_env& env);

}  // namespace dvc
