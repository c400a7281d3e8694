// Portal bodies from outside: the bounded parse, then the wire mapping of both sides (docs/wire-formats.md).
// Properties: a body is either parsed or refused with json_error; a record is either mapped or refused with
// record_error (the offline reader catches nothing else, so any other exception would lose the whole file);
// a mapped dossier survives the ledger's canonical JSON round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "reconcile/bounded_json.hpp"
#include "reconcile/status.hpp"
#include "reconcile/wire.hpp"

namespace {

void check_round_trip(const dvc::dossier& d) {
  const nlohmann::json once = dvc::to_json(d);
  if (dvc::to_json(dvc::dossier_from_json(once)) != once) std::abort();
}

void map_record(const nlohmann::json& record) {
  static const dvc::status_map statuses;
  try {
    check_round_trip(dvc::parse_provincial(record, statuses).value);
  } catch (const dvc::record_error&) {
  }
  try {
    check_round_trip(dvc::parse_national(record).value);
  } catch (const dvc::record_error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dvc::json_limits limits;
  limits.max_bytes = 1 << 20;
  nlohmann::json body;
  try {
    body = dvc::parse_bounded(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  } catch (const dvc::json_error&) {
    return 0;
  }
  // A page carries its records in `content` (provincial) or `result` (national); a file holds an array.
  for (const char* field : {"content", "result"}) {
    if (body.is_object() && body.contains(field) && body[field].is_array()) {
      for (const auto& record : body[field]) map_record(record);
    }
  }
  if (body.is_array()) {
    for (const auto& record : body) map_record(record);
  } else {
    map_record(body);
  }
  return 0;
}
