#include "config/side_profile.hpp"

namespace dvc {
namespace {

side_profile compiled(portal_profile profile) {
  side_profile out;
  auto transport = compile_transport(profile.document, profile.file);
  out.portal = std::make_shared<const portal_profile>(std::move(profile));
  out.transport = std::make_shared<const transport_profile>(std::move(transport));
  return out;
}

}  // namespace

side_profile side_profile::load(std::string_view name_or_path, side s, const std::filesystem::path& base_dir) {
  return compiled(load_profile(name_or_path, s, base_dir));
}

const side_profile& side_profile::contract(side s) {
  static const side_profile provincial = compiled(shipped_profile("contract", side::provincial));
  static const side_profile national = compiled(shipped_profile("contract", side::national));
  return s == side::provincial ? provincial : national;
}

}  // namespace dvc
