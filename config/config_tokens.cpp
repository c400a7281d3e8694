#include "config/config_tokens.hpp"

#include <algorithm>
#include <map>

#include "config/config_reader.hpp"
#include "reconcile/bounded_json.hpp"

namespace dvc {

namespace {

bool is_sha256_hex(std::string_view s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::vector<api_token> parse_tokens(std::string_view text, std::vector<config_problem>& problems) {
  nlohmann::json doc;
  try {
    doc = parse_bounded(text, json_limits{.max_bytes = max_secret_bytes, .max_depth = 4, .max_string = 1024});
  } catch (const json_error& e) {
    problems.push_back({"", std::string("is not valid JSON: ") + e.what()});
    return {};
  }
  config_problems found;
  std::vector<api_token> out;
  config_object root(doc, "", found);
  if (const auto* list = root.member("tokens", presence::required)) {
    if (!list->is_array()) {
      found.add("tokens", wrong_type("an array", *list));
    } else {
      std::map<std::string, std::size_t, std::less<>> names, hashes;
      for (std::size_t i = 0; i < list->size(); ++i) {
        config_object entry((*list)[i], "tokens[" + std::to_string(i) + "]", found);
        if (!entry.valid()) continue;
        api_token t;
        const auto name = entry.text("name", presence::required);
        const auto hash = entry.text("sha256", presence::required);
        const auto scope = entry.text("scope", presence::required);
        entry.report_unknown_keys();
        if (name) {
          if (name->size() > max_token_name_bytes) {
            found.add(entry.path_of("name"), "is longer than " + std::to_string(max_token_name_bytes) + " bytes");
          } else if (const auto [it, fresh] = names.emplace(*name, i); !fresh) {
            found.add(entry.path_of("name"), "\"" + *name + "\" is also tokens[" + std::to_string(it->second) + "]");
          } else {
            t.name = *name;
          }
        }
        if (hash) {
          if (!is_sha256_hex(*hash)) {
            found.add(entry.path_of("sha256"),
                      "must be the SHA-256 of the token as 64 lower-case hexadecimal digits "
                      "(printf %s \"$TOKEN\" | sha256sum)");
          } else if (const auto [it, fresh] = hashes.emplace(*hash, i); !fresh) {
            found.add(entry.path_of("sha256"), "is the same token as tokens[" + std::to_string(it->second) + "]");
          } else {
            t.sha256 = *hash;
          }
        }
        if (scope) {
          if (*scope == "read") {
            t.scope = token_scope::read;
          } else if (*scope == "ack") {
            t.scope = token_scope::ack;
          } else {
            found.add(entry.path_of("scope"), "must be \"read\" or \"ack\" (got " + *scope + ")");
          }
        }
        if (!t.name.empty() && !t.sha256.empty() && scope) out.push_back(std::move(t));
      }
    }
  }
  root.report_unknown_keys();
  auto taken = found.take();
  problems.insert(problems.end(), taken.begin(), taken.end());
  return taken.empty() ? out : std::vector<api_token>{};
}

}  // namespace dvc
