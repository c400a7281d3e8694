#include "connectors/portal_support.hpp"

#include <fstream>

#include "connectors/transport_profile.hpp"
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

page_limits page_limits_of(const http_client_config& config) {
  page_limits l;
  l.envelope.max_bytes = config.body_limit;
  l.envelope.max_depth = config.json_max_depth;
  l.envelope.max_string = config.string_limit;
  l.record.max_bytes = config.record_limit;
  l.record.max_depth = config.json_max_depth;
  l.record.max_string = config.string_limit;
  return l;
}

result<parsed_page> parse_page(const std::string& body, const json_path& records, const json_path& id,
                               const http_client_config& config, const std::string& description) {
  auto split = split_page(body, records, id, page_limits_of(config), description);
  if (split) return parsed_page{std::move(split).value(), true};
  // Not a page: an answer without the array is still read as a whole, so that the caller sees what it says (an
  // adapter's error code); text that is not JSON keeps split_page's reason.
  auto whole = parse_body(body, config, description);
  if (!whole) return split.error();
  parsed_page out;
  out.page.envelope = std::move(whole).value();
  return out;
}

std::vector<keyset_pager::entry> pager_entries(const std::vector<page_record>& records, const json_path& id,
                                               const updated_reader& updated, const std::string& description) {
  std::vector<keyset_pager::entry> out;
  out.reserve(records.size());
  for (const page_record& r : records) {
    if (r.value)
      out.push_back({record_identity(*r.value, id), updated(*r.value)});
    else
      out.push_back({"\x1f" + (r.id.empty() ? description + " #" + std::to_string(r.position) : r.id), std::nullopt});
  }
  return out;
}

std::string record_identity(const nlohmann::json& record, const json_path& id) {
  if (const nlohmann::json* value = find_at(record, id); value && !id.empty() && !value->is_null())
    return value->is_string() ? value->get<std::string>() : value->dump();
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
