#pragma once
// The province the simulator serves, as data: sim/data/dong-nai.json or sim/data/binh-phuoc.json built in, or a
// file given with `dvcrecon sim --province FILE` (docs/simulator.md, "Data"). Its units, the level of each
// (department, district, …: any names), the procedures each level handles, the name pools for applicants and
// officials, and the successions of a reorganisation: units of both eras, each receiving dossiers in its own.
// A province after a reorganisation is described by another such file, not by code.
#include <climits>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reconcile/unit_successions.hpp"

namespace dvc::sim {

class data_object;

struct province_info {
  std::string code;  // the province as a whole, accepted as national `madonvi` for every unit
  std::string name;
  std::string portal_host;  // host of the result-document links
};

struct unit_info {
  std::string code;  // 000.00.12.H10
  std::string name;
  std::string level;
  std::string desk;          // the one-stop desk that receives dossiers
  std::string leader;        // position of the official who signs results
  std::uint32_t weight = 1;  // relative dossier volume
  // Unix seconds: it receives dossiers from `since` (its `since` key) until `until` (the `since` of the succession
  // naming it as `from`), exclusive.
  std::int64_t since = INT64_MIN, until = INT64_MAX;
};

// The units receiving dossiers from `start` until the next era's start: the catalog's units split at every
// `since` of a unit or a succession.
struct unit_era {
  std::int64_t start = INT64_MIN;  // unix seconds
  std::vector<std::uint16_t> units;
  std::uint32_t total_weight = 0;
};

struct procedure_info {
  std::string code;  // 1.003560
  std::string name;
  std::string name_en;
  std::string sector_code;
  std::string sector_name;
  std::string department;  // the specialist office that appraises the dossier
  std::string result;      // name of the result document
  std::uint16_t days = 1;  // statutory processing time
};

struct person_name {
  std::string text;
  std::string ascii;  // for e-mail addresses
};

struct name_pools {
  std::vector<person_name> family, given;
  std::vector<std::string> middle, businesses, organisations;
};

class catalog {
 public:
  // The built-in province before the 2025 reorganisation (sim/data/binh-phuoc.json): one era, no successions.
  static std::shared_ptr<const catalog> builtin();
  // The built-in province today (sim/data/dong-nai.json), the default of `dvcrecon sim` and `demo`.
  static std::shared_ptr<const catalog> merged();
  // Throws data_error naming the file and the key at fault.
  static std::shared_ptr<const catalog> from_file(const std::filesystem::path& file);
  static std::shared_ptr<const catalog> from_text(std::string_view text, const std::string& source);

  const province_info& province() const { return province_; }
  std::span<const unit_info> units() const { return units_; }
  std::span<const procedure_info> procedures() const { return procedures_; }
  // Indexes into procedures() of those the unit's level handles; never empty.
  std::span<const std::uint16_t> procedures_of(std::uint16_t unit) const { return by_level_[unit_level_[unit]]; }
  bool same_level(std::uint16_t a, std::uint16_t b) const { return unit_level_[a] == unit_level_[b]; }
  // Another unit has the same level and another current unit (a dossier moved to it changes unit even when
  // successions are read).
  bool has_peer(std::uint16_t unit) const;
  // The units receiving dossiers at `t` (unix seconds).
  const unit_era& era_at(std::int64_t t) const;
  std::span<const unit_era> eras() const { return eras_; }
  // The successions in the file's order, and the table they build (docs/configuration.md#successions).
  std::span<const dvc::unit_succession> successions() const { return succession_list_; }
  const dvc::unit_successions& succession_table() const { return successions_; }
  // The unit a unit's code resolves to today (itself when it has no successor).
  std::uint16_t current(std::uint16_t unit) const { return current_[unit]; }
  // A unit by its code as the catalog writes it (upper case).
  std::optional<std::uint16_t> unit_index(std::string_view code) const;
  const name_pools& names() const { return names_; }

 private:
  catalog() = default;
  void read_successions(data_object& top);
  void split_eras(data_object& top);

  province_info province_;
  std::vector<unit_info> units_;
  std::vector<procedure_info> procedures_;
  std::vector<std::uint16_t> unit_level_;             // unit → level number
  std::vector<std::vector<std::uint16_t>> by_level_;  // level number → procedures
  std::unordered_map<std::string, std::uint16_t> by_code_;
  std::vector<unit_era> eras_;  // by start, the first from INT64_MIN
  std::vector<dvc::unit_succession> succession_list_;
  dvc::unit_successions successions_;
  std::vector<std::uint16_t> current_;  // unit → its current unit
  name_pools names_;
};

}  // namespace dvc::sim
