#pragma once
// The province the simulator serves, as data: sim/data/binh-phuoc.json built in, or a file given with
// `dvcrecon sim --province FILE` (docs/simulator.md, "Data"). Its units, the level of each (department,
// district, …: any names), the procedures each level handles, and the name pools for applicants and officials.
// A province after a reorganisation is described by another such file, not by code.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dvc::sim {

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
  // The built-in province (sim/data/binh-phuoc.json).
  static std::shared_ptr<const catalog> builtin();
  // Throws data_error naming the file and the key at fault.
  static std::shared_ptr<const catalog> from_file(const std::filesystem::path& file);
  static std::shared_ptr<const catalog> from_text(std::string_view text, const std::string& source);

  const province_info& province() const { return province_; }
  std::span<const unit_info> units() const { return units_; }
  std::span<const procedure_info> procedures() const { return procedures_; }
  // Indexes into procedures() of those the unit's level handles; never empty.
  std::span<const std::uint16_t> procedures_of(std::uint16_t unit) const { return by_level_[unit_level_[unit]]; }
  bool same_level(std::uint16_t a, std::uint16_t b) const { return unit_level_[a] == unit_level_[b]; }
  // Another unit has the same level.
  bool has_peer(std::uint16_t unit) const { return level_size_[unit_level_[unit]] > 1; }
  std::uint32_t total_weight() const { return total_weight_; }
  // A unit by its code as the catalog writes it (upper case).
  std::optional<std::uint16_t> unit_index(std::string_view code) const;
  const name_pools& names() const { return names_; }

 private:
  catalog() = default;

  province_info province_;
  std::vector<unit_info> units_;
  std::vector<procedure_info> procedures_;
  std::vector<std::uint16_t> unit_level_;             // unit → level number
  std::vector<std::vector<std::uint16_t>> by_level_;  // level number → procedures
  std::vector<std::size_t> level_size_;               // level number → units
  std::unordered_map<std::string, std::uint16_t> by_code_;
  std::uint32_t total_weight_ = 0;
  name_pools names_;
};

}  // namespace dvc::sim
