#include "connectors/tls_setup.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/verify_context.hpp>

namespace dvc {
namespace asio = boost::asio;

namespace {

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// The peer certificate must name `host` in a subject alternative name. Asio's host_name_verification, like
// OpenSSL's default, falls back to the subject CN when a certificate has no DNS name, which RFC 6125 deprecates:
// a CN is not bound to a purpose the way a SAN is, so a certificate without one is refused.
constexpr unsigned int san_only = X509_CHECK_FLAG_NEVER_CHECK_SUBJECT;

}  // namespace

result<asio::ssl::context> client_tls_context(const std::string& ca_file, const std::string& where) {
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  tls.set_verify_mode(asio::ssl::verify_peer);
  boost::system::error_code ec;
  if (ca_file.empty()) {
    tls.set_default_verify_paths(ec);
    if (ec)
      return connector_error{error_kind::config,
                             "The system CA store cannot be loaded for " + where + ": " + ec.message() + "."};
  } else {
    tls.load_verify_file(ca_file, ec);
    if (ec)
      return connector_error{error_kind::config,
                             "CA file '" + ca_file + "' for " + where + " cannot be loaded: " + ec.message() + "."};
  }
  return tls;
}

std::optional<connector_error> expect_peer(SSL* ssl, const std::string& host, const std::string& where) {
  // SNI, so a load balancer serving several names presents this one's certificate. Not for IP literals
  // (RFC 6066 forbids them there).
  if (!is_ip_literal(host) && !SSL_set_tlsext_host_name(ssl, host.c_str()))
    return connector_error{error_kind::tls, "Setting the TLS server name for " + where + " failed."};
  // The peer name is checked by OpenSSL itself, which records why it failed ("hostname mismatch") for the
  // error message, and again by our own callback; neither accepts a name found only in the subject CN.
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(param, san_only);
  const bool name_set = is_ip_literal(host) ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1
                                            : X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0) == 1;
  if (!name_set)
    return connector_error{error_kind::tls, "Setting the expected TLS peer name for " + where + " failed."};
  return std::nullopt;
}

bool peer_name_matches(bool preverified, asio::ssl::verify_context& ctx, const std::string& host) {
  if (!preverified) return false;
  // Only the leaf names the peer; the chain above it was verified by OpenSSL.
  if (X509_STORE_CTX_get_error_depth(ctx.native_handle()) > 0) return true;
  X509* cert = X509_STORE_CTX_get_current_cert(ctx.native_handle());
  if (is_ip_literal(host)) return X509_check_ip_asc(cert, host.c_str(), san_only) == 1;
  return X509_check_host(cert, host.c_str(), host.size(), san_only, nullptr) == 1;
}

std::string handshake_failure(SSL* ssl, const boost::system::error_code& ec) {
  std::string why = ec.message();
  const long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK)
    why += "; the server's certificate was refused: " + std::string(X509_verify_cert_error_string(verify));
  return why;
}

}  // namespace dvc
