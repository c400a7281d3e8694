#include "api/api_access.hpp"

#include <algorithm>
#include <cctype>

#include "schema/sha256.hpp"

namespace dvc {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The host part of a Host header: without the port, the brackets of an IPv6 literal and one trailing dot.
std::string host_of(std::string_view header) {
  std::string_view host = header;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    host = close == std::string_view::npos ? std::string_view() : host.substr(1, close - 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return lower(host);
}

bool token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' ||
         c == '/';
}

// RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
bool valid_b64token(std::string_view t) {
  std::size_t i = 0;
  while (i < t.size() && token_char(t[i])) ++i;
  if (i == 0) return false;
  while (i < t.size() && t[i] == '=') ++i;
  return i == t.size();
}

bool same_length_equal(std::string_view a, std::string_view b) {
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

bool host_allowed(const http_settings& http, std::string_view host_header) {
  const std::string host = host_of(host_header);
  if (host.empty()) return false;
  if (is_loopback_host(host)) return true;
  if (host ==
      host_of(http.listen.host.find(':') != std::string::npos ? "[" + http.listen.host + "]" : http.listen.host))
    return true;
  return std::find(http.allowed_hosts.begin(), http.allowed_hosts.end(), host) != http.allowed_hosts.end();
}

authentication authenticate(const std::vector<api_token>& tokens, std::string_view header) {
  authentication out;
  if (header.empty()) return out;
  out.presented = true;
  constexpr std::string_view scheme = "bearer ";
  if (header.size() <= scheme.size() || lower(header.substr(0, scheme.size())) != scheme) {
    out.failure = "the Authorization header is not a Bearer token";
    return out;
  }
  const std::string_view token = header.substr(scheme.size());
  if (!valid_b64token(token)) {
    out.failure = "the bearer token holds characters a token may not have";
    return out;
  }
  if (token.size() < min_token_bytes) {
    out.failure = "the bearer token is shorter than " + std::to_string(min_token_bytes) + " bytes";
    return out;
  }
  const std::string digest = sha256_hex(token);
  for (const auto& t : tokens) {
    // Every entry is compared, so the time taken does not say which one matched.
    if (same_length_equal(digest, t.sha256) && !out.token) out.token = &t;
  }
  if (!out.token) out.failure = "the bearer token is not in the tokens file";
  return out;
}

}  // namespace dvc
