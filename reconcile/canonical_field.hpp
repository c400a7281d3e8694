#pragma once
// The canonical fields of a dossier (docs/profiles.md#canonical-fields), named as profiles name them, and a compact
// set of them: which fields are unknown for a record ("unknown is not empty", docs/rules.md#unknown-fields).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dvc {

enum class canonical_field : std::uint8_t {
  id,
  code,
  nation_code,
  status,
  procedure_code,
  procedure_name,
  sector_code,
  sector_name,
  unit_code,
  unit_name,
  applicant_name,
  applicant_phone,
  applicant_email,
  applicant_type,
  summary,
  channel,
  online_payment,
  digitised,
  received,
  due,
  completed,
  returned,
  updated,
  results,
  steps,
};
inline constexpr std::size_t canonical_field_count = 25;

// The profile's spelling (`digitised`, `online_payment`).
std::string_view field_name(canonical_field f);
std::optional<canonical_field> canonical_field_named(std::string_view name);

// A set of canonical fields in one word; iteration is in the order of the enumeration.
class canonical_set {
 public:
  constexpr canonical_set() = default;
  static constexpr canonical_set from_bits(std::uint32_t bits) { return canonical_set(bits & all_bits); }

  constexpr bool contains(canonical_field f) const { return (bits_ & bit(f)) != 0; }
  constexpr void insert(canonical_field f) { bits_ |= bit(f); }
  constexpr void erase(canonical_field f) { bits_ &= ~bit(f); }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr std::uint32_t bits() const { return bits_; }
  constexpr canonical_set operator|(canonical_set o) const { return canonical_set(bits_ | o.bits_); }
  constexpr bool operator==(const canonical_set&) const = default;

  // Names in enumeration order, comma-separated: `steps, results` is written `results, steps`.
  std::string names(std::string_view separator = ", ") const;

  template <class F>
  void for_each(F&& fn) const {
    for (std::size_t i = 0; i < canonical_field_count; ++i)
      if (bits_ & (std::uint32_t{1} << i)) fn(static_cast<canonical_field>(i));
  }

 private:
  static constexpr std::uint32_t all_bits = (std::uint32_t{1} << canonical_field_count) - 1;
  constexpr explicit canonical_set(std::uint32_t bits) : bits_(bits) {}
  static constexpr std::uint32_t bit(canonical_field f) { return std::uint32_t{1} << static_cast<unsigned>(f); }
  std::uint32_t bits_ = 0;
};

}  // namespace dvc
