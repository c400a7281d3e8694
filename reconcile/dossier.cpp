#include "reconcile/dossier.hpp"

#include <algorithm>

namespace dvc {

std::string_view side_name(side s) { return s == side::provincial ? "provincial" : "national"; }

dossier_facts facts_of(const dossier& d) {
  dossier_facts f;
  f.origin = d.origin;
  f.key = d.key;
  f.code = d.code;
  f.unit_code = d.unit_code;
  f.procedure_code = d.procedure_code;
  f.status_code = d.status_code;
  f.status = d.status;
  f.registered = d.registered;
  f.channel = d.channel;
  f.online_payment = d.online_payment;
  f.digitized = d.digitized;
  f.received = d.received;
  f.due = d.due;
  f.completed = d.completed;
  f.updated = d.updated;
  f.unknown = d.unknown;
  f.result_count = static_cast<std::uint32_t>(d.results.size());
  for (const auto& s : d.steps) {
    if (s.open) {
      f.step_open = true;
      continue;
    }
    ++f.steps_ended;
    if (!s.end) continue;
    f.last_step_end = f.last_step_end ? std::max(*f.last_step_end, *s.end) : *s.end;
  }
  return f;
}

}  // namespace dvc
