#include "reconcile/provincial_sources.hpp"

#include <set>

namespace dvc {

std::string_view source_claim_name(source_claim c) {
  switch (c) {
    case source_claim::same:
      return "same";
    case source_claim::moved_in:
      return "moved_in";
    case source_claim::moved_copy:
      return "moved_copy";
    case source_claim::duplicate_wins:
      return "duplicate_wins";
    case source_claim::duplicate_loses:
      break;
  }
  return "duplicate_loses";
}

provincial_sources::build_result provincial_sources::build(std::vector<provincial_source> list) {
  build_result out;
  std::set<std::string, std::less<>> names;
  for (const auto& s : list)
    if (!names.insert(s.name).second) out.problems.push_back("source " + s.name + " is named twice");
  for (const auto& s : list) {
    if (!s.moved_to) continue;
    if (*s.moved_to == s.name)
      out.problems.push_back("source " + s.name + " cannot move its dossiers to itself");
    else if (!names.count(*s.moved_to))
      out.problems.push_back("source " + s.name + " moves its dossiers to " + *s.moved_to + ", which is not a source");
  }
  if (!out.problems.empty()) return out;
  out.value.list_ = std::move(list);
  // A cycle of moves would leave no source holding the dossiers: name each one once, from its first source listed.
  std::set<std::string, std::less<>> reported;
  for (std::size_t i = 0; i < out.value.list_.size(); ++i) {
    std::vector<std::size_t> path{i};
    std::set<std::size_t> on_path{i};
    for (auto next = out.value.list_[i].moved_to; next;) {
      const std::size_t j = *out.value.index_of(*next);
      if (on_path.count(j)) {
        if (j == i && !reported.count(out.value.list_[i].name)) {
          std::string text;
          for (const std::size_t k : path) {
            text += out.value.list_[k].name + " → ";
            reported.insert(out.value.list_[k].name);
          }
          out.problems.push_back("the moves of sources form a cycle: " + text + out.value.list_[i].name);
        }
        break;
      }
      path.push_back(j);
      on_path.insert(j);
      next = out.value.list_[j].moved_to;
    }
  }
  if (!out.problems.empty()) out.value.list_.clear();
  return out;
}

std::optional<std::size_t> provincial_sources::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < list_.size(); ++i)
    if (list_[i].name == name) return i;
  return std::nullopt;
}

bool provincial_sources::moves_to(std::size_t from, std::size_t to) const {
  // Built without cycles, so the chain ends within the list's length.
  for (auto next = list_[from].moved_to; next;) {
    const std::size_t j = *index_of(*next);
    if (j == to) return true;
    next = list_[j].moved_to;
  }
  return false;
}

source_claim provincial_sources::claim(std::string_view stored, std::string_view incoming) const {
  if (stored.empty() || stored == incoming) return source_claim::same;
  const auto s = index_of(stored), i = index_of(incoming);
  // A source removed from the configuration holds nothing any more: its keys go to the source that gives them now.
  if (!s || !i) return source_claim::same;
  if (moves_to(*s, *i)) return source_claim::moved_in;
  if (moves_to(*i, *s)) return source_claim::moved_copy;
  return *i < *s ? source_claim::duplicate_wins : source_claim::duplicate_loses;
}

}  // namespace dvc
