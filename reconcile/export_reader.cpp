#include "reconcile/export_reader.hpp"

#include "reconcile/printable.hpp"
#include "reconcile/profile_file.hpp"

namespace dvc {

export_stats read_export(const std::string& path, const record_profile& profile, const status_map& statuses,
                         std::ostream& errors, const std::function<void(dossier&&, std::size_t line)>& sink) {
  record_reader reader(path);
  export_stats stats;
  std::string first_error;
  while (auto item = reader.next()) {
    const auto source = [&] { return path + ":" + std::to_string(item->line); };
    const auto fail = [&](const std::string& why) {
      ++stats.malformed;
      errors << printable(source() + ": " + why) << "\n";
      if (first_error.empty()) first_error = source() + ": " + why;
    };
    if (!item->record) {
      fail(item->error);
      continue;
    }
    try {
      // The configuration's status_map overrides the provincial profile's table only (docs/profiles.md).
      parsed_dossier parsed = profile.origin() == side::provincial ? profile.read(*item->record, statuses.overrides())
                                                                   : profile.read(*item->record);
      for (const auto& w : parsed.warnings) {
        ++stats.warnings;
        errors << printable(source() + ": " + parsed.value.key + ": " + w) << "\n";
      }
      ++stats.records;
      sink(std::move(parsed.value), item->line);
    } catch (const record_error& e) {
      fail(e.what());
    }
  }
  if (stats.records == 0 && stats.malformed > 0)
    throw file_error(path + ": not one record could be read (" + first_error + ")");
  return stats;
}

export_stats read_export(const std::string& path, side s, const status_map& statuses, std::ostream& errors,
                         const std::function<void(dossier&&, std::size_t line)>& sink) {
  return read_export(path, shipped_profile("contract", s).record, statuses, errors, sink);
}

}  // namespace dvc
