#include "daemon/config_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace dvc {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_ipv4(const std::string& host) {
  in_addr a{};
  return inet_pton(AF_INET, host.c_str(), &a) == 1;
}

bool is_ipv6(const std::string& host) {
  in6_addr a{};
  return inet_pton(AF_INET6, host.c_str(), &a) == 1;
}

// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, at most 63 bytes each and
// 253 in all. A name made only of digits and dots is an IPv4 literal and must parse as one.
std::optional<std::string> host_name_error(std::string_view host) {
  if (host.empty()) return "has no host";
  if (host.size() > 253) return "has a host name longer than 253 characters";
  bool numeric = true;
  std::size_t start = 0;
  while (start <= host.size()) {
    const std::size_t dot = std::min(host.find('.', start), host.size());
    const std::string_view label = host.substr(start, dot - start);
    const bool trailing_dot = label.empty() && dot == host.size() && start > 0;
    if (!trailing_dot) {
      if (label.empty() || label.size() > 63) return "has a malformed host name (" + std::string(host) + ")";
      for (const char c : label) {
        const auto u = static_cast<unsigned char>(c);
        if (!std::isalnum(u) && c != '-') return "has a malformed host name (" + std::string(host) + ")";
        if (!std::isdigit(u)) numeric = false;
      }
      if (label.front() == '-' || label.back() == '-') {
        return "has a malformed host name (" + std::string(host) + ")";
      }
    }
    start = dot + 1;
  }
  if (numeric && !is_ipv4(std::string(host))) return "has a malformed IPv4 address (" + std::string(host) + ")";
  return std::nullopt;
}

struct host_port {
  std::string host;
  std::optional<std::uint32_t> port;  // absent when the text has no `:port`
};

// Splits `host[:port]` or `[v6][:port]`; the error names what is wrong.
std::optional<host_port> split_host_port(std::string_view authority, std::string& error) {
  host_port out;
  std::string_view rest;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "has an IPv6 address without its closing ]";
      return std::nullopt;
    }
    out.host = std::string(authority.substr(1, close - 1));
    if (!is_ipv6(out.host)) {
      error = "has a malformed IPv6 address (" + out.host + ")";
      return std::nullopt;
    }
    rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      error = "has text after the IPv6 address";
      return std::nullopt;
    }
  } else {
    const std::size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (auto e = host_name_error(out.host)) {
      error = *e;
      return std::nullopt;
    }
    if (colon != std::string_view::npos) rest = authority.substr(colon);
  }
  if (!rest.empty()) {
    const std::string_view digits = rest.substr(1);
    if (digits.empty() || digits.size() > 5 ||
        !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); })) {
      error = "has a malformed port (" + std::string(digits) + ")";
      return std::nullopt;
    }
    out.port = static_cast<std::uint32_t>(std::stoul(std::string(digits)));
    if (*out.port > 65535) {
      error = "has a port outside 0..65535 (" + std::string(digits) + ")";
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  const std::string h = lower(host);
  if (h == "localhost" || h == "localhost.") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) return std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
  return false;
}

url_check parse_http_url(std::string_view text) {
  url_check out;
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      out.error = "must not contain spaces or control characters";
      return out;
    }
  }
  const std::size_t sep = text.find("://");
  if (sep == std::string_view::npos) {
    out.error = "is not an absolute URL (expected https://host/…)";
    return out;
  }
  url_parts url;
  url.scheme = lower(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") {
    out.error = "must use https:// (got " + url.scheme + "://)";
    return out;
  }
  const std::string_view after = text.substr(sep + 3);
  const std::size_t end = std::min(after.find_first_of("/?#"), after.size());
  const std::string_view authority = after.substr(0, end);
  // Checked before anything that could quote the URL back: user info would carry a password.
  if (authority.find('@') != std::string_view::npos) {
    out.error = "must not carry user credentials; secrets belong in the secret files";
    return out;
  }
  if (after.find('#') != std::string_view::npos) {
    out.error = "must not have a #fragment";
    return out;
  }
  std::string error;
  auto hp = split_host_port(authority, error);
  if (!hp) {
    out.error = error;
    return out;
  }
  if (hp->port && *hp->port == 0) {
    out.error = "has port 0";
    return out;
  }
  url.host = hp->host;
  url.port = static_cast<std::uint16_t>(hp->port.value_or(url.scheme == "https" ? 443 : 80));
  url.target = std::string(after.substr(end));
  if (url.target.empty() || url.target.front() != '/') url.target.insert(0, "/");
  out.url = std::move(url);
  return out;
}

std::string to_string(const url_parts& url) {
  std::string out = url.scheme + "://";
  out += url.host.find(':') == std::string::npos ? url.host : "[" + url.host + "]";
  const bool default_port = (url.scheme == "https" && url.port == 443) || (url.scheme == "http" && url.port == 80);
  if (!default_port) out += ":" + std::to_string(url.port);
  out += url.target;
  return out;
}

listen_check parse_listen_address(std::string_view text) {
  listen_check out;
  std::string error;
  auto hp = split_host_port(text, error);
  if (!hp) {
    out.error = "is not a valid host:port: " + std::string(text) + " " + error;
    return out;
  }
  if (!hp->port) {
    out.error = "is not a valid host:port: " + std::string(text) + " has no :port";
    return out;
  }
  out.address = listen_address{hp->host, static_cast<std::uint16_t>(*hp->port)};
  return out;
}

}  // namespace dvc
