#pragma once
// Building answers and reading query strings, for the simulator's endpoints (inside sim/ only).
#include <boost/beast/http.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/portal_service.hpp"

namespace dvc::sim {

http::response<http::string_body> make_response(http::status status, std::string body);
reply answer(http::status status, std::string body);
// A REST error: `{"error": …, "message": …}`.
reply rest_error(http::status status, std::string_view error, std::string_view message);

std::string percent_decode(std::string_view s, bool plus_is_space);
// Value of `name` in a query string or form body; nullopt when absent.
std::optional<std::string> param(std::string_view query, std::string_view name, bool plus_is_space);
// A whole number written in full; nullopt otherwise.
std::optional<std::int64_t> integer(std::string_view s);

}  // namespace dvc::sim
