#include "connectors/http_exchange.hpp"

#include <boost/asio/error.hpp>

namespace dvc {
namespace {

bool connection_gone(const boost::system::error_code& ec) {
  return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset ||
         ec == boost::asio::error::broken_pipe || ec == boost::asio::error::connection_aborted ||
         ec == boost::asio::error::operation_aborted || ec == boost::beast::http::error::end_of_stream ||
         ec == boost::asio::ssl::error::stream_truncated;
}

}  // namespace

connector_error classify_write_error(const boost::system::error_code& ec, bool timed_out,
                                     const std::string& description) {
  if (timed_out) return {error_kind::timeout, description + ": timed out sending the request."};
  if (connection_gone(ec))
    return {error_kind::connect, description + ": the connection was closed while sending (" + ec.message() + ")."};
  if (ec.category() == boost::asio::error::get_ssl_category())
    return {error_kind::tls, description + ": TLS failure while sending (" + ec.message() + ")."};
  return {error_kind::connect, description + ": sending failed (" + ec.message() + ")."};
}

connector_error classify_read_error(const boost::system::error_code& ec, bool timed_out, bool got_some,
                                    const std::string& description) {
  namespace http = boost::beast::http;
  if (timed_out) return {error_kind::timeout, description + ": timed out waiting for the response."};
  if (ec == http::error::body_limit)
    return {error_kind::too_large, description + ": the response body is over the configured limit."};
  if (ec == http::error::header_limit)
    return {error_kind::too_large, description + ": the response header is over the configured limit."};
  if (ec == http::error::partial_message || (got_some && connection_gone(ec)))
    return {error_kind::truncated,
            description +
                ": the connection ended before the response was complete; the partial response was "
                "discarded."};
  if (!ec) return {error_kind::truncated, description + ": the response ended before it was complete."};
  if (connection_gone(ec))
    return {error_kind::connect,
            description + ": the server closed the connection without answering (" + ec.message() + ")."};
  if (ec.category() == boost::asio::error::get_ssl_category())
    return {error_kind::tls, description + ": TLS failure while reading (" + ec.message() + ")."};
  if (ec.category() == boost::system::error_code(http::error::bad_version).category())
    return {error_kind::protocol, description + ": the response is not valid HTTP (" + ec.message() + ")."};
  return {error_kind::connect, description + ": reading the response failed (" + ec.message() + ")."};
}

}  // namespace dvc
