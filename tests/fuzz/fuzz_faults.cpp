// The simulator's `--faults SPEC` parser. Properties: a spec is parsed or refused with a message, never both,
// never neither; shares stay within [0, 1].
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sim/faults.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parsed = dvc::sim::parse_faults(std::string_view(reinterpret_cast<const char*>(data), size));
  if (parsed.spec.has_value() == !parsed.error.empty()) std::abort();
  if (parsed.spec) {
    for (const double share :
         {parsed.spec->error5xx, parsed.spec->rate429, parsed.spec->truncate, parsed.spec->drift, parsed.spec->hang}) {
      if (!(share >= 0 && share <= 1)) std::abort();
    }
  }
  return 0;
}
