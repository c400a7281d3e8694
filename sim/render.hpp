#pragma once
// Writes a dossier as the record a portal serves, in one of the two wire shapes (docs/simulator.md): the
// contract shape (docs/wire-formats.md) or shape B (a provincial platform with its own names and encodings, and a
// national adapter that only looks dossiers up). Both come from the same dossier view (dossier_view.hpp), so the
// same seed gives the same dossiers and discrepancies in either shape; the presentation quirks of each record
// (codes, decomposed text, numbers as strings) are applied here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "reconcile/json_writer.hpp"
#include "sim/world.hpp"

namespace dvc::sim {

enum class wire_shape : std::uint8_t { contract, b };
// `contract` or `b`.
std::optional<wire_shape> parse_shape(std::string_view text);
std::string_view shape_name(wire_shape shape);

// Writes the record as the next value of `j`. The dossier must be present on that side.
void render(const world& w, std::uint32_t idx, portal side, wire_shape shape, json_writer& j);
// Appends the record as one JSON object.
void render(const world& w, std::uint32_t idx, portal side, wire_shape shape, std::string& out);

// The dossier code as the provincial system writes it: {unit}-{yyMMdd}-{NNNN}.
std::string dossier_code(const world& w, std::uint32_t idx);

}  // namespace dvc::sim
