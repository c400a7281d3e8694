#pragma once
// Reads one side's export file (JSON array or JSON lines) record by record, maps each through a profile and
// hands it on; a malformed record is reported as `file:line: reason` on the error stream (control characters
// escaped: the reason may quote the record) and skipped.
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "reconcile/dossier.hpp"
#include "reconcile/record_profile.hpp"
#include "reconcile/record_reader.hpp"
#include "reconcile/status.hpp"

namespace dvc {

struct export_stats {
  std::int64_t records = 0;    // mapped and handed on
  std::int64_t malformed = 0;  // reported and skipped
  std::int64_t warnings = 0;   // kept, reported (unknown status code …)
};

// Calls `sink(dossier, line)` for each usable record, `line` being where it starts in the file. Throws file_error when the
// file cannot be opened, or when it holds records but not one of them could be read (not an export at all).
// Records are read through `profile` (docs/profiles.md#record); `statuses` carries the configuration's status_map
// overrides.
export_stats read_export(const std::string& path, const record_profile& profile, const status_map& statuses,
                         std::ostream& errors, const std::function<void(dossier&&, std::size_t line)>& sink);
// The same in the contract shape of side `s` (the shipped `contract` profiles).
export_stats read_export(const std::string& path, side s, const status_map& statuses, std::ostream& errors,
                         const std::function<void(dossier&&, std::size_t line)>& sink);

}  // namespace dvc
