#pragma once
// One side's picture of a dossier, in numbers and times, before any shape writes it in its vocabulary: what the
// side says about status, dates, steps and results, with the dossier's planted discrepancy applied on its side.
// Both wire shapes render from this, so the same seed gives the same discrepancies whatever the shape.
#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>

#include "sim/vocabulary.hpp"
#include "sim/world.hpp"

namespace dvc::sim {

inline constexpr std::int64_t absent = INT64_MIN;

struct step_line {
  step_role role;
  std::int64_t start, end, due;  // end is `absent` while the step is open
};

struct dossier_view {
  std::uint16_t unit = 0, procedure = 0;
  channel how = channel::in_person;
  bool paid_online = false, digitized = false, has_result = false;
  national_status status = national_status::registered;
  std::int64_t received = 0, due = 0, completed = absent, returned = absent, updated = 0;
  std::array<step_line, max_steps + 1> steps{};
  std::size_t step_count = 0;

  // The last step is the signature and still open: some platforms give that stage a status of its own.
  bool signing() const {
    return step_count > 0 && steps[step_count - 1].role == step_role::sign && steps[step_count - 1].end == absent;
  }
};

// The dossier as `side` shows it; it must be present on that side.
dossier_view view_of(const world& w, std::uint32_t idx, portal side);

}  // namespace dvc::sim
