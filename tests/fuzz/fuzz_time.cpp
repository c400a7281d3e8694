// Both portals' timestamps (docs/wire-formats.md#times). Properties: a text is parsed or refused with
// std::invalid_argument; whatever parses formats back to a text that parses to the same instant, in each of the three
// wire forms.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "reconcile/instant.hpp"

namespace {

void check_formats(dvc::instant t) {
  // The national form has four-digit years only; outside them it cannot round-trip and is not used.
  if (t < -62135596800 + 86400 || t > 253402300799 - 86400) return;
  if (dvc::parse_iso_time(dvc::format_vietnam_iso(t)) != t) std::abort();
  if (dvc::parse_iso_time(dvc::format_utc_iso(t)) != t) std::abort();
  if (dvc::parse_national_time(dvc::format_national_time(t)) != t) std::abort();
  const auto date = dvc::vietnam_date(t);
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > 31) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    if (const auto t = dvc::parse_iso_time(text)) check_formats(*t);
  } catch (const std::invalid_argument&) {
  }
  try {
    if (const auto t = dvc::parse_national_time(text)) check_formats(*t);
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
