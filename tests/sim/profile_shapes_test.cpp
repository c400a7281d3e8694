// The shipped shape-b profiles read the simulator's shape-B records as the simulator means them: a dossier rendered
// in both shapes and read through each shape's profile gives the same canonical dossier, except for the fields
// shape B does not provide (unknown) and what the shapes encode differently by design (wire status values, the
// national procedure code's agency suffix, step fields one shape lacks).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "reconcile/profile_file.hpp"
#include "sim/render.hpp"
#include "sim/world.hpp"

using namespace dvc::sim;
using dvc::canonical_field;
using dvc::dossier;
using nlohmann::json;

namespace {

dossier read(const world& w, std::uint32_t idx, portal side, wire_shape shape) {
  std::string text;
  render(w, idx, side, shape, text);
  const dvc::side s = side == portal::provincial ? dvc::side::provincial : dvc::side::national;
  const auto& profile = dvc::shipped_profile(shape == wire_shape::contract ? "contract" : "shape-b", s);
  return profile.record.read(json::parse(text)).value;
}

std::string two_segments(const std::string& code) { return code.substr(0, code.find('.', code.find('.') + 1)); }

// Every canonical field known in both readings holds the same value.
void same_dossier(const dossier& c, const dossier& b) {
  const auto known = [&](canonical_field f) { return !c.unknown.contains(f) && !b.unknown.contains(f); };
  CHECK(b.key == c.key);
  CHECK(b.code == c.code);
  if (known(canonical_field::id)) CHECK(b.id == c.id);
  CHECK(b.status == c.status);
  CHECK(b.registered == c.registered);
  CHECK(two_segments(b.procedure_code) == two_segments(c.procedure_code));
  if (known(canonical_field::procedure_name)) CHECK(b.procedure_name == c.procedure_name);
  if (known(canonical_field::sector_code)) CHECK(b.sector_code == c.sector_code);
  if (known(canonical_field::sector_name)) CHECK(b.sector_name == c.sector_name);
  CHECK(b.unit_code == c.unit_code);
  if (known(canonical_field::unit_name)) CHECK(b.unit_name == c.unit_name);
  if (known(canonical_field::applicant_name)) CHECK(b.applicant_name == c.applicant_name);
  if (known(canonical_field::applicant_type)) CHECK(b.applicant_type == c.applicant_type);
  CHECK(b.channel == c.channel);
  if (known(canonical_field::online_payment)) CHECK(b.online_payment == c.online_payment);
  if (known(canonical_field::digitised)) CHECK(b.digitized == c.digitized);
  CHECK(b.received == c.received);
  CHECK(b.due == c.due);
  CHECK(b.completed == c.completed);
  if (known(canonical_field::returned)) CHECK(b.returned == c.returned);
  if (known(canonical_field::updated)) CHECK(b.updated == c.updated);
  if (known(canonical_field::results)) CHECK(b.results.size() == c.results.size());
  if (known(canonical_field::steps)) {
    REQUIRE(b.steps.size() == c.steps.size());
    for (std::size_t k = 0; k < c.steps.size(); ++k) {
      CHECK(b.steps[k].handler == c.steps[k].handler);
      CHECK(b.steps[k].start == c.steps[k].start);
      CHECK(b.steps[k].end == c.steps[k].end);
      CHECK(b.steps[k].due == c.steps[k].due);
      CHECK(b.steps[k].open == c.steps[k].open);  // shape B's isCurrent agrees with the contract's open end
    }
    CHECK(facts_of(b).steps_ended == facts_of(c).steps_ended);
  }
}

}  // namespace

TEST_CASE("the shape-b profiles read shape B as the contract profiles read the contract shape") {
  world w({.seed = 7, .dossiers = 3000, .clock_start = 1722474000});
  for (std::uint64_t k = 0; k < 20; ++k) w.tick(k, 1722474000 + 3 * static_cast<std::int64_t>(k));
  std::size_t compared = 0;
  for (std::uint32_t idx = 0; idx < w.count(); ++idx) {
    for (const auto side : {portal::provincial, portal::national}) {
      if (!w.present(idx, side)) continue;
      const dossier c = read(w, idx, side, wire_shape::contract);
      const dossier b = read(w, idx, side, wire_shape::b);
      INFO(idx, side == portal::provincial ? " provincial" : " national");
      same_dossier(c, b);
      ++compared;
    }
  }
  CHECK(compared > 5000);
  // What shape B's national side does not give is unknown, so rules needing it are not evaluated there.
  const auto& nat = dvc::shipped_profile("shape-b", dvc::side::national).record;
  CHECK(nat.not_provided().names() ==
        "id, nation_code, procedure_name, sector_code, sector_name, applicant_name, applicant_phone, "
        "applicant_email, applicant_type, summary, digitised, returned, updated, results, steps");
}
