#pragma once
// A portal profile that cannot be used (docs/profiles.md): names the file and the key at fault, e.g.
// `shape-x.json: record.fields.channel.table: no table "chanel"`. Reported by `check-config`; exit status 2.
#include <stdexcept>
#include <string>

namespace dvc {

struct profile_error : std::runtime_error {
  std::string file;  // as the configuration names it, or `shipped profile contract (provincial)`
  std::string key;   // dotted path of the key at fault; empty when the file as a whole is at fault
  profile_error(std::string file_name, std::string key_path, const std::string& message)
      : std::runtime_error(file_name + ": " + (key_path.empty() ? std::string() : key_path + ": ") + message),
        file(std::move(file_name)),
        key(std::move(key_path)) {}
};

}  // namespace dvc
