#include "connectors/endpoint_url.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace dvc {
namespace {

connector_error url_error(std::string_view text, std::string_view why) {
  return {error_kind::config, "URL '" + std::string(text) + "' " + std::string(why) + "."};
}

// ASCII only, whatever the process locale says.
bool ascii_alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool host_name_char(char c) { return ascii_alnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'; }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

}  // namespace

std::string endpoint_url::host_header() const {
  const bool v6 = host.find(':') != std::string::npos;
  std::string out = v6 ? "[" + host + "]" : host;
  const bool default_port = (tls() && port == 443) || (!tls() && port == 80);
  if (!default_port) out += ":" + std::to_string(port);
  return out;
}

std::string endpoint_url::origin() const { return scheme + "://" + host_header(); }

std::string endpoint_url::text() const { return origin() + target; }

bool is_loopback_endpoint_host(std::string_view host) {
  if (lower(host) == "localhost") return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  return !ec && address.is_loopback();
}

result<endpoint_url> parse_endpoint_url(std::string_view text) {
  if (text.empty()) return url_error(text, "is empty");
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7f) {
      // The text itself may be what is broken; do not echo control characters.
      return connector_error{error_kind::config, "URL contains whitespace or a control character."};
    }
  }
  endpoint_url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return url_error(text, "has no scheme (expected https:// or http://)");
  url.scheme = lower(text.substr(0, scheme_end));
  if (url.scheme != "https" && url.scheme != "http") return url_error(text, "has a scheme other than https or http");
  std::string_view rest = text.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    // Never echo the text: it holds credentials.
    return connector_error{error_kind::config, "URL carries user credentials (user:password@); put secrets in files."};
  }
  if (tail.find('#') != std::string_view::npos) return url_error(text, "has a fragment (#…)");

  std::string_view host;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return url_error(text, "has an unterminated IPv6 literal");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return url_error(text, "has text after the IPv6 literal");
      port_text = after.substr(1);
    }
    boost::system::error_code ec;
    boost::asio::ip::make_address_v6(std::string(host), ec);
    if (ec) return url_error(text, "has a malformed IPv6 literal");
  } else {
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    if (host.empty()) return url_error(text, "has no host");
    if (!std::all_of(host.begin(), host.end(), host_name_char) || host.front() == '.' || host.front() == '-')
      return url_error(text, "has a malformed host");
  }
  if (host.empty()) return url_error(text, "has no host");
  url.host = lower(host);

  if (authority.find(':') != std::string_view::npos && authority.front() != '[' && port_text.empty())
    return url_error(text, "has an empty port");
  if (!port_text.empty()) {
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
      return url_error(text, "has a port outside 1..65535");
    url.port = static_cast<std::uint16_t>(port);
  } else {
    url.port = url.tls() ? 443 : 80;
  }

  if (tail.empty())
    url.target = "/";
  else if (tail.front() == '?')
    url.target = "/" + std::string(tail);
  else
    url.target = std::string(tail);

  if (!url.tls() && !is_loopback_endpoint_host(url.host))
    return url_error(text, "uses plain http to a host that is not loopback; use https");
  return url;
}

std::string percent_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (ascii_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

}  // namespace dvc
