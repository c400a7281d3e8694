#include "connectors/portal_support.hpp"

#include <fstream>

#include "reconcile/bounded_json.hpp"

namespace dvc {

connector_error status_error(const http_response& response, const std::string& description) {
  return {error_kind::http_status, description + ": HTTP " + std::to_string(response.status) + ".", response.status,
          response.retry_after};
}

result<nlohmann::json> parse_body(const std::string& body, const http_client_config& config,
                                  const std::string& description) {
  json_limits limits;
  limits.max_bytes = config.body_limit;
  limits.max_depth = config.json_max_depth;
  try {
    return parse_bounded(body, limits);
  } catch (const std::exception& e) {  // json_error, or anything the parser itself throws
    return connector_error{error_kind::malformed, description + ": the body is not usable JSON (" + e.what() + ")."};
  }
}

std::string record_identity(const nlohmann::json& record, const char* field) {
  if (record.is_object()) {
    if (const auto it = record.find(field); it != record.end() && !it->is_null())
      return it->is_string() ? it->get<std::string>() : it->dump();
  }
  return "\x1f" + record.dump();  // cannot collide with a real id
}

std::string string_field(const nlohmann::json& record, const char* field) {
  if (!record.is_object()) return {};
  const auto it = record.find(field);
  return it != record.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::optional<connector_error> check_ca_file(const std::string& key, const std::string& ca_file) {
  if (ca_file.empty() || std::ifstream(ca_file).is_open()) return std::nullopt;
  return config_error(key, "CA file '" + ca_file + "' cannot be opened.");
}

connector_error config_error(const std::string& key, const std::string& message) {
  return {error_kind::config, key + ": " + message};
}

}  // namespace dvc
