#include "sim/http_parts.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

namespace dvc::sim {

http::response<http::string_body> make_response(http::status status, std::string body) {
  http::response<http::string_body> r{status, 11};
  r.set(http::field::server, "dvcrecon-sim");
  r.set(http::field::content_type, "application/json; charset=utf-8");
  r.body() = std::move(body);
  r.prepare_payload();
  return r;
}

reply answer(http::status status, std::string body) {
  return {make_response(status, std::move(body)), {}, reply::action::respond};
}

reply rest_error(http::status status, std::string_view error, std::string_view message) {
  return answer(status, nlohmann::json{{"error", error}, {"message", message}}.dump());
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
  const auto hexval = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::optional<std::string> param(std::string_view query, std::string_view name, bool plus_is_space) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq), plus_is_space) == name) {
      return eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1), plus_is_space);
    }
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::int64_t> integer(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace dvc::sim
