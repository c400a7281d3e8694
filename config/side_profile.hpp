#pragma once
// The profile a side is read through (docs/profiles.md), loaded and compiled once at start: its record mapping
// (reconcile/profile_file.hpp) and its transport (connectors/transport_profile.hpp).
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "connectors/transport_profile.hpp"
#include "reconcile/profile_file.hpp"

namespace dvc {

struct side_profile {
  std::shared_ptr<const portal_profile> portal;
  std::shared_ptr<const transport_profile> transport;

  // A shipped profile's name or a file path relative to `base_dir` (docs/profiles.md). Throws profile_error naming
  // the file and the key at fault.
  static side_profile load(std::string_view name_or_path, side s, const std::filesystem::path& base_dir);
  // The shipped `contract` profile of side `s`, compiled once: what a side reads without a `profile` key.
  static const side_profile& contract(side s);

  // The national adapter has no list service: dossiers are looked up one by one (docs/lookups.md).
  bool lookup_only() const { return !transport->list; }
};

}  // namespace dvc
