#include "sim/render.hpp"

#include <cstdio>

#include "sim/civil_time.hpp"
#include "sim/render_shapes.hpp"

namespace dvc::sim {

std::optional<wire_shape> parse_shape(std::string_view text) {
  if (text == "contract") return wire_shape::contract;
  if (text == "b") return wire_shape::b;
  return std::nullopt;
}

std::string_view shape_name(wire_shape shape) { return shape == wire_shape::contract ? "contract" : "b"; }

void render(const world& w, std::uint32_t idx, portal side, wire_shape shape, json_writer& j) {
  if (shape == wire_shape::contract) {
    side == portal::provincial ? render_contract_provincial(w, idx, j) : render_contract_national(w, idx, j);
  } else {
    side == portal::provincial ? render_b_provincial(w, idx, j) : render_b_national(w, idx, j);
  }
}

void render(const world& w, std::uint32_t idx, portal side, wire_shape shape, std::string& out) {
  json_writer j(out);
  render(w, idx, side, shape, j);
}

std::string dossier_code(const world& w, std::uint32_t idx) {
  const auto& s = w.state(idx);
  const auto c = civil_from_unix(w.code_day(idx) * 86400);
  std::string code = w.province().units()[s.unit].code;
  char buf[16];
  std::snprintf(buf, sizeof buf, "-%02u%02u%02u-%04u", static_cast<unsigned>(c.year % 100), c.month, c.day,
                static_cast<unsigned>(s.seq));
  return code + buf;
}

}  // namespace dvc::sim
