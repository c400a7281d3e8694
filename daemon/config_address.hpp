#pragma once
// Checks of the addresses a configuration names: portal base URLs (CONTRACT §7: plain http only to loopback)
// and the API's `host:port`. Errors are values, one sentence each, never quoting user credentials.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dvc {

struct url_parts {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // without brackets for IPv6 literals
  std::uint16_t port = 0;  // explicit, or 80 / 443 by scheme
  std::string target;  // path and query, "/" when the URL has none
};

struct url_check {
  std::optional<url_parts> url;
  std::string error;  // why the text is not a usable URL, when `url` is empty
};

// Parses an absolute http(s) URL. Refuses user info (`user:pass@`), fragments, whitespace and control
// characters, a missing or malformed host, and ports outside 1..65535.
url_check parse_http_url(std::string_view text);

// Back to text, the port shown only when it is not the scheme's default; safe to print (no credentials).
std::string to_string(const url_parts& url);

// localhost, 127.0.0.0/8 and ::1: the hosts plain http may reach (the simulator, tests).
bool is_loopback_host(std::string_view host);

struct listen_address {
  std::string host;  // IPv4 or IPv6 literal (no brackets) or a host name
  std::uint16_t port = 0;  // 0 lets the kernel choose, for tests
};

struct listen_check {
  std::optional<listen_address> address;
  std::string error;
};

// `127.0.0.1:8470`, `[::1]:8470`, `localhost:8470`.
listen_check parse_listen_address(std::string_view text);

}  // namespace dvc
