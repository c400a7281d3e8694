#pragma once
// Client of the National Public Service Portal adapter (docs/wire-formats.md#national-adapter): a `DangNhap` session
// renewed once when a call answers error_code 2, keyset paging over `NgayCapNhat` windows, retries per retry_config.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
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

class national_client {
 public:
  // Use from one thread (or strand); one call at a time.
  national_client(boost::asio::any_io_executor executor, national_config config,
                  connector_env env = default_connector_env());

  static std::optional<connector_error> validate(const national_config& config);

  // Hands every record with `from` ≤ NgayCapNhat ≤ `to` to `sink` exactly once per (MaHoSo, NgayCapNhat),
  // even while records move during paging. The cursor of the result is `to`; on error, how far the listing got
  // is what `progress` was last told.
  boost::asio::awaitable<result<poll_result>> list_changed(instant from, instant to, record_sink sink,
                                                           progress_sink progress = {});

  // TraCuuHoSo: the record, or nullopt when `result` is empty.
  boost::asio::awaitable<result<std::optional<nlohmann::json>>> lookup(std::string code);

  boost::asio::awaitable<void> close();

  std::size_t logins() const { return logins_; }

 private:
  boost::asio::awaitable<std::optional<connector_error>> ensure_setup();
  boost::asio::awaitable<std::optional<connector_error>> login();
  // One service call with the session; renews the session once on error_code 2. Returns the parsed body.
  // `records` names the answer's record array, read record by record (parse_page); nullptr reads the answer whole.
  boost::asio::awaitable<result<parsed_page>> call(nlohmann::json body, const std::string& description,
                                                   const char* records = nullptr);
  boost::asio::awaitable<result<parsed_page>> post(const nlohmann::json& body, const std::string& description,
                                                   const char* records);

  boost::asio::any_io_executor executor_;
  national_config config_;
  connector_env env_;
  std::optional<endpoint_url> base_;
  std::unique_ptr<http_client> http_;
  std::string session_;
  std::size_t logins_ = 0;
};

}  // namespace dvc
