#pragma once
// Turns a dossier's compact state into the records each portal serves (docs/wire-formats.md), one JSON object for the
// provincial system and one for national, with the dossier's deliberate discrepancy and presentation quirks applied to
// one side.
#include <cstdint>
#include <string>

#include "sim/world.hpp"

namespace dvc::sim {

// Appends the record as one JSON object (no newline). The dossier must be present on that side.
void render_provincial(const world& w, std::uint32_t idx, std::string& out);
void render_national(const world& w, std::uint32_t idx, std::string& out);
inline void render(const world& w, std::uint32_t idx, portal side, std::string& out) {
  side == portal::provincial ? render_provincial(w, idx, out) : render_national(w, idx, out);
}

// The dossier code as the provincial system writes it: {unit}-{yyMMdd}-{NNNN}.
std::string dossier_code(const world& w, std::uint32_t idx);
// Provincial status code for a national status number (docs/wire-formats.md#provincial-status-codes).
std::string_view provincial_status_code(int national_status);

}  // namespace dvc::sim
