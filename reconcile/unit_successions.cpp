#include "reconcile/unit_successions.hpp"

#include <algorithm>
#include <set>

namespace dvc {

unit_successions::build_result unit_successions::build(const std::vector<unit_succession>& list) {
  build_result out;
  std::map<std::string, unit_succession, std::less<>> next;
  for (const auto& s : list) {
    if (s.from == s.to) {
      out.problems.push_back("unit " + s.from + " cannot succeed itself");
      continue;
    }
    if (const auto [it, fresh] = next.emplace(s.from, s); !fresh)
      out.problems.push_back("unit " + s.from + " is given two successors, " + it->second.to + " and " + s.to +
                             "; a unit has one successor (many units may share it)");
  }
  // Each code has at most one successor, so following the chain from any code either ends or enters one cycle; a
  // cycle is reported once, starting from its smallest code so the message does not depend on the input order.
  std::set<std::string, std::less<>> in_cycle;
  std::map<std::string, std::string, std::less<>> current;
  for (const auto& [from, s] : next) {
    std::vector<std::string> path{from};
    std::string at = s.to;
    bool looped = false;
    while (true) {
      const auto it = next.find(at);
      if (it == next.end()) break;
      if (const auto seen = std::find(path.begin(), path.end(), at); seen != path.end()) {
        looped = true;
        std::vector<std::string> cycle(seen, path.end());
        std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
        if (in_cycle.insert(cycle.front()).second) {
          std::string text;
          for (const auto& code : cycle) text += code + " → ";
          out.problems.push_back("successions form a cycle: " + text + cycle.front());
        }
        break;
      }
      path.push_back(at);
      at = it->second.to;
    }
    if (!looped) current.emplace(from, at);
  }
  if (out.problems.empty()) {
    out.value.next_ = std::move(next);
    out.value.current_ = std::move(current);
  }
  return out;
}

std::string unit_successions::canonical_text() const {
  std::string out;
  for (const auto& [from, s] : next_) out += from + ">" + s.to + "@" + std::to_string(s.since) + "\n";
  return out;
}

const std::string& unit_successions::current(const std::string& code) const {
  const auto it = current_.find(code);
  return it == current_.end() ? code : it->second;
}

const std::string& unit_successions::at(const std::string& code, instant t) const {
  const std::string* unit = &code;
  // Bounded by the number of successions: build refused cycles.
  for (auto it = next_.find(*unit); it != next_.end() && it->second.since <= t; it = next_.find(*unit))
    unit = &it->second.to;
  return *unit;
}

std::vector<std::string> unit_successions::predecessors(const std::string& code) const {
  std::vector<std::string> out;
  for (const auto& [from, to] : current_)
    if (to == code) out.push_back(from);
  return out;
}

std::string unit_successions::attribute(const std::string& code, const maybe_instant& received,
                                        unit_attribution how) const {
  if (how == unit_attribution::successor) return current(code);
  return received ? at(code, *received) : code;
}

}  // namespace dvc
