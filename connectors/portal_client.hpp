#pragma once
// Client of one portal, read through its profile's transport sections (docs/profiles.md): authenticates as the
// profile says (a client-credentials or password token renewed before it expires and once more on a 401, or an
// adapter session renewed once when an answer says it expired), lists changed records — ascending with a time
// filter by keyset paging, or newest first without one down to a watermark — and looks one dossier up by code.
// Records are handed out raw; mapping them to dossiers is the caller's. Retries per retry_config.
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
#include "connectors/transport_profile.hpp"
#include "reconcile/instant.hpp"

namespace dvc {

class portal_client {
 public:
  // Use from one thread (or strand); one call at a time.
  portal_client(boost::asio::any_io_executor executor, transport_profile profile, portal_config config,
                connector_env env = default_connector_env());

  // Problems with the configuration for this profile (URLs, credentials its grant and templates need, page size,
  // CA file), found without touching the network; named `{side}.key`.
  static std::optional<connector_error> validate(const transport_profile& profile, const portal_config& config);

  // Hands every record changed since `since` to `sink` once per (id, update time), even while records move during
  // paging (docs/profiles.md#list). `until` closes a `window` listing (both ends included) and is not used
  // otherwise; `unit` non-empty restricts the listing to that unit. The cursor of the result is where the next
  // poll may start (before its look-back): the latest update time seen (`since`), `until` (`window`), or the
  // instant the listing began on the injected wall clock (`none`, read newest first down to `since`).
  // On error, records already handed out stay handed out; how far an ascending listing got is what `progress` was
  // last told (a descending listing reports none).
  boost::asio::awaitable<result<poll_result>> list_changed(instant since, instant until, record_sink sink,
                                                           std::string unit = {}, progress_sink progress = {});

  // One dossier by code: the record as the portal sent it, or nullopt when the portal says it has none (HTTP 404
  // or an empty record array, per `lookup.not_found`).
  boost::asio::awaitable<result<std::optional<nlohmann::json>>> lookup(std::string code);

  boost::asio::awaitable<void> close();

  const transport_profile& profile() const { return profile_; }
  // Tokens fetched (rest) or sessions opened (adapter).
  std::size_t logins() const { return logins_; }

 private:
  struct exchanged {
    parsed_page parsed;
    bool missing = false;  // HTTP 404 to a call that accepts it
  };

  boost::asio::awaitable<std::optional<connector_error>> ensure_setup();
  boost::asio::awaitable<std::optional<connector_error>> ensure_credentials();
  boost::asio::awaitable<std::optional<connector_error>> fetch_token();
  boost::asio::awaitable<std::optional<connector_error>> log_in();
  // One call of the profile, authenticated, renewing the token or the session once when the portal refuses it.
  // `records` non-null splits the answer's record array from it record by record; an adapter's error code is
  // checked here.
  boost::asio::awaitable<result<exchanged>> exchange(const request_template& request, template_values values,
                                                     const std::string& description, const json_path* records,
                                                     bool accept_404);
  template_values base_values() const;
  std::string target_of(const request_template& request, const template_values& values) const;
  // The call without its description (a log-in's names the user; a listing's is the page's).
  http_call build(const request_template& request, const template_values& values) const;
  std::string describe(const request_template& request, const template_values& values) const;

  boost::asio::any_io_executor executor_;
  transport_profile profile_;
  portal_config config_;
  connector_env env_;
  std::optional<endpoint_url> base_, token_url_;
  std::unique_ptr<http_client> api_, token_endpoint_;
  std::string token_;
  std::chrono::steady_clock::time_point token_renew_at_{};
  std::string session_;
  std::size_t logins_ = 0;
};

}  // namespace dvc
