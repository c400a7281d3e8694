#pragma once
// Unit successions across reorganisations (docs/rules.md#unit-successions): a unit code replaced by another from a
// date on, many old codes to one new. Dossier keys keep the codes they were given; only comparisons and the sync
// rate's attribution read the resolved units.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reconcile/instant.hpp"

namespace dvc {

struct unit_succession {
  std::string from;   // normalised unit code
  std::string to;     // normalised unit code
  instant since = 0;  // the first instant (00:00 Vietnam time of its day) the successor answers for `from`
};

// Whose a dossier is in the sync rate (config `sync_rate.attribute_to`, docs/configuration.md#sync_rate).
enum class unit_attribution : std::uint8_t {
  receiving,  // the unit in charge of its code on the day it was received
  successor,  // the unit its code resolves to today, at the end of every chain
};

class unit_successions {
 public:
  // The successions in the order given, with one message per problem (a unit given two successors, a cycle
  // naming its codes in order, `A → B → A`); the table is empty when there is any problem.
  struct build_result;
  static build_result build(const std::vector<unit_succession>& list);

  bool empty() const { return next_.empty(); }
  // One line `from>to@since` per succession, by `from`: equal for equal tables, whatever order they were given in.
  std::string canonical_text() const;
  // The unit `code` resolves to today: its last successor; a code without one is its own.
  const std::string& current(const std::string& code) const;
  // The unit answering for `code` at `t`: successions are followed only where `since` ≤ t.
  const std::string& at(const std::string& code, instant t) const;
  // The codes that resolve to `code` other than itself, ascending.
  std::vector<std::string> predecessors(const std::string& code) const;
  // The unit a dossier received at `received` under `code` counts toward; with no receipt time, `code` itself
  // for `receiving` (the day is unknown) and the current unit for `successor`.
  std::string attribute(const std::string& code, const maybe_instant& received, unit_attribution how) const;

 private:
  std::map<std::string, unit_succession, std::less<>> next_;  // by `from`
  std::map<std::string, std::string, std::less<>> current_;   // `from` → end of its chain
};

struct unit_successions::build_result {
  unit_successions value;
  std::vector<std::string> problems;
};

}  // namespace dvc
