// Profile files from outside (docs/profiles.md): the input is a profile, optionally followed by a line `----` and
// one JSON record. Properties: a profile is either compiled or refused with profile_error naming a file; a record
// read through a compiled profile is either read or refused with record_error (nothing else escapes, so one bad
// record never stops a run), and the dossier survives the canonical JSON round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "reconcile/bounded_json.hpp"
#include "reconcile/profile_error.hpp"
#include "reconcile/profile_file.hpp"
#include "reconcile/wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto cut = input.find("\n----\n");
  const std::string_view profile_text = input.substr(0, cut);
  // Whichever side the profile declares.
  std::optional<dvc::portal_profile> profile;
  for (const dvc::side s : {dvc::side::provincial, dvc::side::national}) {
    try {
      profile.emplace(dvc::parse_profile(profile_text, s, "fuzz.json"));
      break;
    } catch (const dvc::profile_error& e) {
      if (e.file != "fuzz.json") std::abort();
    }
  }
  if (!profile || cut == std::string_view::npos) return 0;
  dvc::json_limits limits;
  limits.max_bytes = 1 << 20;
  nlohmann::json record;
  try {
    record = dvc::parse_bounded(input.substr(cut + 6), limits);
  } catch (const dvc::json_error&) {
    return 0;
  }
  try {
    const dvc::dossier d = profile->record.read(record, {{"X", 4}}).value;
    const nlohmann::json once = dvc::to_json(d);
    if (dvc::to_json(dvc::dossier_from_json(once)) != once) std::abort();
  } catch (const dvc::record_error&) {
  }
  return 0;
}
