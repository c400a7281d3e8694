#pragma once
// Portal URLs split into what a connection needs. Plain http is accepted only towards loopback hosts (the
// simulator, tests): anything that leaves the machine goes over verified TLS (docs/wire-formats.md#https).
#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/connector_error.hpp"

namespace dvc {

struct endpoint_url {
  std::string scheme;      // "http" or "https"
  std::string host;        // lower-cased; IPv6 literals without brackets
  std::uint16_t port = 0;  // explicit, or 80 / 443 by scheme
  std::string target;      // path and query, "/" when the URL has none

  bool tls() const { return scheme == "https"; }
  // `host` or `host:port` as the Host header wants it (brackets around IPv6, port only when not default).
  std::string host_header() const;
  // `https://host[:port]`: safe to print, and what identifies one keep-alive connection.
  std::string origin() const;
  // `origin()` + `target`.
  std::string text() const;
};

// Parses an absolute http(s) URL. Refuses user info (credentials do not belong in a URL that may be logged),
// fragments, whitespace and control characters, a malformed host or port, and plain http to a host that is
// not loopback. Errors are `config` errors naming the URL.
result<endpoint_url> parse_endpoint_url(std::string_view text);

// `localhost`, 127.0.0.0/8 and ::1, without resolving anything.
bool is_loopback_endpoint_host(std::string_view host);

// A path segment or query value with everything outside RFC 3986 unreserved characters %-encoded.
std::string percent_encode(std::string_view text);

}  // namespace dvc
