// The offline command's file reader (JSON array or JSON lines) on arbitrary file contents. Properties: it either
// refuses the file with file_error or yields items that each hold a record or an error, with line numbers that
// never go backwards and never pass the number of lines in the file; it always reaches the end.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "reconcile/record_reader.hpp"

namespace {

// One scratch file per fuzzing process, rewritten for every input.
const std::string& scratch_path() {
  static const std::string path = "/tmp/dvc_fuzz_records_" + std::to_string(::getpid()) + ".json";
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(scratch_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  std::size_t lines = 1;
  for (std::size_t i = 0; i < size; ++i) lines += data[i] == '\n';
  dvc::json_limits limits;
  limits.max_bytes = 1 << 16;
  limits.max_depth = 16;
  try {
    dvc::record_reader reader(scratch_path(), limits);
    std::size_t last_line = 0;
    std::size_t items = 0;
    while (auto item = reader.next()) {
      if (item->record.has_value() == !item->error.empty()) std::abort();
      if (item->line < last_line || item->line > lines) std::abort();
      last_line = item->line;
      // Every item consumes input, so there can never be more than one per byte (plus a final error).
      if (++items > size + 1) std::abort();
    }
  } catch (const dvc::file_error&) {
  }
  return 0;
}
