#pragma once
// The province the simulator serves: Bình Phước's departments and district people's committees (those named in
// the provincial report on overdue dossiers, seeds/000), their procedures and sectors, and the name pools for
// applicants and officials. All text is NFC UTF-8; the renderer decides when to send it decomposed.
#include <cstdint>
#include <span>
#include <string_view>

namespace dvc::sim {

enum class unit_level : std::uint8_t { department, district };

struct unit_info {
  std::string_view code;  // 000.00.NN.H10
  std::string_view name;
  unit_level level;
  std::string_view desk;    // the one-stop desk that receives dossiers
  std::string_view leader;  // position of the official who signs results
  std::uint8_t weight;      // relative dossier volume
};

struct procedure_info {
  std::string_view code;  // 1.003560
  std::string_view name;
  std::string_view sector_code;
  std::string_view sector_name;
  unit_level level;
  std::string_view department;  // the specialist office that appraises the dossier
  std::string_view result;      // name of the result document
  std::uint8_t days;            // statutory processing time in days
};

struct person_name {
  std::string_view text;
  std::string_view ascii;  // for e-mail addresses
};

std::span<const unit_info> units();
std::span<const procedure_info> procedures();
// Indexes into procedures() that a unit of the given level handles.
std::span<const std::uint8_t> procedures_for(unit_level level);

std::span<const person_name> family_names();
std::span<const std::string_view> middle_names();
std::span<const person_name> given_names();
std::span<const std::string_view> business_names();
std::span<const std::string_view> organisation_names();

// The province as a whole, accepted as `madonvi` to mean every unit.
inline constexpr std::string_view province_code = "000.00.00.H10";
inline constexpr std::string_view portal_host = "dichvucong.binhphuoc.gov.vn";

}  // namespace dvc::sim
