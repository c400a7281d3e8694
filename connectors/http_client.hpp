#pragma once
// One keep-alive HTTP(S) connection to one origin, reused across requests and re-opened when the server has
// closed it. TLS always verifies the peer (system CA store or the configured `ca_file`) and the host name, and
// sends SNI. Requests on one client run one at a time (a second concurrent call is refused, never interleaved).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>
#include <optional>

#include "connectors/connector_error.hpp"
#include "connectors/endpoint_url.hpp"
#include "connectors/http_types.hpp"
#include "connectors/portal_config.hpp"

namespace dvc {

class http_client {
 public:
  // Fails with a `config` error when the CA file cannot be loaded.
  static result<std::unique_ptr<http_client>> create(boost::asio::any_io_executor executor, endpoint_url origin,
                                                     http_client_config config);

  // Sends `call` to the origin (its `target` is used as is) and returns the complete response, whatever its
  // status. A request that fails before any answer on a reused connection is sent once more on a new one.
  boost::asio::awaitable<result<http_response>> send(http_call call);

  // Closes the connection, with a TLS close_notify bounded by `shutdown_timeout`.
  boost::asio::awaitable<void> close();

  const endpoint_url& origin() const { return origin_; }
  bool connected() const { return plain_.has_value() || tls_.has_value(); }
  std::size_t connections_opened() const { return connections_opened_; }

 private:
  http_client(boost::asio::any_io_executor executor, endpoint_url origin, http_client_config config,
              std::optional<boost::asio::ssl::context> tls_context);
  boost::asio::awaitable<std::optional<connector_error>> open();
  boost::asio::awaitable<void> drop(bool graceful);

  boost::asio::any_io_executor executor_;
  endpoint_url origin_;
  http_client_config config_;
  std::optional<boost::asio::ssl::context> tls_context_;
  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<boost::asio::ssl::stream<boost::beast::tcp_stream>> tls_;
  boost::beast::flat_buffer buffer_;
  bool busy_ = false;
  std::size_t connections_opened_ = 0;
};

}  // namespace dvc
