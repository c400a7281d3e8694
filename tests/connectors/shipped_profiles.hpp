#pragma once
// The shipped profiles (profiles/*.json) as the tests read them: parsed with comments, keeping the order of their
// members, and their transport sections compiled.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include "connectors/transport_profile.hpp"

namespace dvc::test {

inline nlohmann::ordered_json shipped_profile_json(const std::string& name) {
  const std::string path = std::string(DVC_PROFILES_DIR) + "/" + name + ".json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::ordered_json::parse(text.str(), nullptr, true, true);
}

inline transport_profile shipped_transport(const std::string& name) {
  return compile_transport(shipped_profile_json(name), name + ".json");
}

}  // namespace dvc::test
