#pragma once
// TLS as every client of dvcrecon speaks it (portals, alert webhooks, SMTP): TLS 1.2 or later, the peer verified
// against the system CA store or a configured bundle, its name checked against a subject alternative name only, and
// SNI sent for names (never for IP literals).
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <optional>
#include <string>

#include "connectors/connector_error.hpp"

namespace dvc {

// A client context trusting `ca_file` (a PEM bundle), or the system store when it is empty. `where` names the
// peer in the error.
result<boost::asio::ssl::context> client_tls_context(const std::string& ca_file, const std::string& where);

// Readies `ssl` (before its handshake) to send SNI for `host` and to accept only a certificate naming it. An error
// names `where`.
std::optional<connector_error> expect_peer(SSL* ssl, const std::string& host, const std::string& where);

// Sets what expect_peer prepared on a stream, with the verification callback that checks the name again.
template <class Stream>
std::optional<connector_error> prepare_tls_stream(boost::asio::ssl::stream<Stream>& stream, const std::string& host,
                                                  const std::string& where);

// Why a handshake failed, with OpenSSL's verification verdict when the certificate was refused.
std::string handshake_failure(SSL* ssl, const boost::system::error_code& ec);

// The callback behind prepare_tls_stream: only the leaf certificate names the peer.
bool peer_name_matches(bool preverified, boost::asio::ssl::verify_context& ctx, const std::string& host);

template <class Stream>
std::optional<connector_error> prepare_tls_stream(boost::asio::ssl::stream<Stream>& stream, const std::string& host,
                                                  const std::string& where) {
  if (auto failure = expect_peer(stream.native_handle(), host, where)) return failure;
  stream.set_verify_mode(boost::asio::ssl::verify_peer);
  stream.set_verify_callback([host](bool preverified, boost::asio::ssl::verify_context& ctx) {
    return peer_name_matches(preverified, ctx, host);
  });
  return std::nullopt;
}

}  // namespace dvc
