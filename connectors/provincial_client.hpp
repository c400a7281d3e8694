#pragma once
// Client of the provincial one-stop system's REST API (docs/wire-formats.md#provincial-rest-api): OAuth2
// client-credentials token renewed before it expires and once more on a 401, keyset paging over `updatedDate`, retries
// per retry_config.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "connectors/connector_env.hpp"
#include "connectors/connector_error.hpp"
#include "connectors/endpoint_url.hpp"
#include "connectors/http_client.hpp"
#include "connectors/portal_config.hpp"
#include "connectors/portal_listing.hpp"
#include "connectors/portal_support.hpp"
#include "reconcile/instant.hpp"

namespace dvc {

class provincial_client {
 public:
  // Use from one thread (or strand); one call at a time.
  provincial_client(boost::asio::any_io_executor executor, provincial_config config,
                    connector_env env = default_connector_env());

  // Problems with the configuration (URLs, page size, CA file), found without touching the network.
  static std::optional<connector_error> validate(const provincial_config& config);

  // Hands every dossier with updatedDate ≥ `updated_from` to `sink` exactly once per (id, updatedDate), even
  // while records move during paging. `agency_code` non-empty restricts the listing to that unit.
  // On error, records already handed out stay handed out; the cursor is only in the success value, and how far
  // the listing got is what `progress` was last told.
  boost::asio::awaitable<result<poll_result>> list_changed(instant updated_from, record_sink sink,
                                                           std::string agency_code = {}, progress_sink progress = {});

  // One dossier by code; nullopt when the system answers 404.
  boost::asio::awaitable<result<std::optional<nlohmann::json>>> get(std::string code);

  boost::asio::awaitable<void> close();

  std::size_t tokens_fetched() const { return tokens_fetched_; }

 private:
  boost::asio::awaitable<std::optional<connector_error>> ensure_setup();
  boost::asio::awaitable<std::optional<connector_error>> fetch_token();
  boost::asio::awaitable<result<http_response>> authorized_get(const std::string& target,
                                                               const std::string& description);
  boost::asio::awaitable<result<nlohmann::json>> get_json(const std::string& target, const std::string& description);

  boost::asio::any_io_executor executor_;
  provincial_config config_;
  connector_env env_;
  std::optional<endpoint_url> base_, token_url_;
  std::unique_ptr<http_client> api_, token_endpoint_;
  std::string token_;
  std::chrono::steady_clock::time_point token_renew_at_{};
  std::size_t tokens_fetched_ = 0;
};

}  // namespace dvc
