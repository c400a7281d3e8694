#pragma once
// The people on a dossier: its applicant and the officials who handle its steps, drawn from the catalog's name
// pools by the seed. Names never change; contact details change with each edit of the dossier.
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/vocabulary.hpp"
#include "sim/world.hpp"

namespace dvc::sim {

struct applicant {
  std::string name, phone, email;
};

applicant applicant_of(const world& w, std::uint32_t idx);
// The official of `unit` who handles a step of the dossier in `role`: a few per unit and role, so names recur.
std::string official(const world& w, std::uint32_t idx, std::uint16_t unit, step_role role);
// The office that handles a step: the unit's one-stop desk, the procedure's specialist office, or the leadership.
std::string department_of(const world& w, step_role role, std::uint16_t unit, std::uint16_t procedure);
// The position of who handles a step; the unit's leader signs.
std::string position_of(const world& w, step_role role, std::uint16_t unit);
// `text` in Unicode normalisation form D (decomposed), as some portals send it.
std::string decompose(std::string_view text);

}  // namespace dvc::sim
