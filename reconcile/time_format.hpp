#pragma once
// The time formats portal profiles name (docs/profiles.md#record and #list): how a record's times are read, and how
// a listing's `{since}` / `{until}` are written. Every format reads "" as absent.
#include <optional>
#include <string>
#include <string_view>

#include "reconcile/instant.hpp"

namespace dvc {

// How a time value in a record is written.
enum class read_format {
  iso8601,    // `2024-07-15T08:00:00+07:00`, `+0700` or `Z`; no offset is Vietnam time (parse_iso_time)
  compact,    // `yyyyMMddHHmmss`, Vietnam time
  day_first,  // `dd/MM/yyyy HH:mm:ss`, Vietnam time
  epoch_ms,   // milliseconds since 1970-01-01T00:00:00Z, as digits (a leading `-` allowed)
};

// How `{since}` / `{until}` are written into a request.
enum class write_format {
  iso8601_utc,  // `2024-07-15T01:00:00Z`
  iso8601_vn,   // `2024-07-15T08:00:00+07:00`
  compact,      // `yyyyMMddHHmmss`, Vietnam time
  epoch_ms,     // milliseconds since 1970
};

// By the names profiles use; nullopt for any other name.
std::optional<read_format> read_format_named(std::string_view name);
std::optional<write_format> write_format_named(std::string_view name);
// The accepted names, for messages: `iso8601, yyyyMMddHHmmss, dd/MM/yyyy HH:mm:ss, epoch_ms`.
std::string_view read_format_names();
std::string_view write_format_names();

// Throws std::invalid_argument naming the text on anything the format does not accept.
maybe_instant parse_time(std::string_view text, read_format format);
std::string format_time(instant t, write_format format);

}  // namespace dvc
