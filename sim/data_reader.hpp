#pragma once
// Reads the simulator's data files (sim/data/, or a province file given with `--province`) with errors that name
// the file and the key at fault, e.g. `province.json: units[3].weight: a whole number from 1 to 255 is expected`.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dvc::sim {

struct data_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses a data file's text (`//` and `/* */` comments allowed); `source` names it in errors.
nlohmann::json parse_data(std::string_view text, const std::string& source);

// One JSON object of a data file. Every key must be read: finish() refuses the ones that were not.
class data_object {
 public:
  data_object(const nlohmann::json& value, std::string source, std::string path);

  bool has(std::string_view key) const;    // for optional keys
  std::string text(std::string_view key);  // a non-empty string
  std::string text_or_empty(std::string_view key);
  std::int64_t whole(std::string_view key, std::int64_t low, std::int64_t high);
  data_object object(std::string_view key);
  std::vector<data_object> objects(std::string_view key);  // an array of objects, not empty
  std::vector<std::string> texts(std::string_view key);    // an array of non-empty strings, not empty
  // Throws a data_error naming this object's key.
  [[noreturn]] void fail(std::string_view key, std::string_view why) const;
  void finish() const;

 private:
  const nlohmann::json& member(std::string_view key);
  std::string where(std::string_view key) const;

  const nlohmann::json& value_;
  std::string source_, path_;
  std::set<std::string, std::less<>> read_;
};

}  // namespace dvc::sim
