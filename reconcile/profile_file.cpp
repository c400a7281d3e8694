// docs/profiles.md#top-level: finding, reading and checking a profile file.
#include "reconcile/profile_file.hpp"

#include <array>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "reconcile/profile_error.hpp"

namespace dvc {
namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 9> top_keys{"name",   "side", "protocol", "auth",  "headers",
                                                   "errors", "list", "lookup",   "record"};

bool is_shipped_name(std::string_view name) {
  return name.find('/') == std::string_view::npos && !(name.size() >= 5 && name.substr(name.size() - 5) == ".json");
}

std::string stem_of(std::string_view name, side s) { return std::string(name) + "-" + std::string(side_name(s)); }

// The object member `key`, or null when absent; refused when present and not an object.
json section(const json& root, std::string_view key, const std::string& file) {
  const auto it = root.find(key);
  if (it == root.end()) return nullptr;
  if (!it->is_object())
    throw profile_error(file, std::string(key), "expected an object, got " + std::string(it->type_name()));
  return *it;
}

std::string text_member(const json& root, std::string_view key, const std::string& file) {
  const auto it = root.find(key);
  if (it == root.end()) throw profile_error(file, std::string(key), "missing");
  if (!it->is_string() || it->get_ref<const std::string&>().empty())
    throw profile_error(file, std::string(key), "expected a non-empty string");
  return it->get<std::string>();
}

}  // namespace

portal_profile parse_profile(std::string_view text, side s, const std::string& file) {
  json root;
  try {
    root = json::parse(text, nullptr, true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    throw profile_error(file, "", std::string("not valid JSON: ") + e.what());
  }
  if (!root.is_object()) throw profile_error(file, "", "expected a JSON object, got " + std::string(root.type_name()));
  for (const auto& [k, v] : root.items()) {
    bool known = false;
    for (const auto t : top_keys) known = known || t == k;
    if (!known)
      throw profile_error(file, k,
                          "unknown key (expected one of: name, side, protocol, auth, headers, errors, list, lookup, "
                          "record)");
  }
  const std::string name = text_member(root, "name", file);
  const std::string declared = text_member(root, "side", file);
  if (declared != "provincial" && declared != "national")
    throw profile_error(file, "side", "expected \"provincial\" or \"national\", got \"" + declared + "\"");
  if (declared != side_name(s))
    throw profile_error(file, "side",
                        "a " + declared + " profile cannot read the " + std::string(side_name(s)) + " side");
  const std::string protocol = text_member(root, "protocol", file);
  if (protocol != "rest" && protocol != "adapter")
    throw profile_error(file, "protocol", "expected \"rest\" or \"adapter\", got \"" + protocol + "\"");
  json auth = section(root, "auth", file);
  if (auth.is_null()) throw profile_error(file, "auth", "missing");
  json errors = section(root, "errors", file);
  if (!errors.is_null() && protocol != "adapter")
    throw profile_error(file, "errors", "only an adapter reports errors in the body");
  json list = section(root, "list", file);
  json lookup = section(root, "lookup", file);
  if (list.is_null() && s == side::provincial)
    throw profile_error(file, "list", "missing: a provincial profile must list");
  if (list.is_null() && lookup.is_null())
    throw profile_error(file, "lookup", "missing: a profile without `list` must say how to look dossiers up");
  const auto record = root.find("record");
  if (record == root.end()) throw profile_error(file, "record", "missing");
  return portal_profile{name,
                        file,
                        s,
                        protocol,
                        std::move(auth),
                        section(root, "headers", file),
                        std::move(errors),
                        std::move(list),
                        std::move(lookup),
                        record_profile(*record, s, file),
                        nlohmann::ordered_json::parse(text, nullptr, true, /*ignore_comments=*/true)};
}

const portal_profile& shipped_profile(std::string_view name, side s) {
  // Every shipped profile compiled once, on first use.
  static const std::vector<std::pair<std::string, portal_profile>> all = [] {
    std::vector<std::pair<std::string, portal_profile>> out;
    for (const auto& p : shipped_profile_texts()) {
      const side sd = p.stem.ends_with("-provincial") ? side::provincial : side::national;
      const std::string_view shipped = p.stem.substr(0, p.stem.rfind('-'));
      out.emplace_back(std::string(p.stem), parse_profile(p.text, sd,
                                                          "shipped profile " + std::string(shipped) + " (" +
                                                              std::string(side_name(sd)) + ")"));
    }
    return out;
  }();
  const std::string stem = stem_of(name, s);
  for (const auto& [k, p] : all)
    if (k == stem) return p;
  throw profile_error(std::string(name), "",
                      "no shipped " + std::string(side_name(s)) + " profile of that name (shipped: " +
                          shipped_profile_names(s) + "; a profile file is named by a path with / or ending in .json)");
}

std::string shipped_profile_names(side s) {
  const std::string suffix = "-" + std::string(side_name(s));
  std::string out;
  for (const auto& p : shipped_profile_texts())
    if (p.stem.ends_with(suffix))
      out.append(out.empty() ? "" : ", ").append(p.stem.substr(0, p.stem.size() - suffix.size()));
  return out;
}

portal_profile load_profile(std::string_view name_or_path, side s, const std::filesystem::path& base_dir) {
  if (is_shipped_name(name_or_path)) return shipped_profile(name_or_path, s);
  std::filesystem::path path(name_or_path);
  if (path.is_relative() && !base_dir.empty()) path = base_dir / path;
  const std::string file(name_or_path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw profile_error(file, "", "cannot be read (" + path.string() + ")");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_profile(text.str(), s, file);
}

}  // namespace dvc
