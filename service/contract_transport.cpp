#include "service/contract_transport.hpp"

#include <string_view>

namespace dvc {
namespace {

constexpr std::string_view provincial_text =
#include "contract-provincial.json.inc"
    ;
constexpr std::string_view national_text =
#include "contract-national.json.inc"
    ;

transport_profile compile(std::string_view text, const char* file) {
  return compile_transport(nlohmann::ordered_json::parse(text, nullptr, true, true), file);
}

}  // namespace

const transport_profile& contract_transport(side s) {
  static const transport_profile provincial = compile(provincial_text, "profiles/contract-provincial.json");
  static const transport_profile national = compile(national_text, "profiles/contract-national.json");
  return s == side::provincial ? provincial : national;
}

}  // namespace dvc
