#pragma once
// Pieces of a record that both wire shapes write the same way (inside sim/ only).
#include <cstdint>
#include <string>
#include <string_view>

#include "reconcile/json_writer.hpp"
#include "sim/dossier_view.hpp"
#include "sim/world.hpp"

namespace dvc::sim {

// The provincial system's own record id: 24 hexadecimal digits.
std::string provincial_id(const world& w, std::uint32_t idx);
// An id for a catalog entry of a shape-B platform (agency, procedure): 24 hexadecimal digits.
std::string catalog_id(std::string_view kind, std::string_view code);
// MaHoSo as national sends it, mistyped as the dossier's code quirk says.
std::string national_code(const world& w, std::uint32_t idx);
// nationCode as the provincial system sends it for a pushed dossier.
std::string nation_code(const world& w, std::uint32_t idx);
// MaTTHC: the procedure code, with the province's agency suffix when `suffixed`.
std::string national_procedure_code(const world& w, const dossier_view& v, bool suffixed);
// DuocThanhToanTrucTuyen, or the vocabulary's unknown value when national does not know.
std::string payment_value(const world& w, std::uint32_t idx, const dossier_view& v);
std::string result_code(const world& w, std::uint32_t idx);
std::string result_url(const world& w, std::uint32_t idx);
// `text`, decomposed when the dossier's text quirk says so for `side`.
std::string text_for(const world& w, std::uint32_t idx, portal side, std::string_view text);
// A number national sends as a string, or as a number for the few records whose trait says so.
void national_number(json_writer& j, const world& w, std::uint32_t idx, int value);

}  // namespace dvc::sim
