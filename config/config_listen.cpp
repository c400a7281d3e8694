#include "config/config_listen.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace dvc {

namespace {

bool ascii_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// RFC 1123 host name, or a dotted IPv4 literal: labels of letters, digits and inner hyphens.
bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = std::min(host.find('.', start), host.size());
    const std::string_view label = host.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), [](char c) { return ascii_alnum(c) || c == '-'; })) {
      return false;
    }
    if (dot == host.size()) break;
    start = dot + 1;
  }
  // All digits and dots: it must then be a real IPv4 address, not 999.1.1.1.
  const bool numeric = std::all_of(host.begin(), host.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
  boost::system::error_code ec;
  if (numeric) boost::asio::ip::make_address_v4(std::string(host), ec);
  return !ec;
}

}  // namespace

listen_check parse_listen_address(std::string_view text) {
  listen_check out;
  const auto fail = [&](std::string_view why) {
    out.error = "is not a valid host:port (" + std::string(text) + "): " + std::string(why);
    return out;
  };
  std::string_view host;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return fail("the IPv6 address has no closing ]");
    host = text.substr(1, close - 1);
    boost::system::error_code ec;
    boost::asio::ip::make_address_v6(std::string(host), ec);
    if (ec) return fail("malformed IPv6 address");
    rest = text.substr(close + 1);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return fail("no :port");
    host = text.substr(0, colon);
    if (!valid_host(host)) return fail("malformed host");
    rest = text.substr(colon);
  }
  if (rest.empty() || rest.front() != ':') return fail("no :port");
  const std::string_view digits = rest.substr(1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || port > 65535) {
    return fail("the port must be a number within 0..65535");
  }
  out.address = listen_address{std::string(host), static_cast<std::uint16_t>(port)};
  return out;
}

}  // namespace dvc
