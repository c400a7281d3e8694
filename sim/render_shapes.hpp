#pragma once
// The four record writers behind render() (inside sim/ only).
#include <cstdint>

#include "reconcile/json_writer.hpp"
#include "sim/world.hpp"

namespace dvc::sim {

void render_contract_provincial(const world& w, std::uint32_t idx, json_writer& j);
void render_contract_national(const world& w, std::uint32_t idx, json_writer& j);
void render_b_provincial(const world& w, std::uint32_t idx, json_writer& j);
void render_b_national(const world& w, std::uint32_t idx, json_writer& j);

}  // namespace dvc::sim
