#pragma once
// Portal profile files (docs/profiles.md): found by name or path, read (JSON with comments), checked at the top
// level, and the `record` section compiled. The transport sections (auth, headers, errors, list, lookup) are handed
// on as JSON for the connectors to compile.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "reconcile/dossier.hpp"
#include "reconcile/record_profile.hpp"

namespace dvc {

struct portal_profile {
  std::string name;  // the profile's `name`
  std::string file;  // what messages name: the path as given, or `shipped profile contract (provincial)`
  side origin = side::provincial;
  std::string protocol;  // `rest` or `adapter`
  // The transport sections as written; null when absent.
  nlohmann::json auth, headers, errors, list, lookup;
  record_profile record;
  // The whole profile in the order it is written, for the connectors to compile its transport sections: query
  // parameters are sent in the order the profile lists them.
  nlohmann::ordered_json document;
};

// A name without `/` and without `.json` is a shipped profile of side `s`; anything else is a file path, relative
// to `base_dir` when not absolute. Throws profile_error naming the file and the key at fault.
portal_profile load_profile(std::string_view name_or_path, side s, const std::filesystem::path& base_dir = {});
// A profile from its text; `file` names it in messages.
portal_profile parse_profile(std::string_view text, side s, const std::string& file);
// A shipped profile, compiled once; throws profile_error when there is none of that name for side `s`.
const portal_profile& shipped_profile(std::string_view name, side s);
// `contract, shape-b`: the shipped names of side `s`, for messages and `--help`.
std::string shipped_profile_names(side s);

// The shipped profiles' text, built in from profiles/*.json (reconcile/embed_profiles.cmake); `stem` is the file
// name without `.json`, e.g. `contract-provincial`.
struct shipped_profile_text {
  std::string_view stem;
  std::string_view text;
};
std::span<const shipped_profile_text> shipped_profile_texts();

}  // namespace dvc
