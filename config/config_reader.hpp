#pragma once
// Reading one JSON object of the configuration while collecting problems instead of stopping at the first:
// each accessor reports a missing key, a wrong type or a value out of range under the key's full path, and
// `report_unknown_keys` names every key no accessor asked for.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace dvc {

class config_problems {
 public:
  void add(std::string path, std::string message) {
    items_.push_back({std::move(path), std::move(message), problem_origin::file});
  }
  // The file is right, but this machine lacks what it names (a directory, a readable secret).
  void add_host(std::string path, std::string message) {
    items_.push_back({std::move(path), std::move(message), problem_origin::host});
  }
  bool empty() const { return items_.empty(); }
  bool has(std::string_view path) const {
    for (const auto& p : items_)
      if (p.path == path) return true;
    return false;
  }
  bool only_host() const {
    for (const auto& p : items_)
      if (p.origin == problem_origin::file) return false;
    return true;
  }
  std::vector<config_problem> take() { return std::move(items_); }

 private:
  std::vector<config_problem> items_;
};

// `parent.key`, or `key` at the top level.
std::string join_path(std::string_view parent, std::string_view key);

enum class presence : std::uint8_t { required, optional };

class config_object {
 public:
  // When `value` is not an object the problem is reported at `path` and every accessor yields nothing.
  config_object(const nlohmann::json& value, std::string path, config_problems& problems);

  bool valid() const { return object_ != nullptr; }
  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return join_path(path_, key); }

  // The member, marked as known; nullptr (and a problem if required) when absent.
  const nlohmann::json* member(std::string_view key, presence p);
  // A non-empty string without control characters.
  std::optional<std::string> text(std::string_view key, presence p);
  // An integer within [min, max].
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max, presence p);
  // A number (integer or not) within [min, max].
  std::optional<double> number(std::string_view key, double min, double max, presence p);
  // A nested object; a reader that is not valid when absent or of another type.
  config_object object(std::string_view key, presence p);

  // Every member, for objects whose keys are data (status_map); empty when not valid.
  nlohmann::json::const_iterator begin() const;
  nlohmann::json::const_iterator end() const;

  // Names every key no accessor asked for; `hint` says what was expected instead.
  void report_unknown_keys(std::string_view hint = {});

 private:
  // An absent member: not valid, and nothing more to report about it.
  config_object(std::string path, config_problems& problems) : path_(std::move(path)), problems_(&problems) {}

  const nlohmann::json* object_ = nullptr;
  std::string path_;
  config_problems* problems_;
  std::set<std::string, std::less<>> known_;
};

// "expected a string, got number": the value itself is never quoted, since a misplaced secret could be it.
std::string wrong_type(std::string_view expected, const nlohmann::json& got);

}  // namespace dvc
