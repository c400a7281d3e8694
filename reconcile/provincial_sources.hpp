#pragma once
// Several provincial sources in one instance (docs/sources.md): the one-stop systems of merged provinces, each read
// with its own profile and cursor into one provincial side. Which source holds a key when two give it: a dossier
// moved from a legacy source to the source it names in `moved_to` belongs to the later source (its legacy copy is
// the dossier as it stood when it moved); the same key in two sources that no move relates is a data error naming
// both, and the source listed first keeps the key, whichever was read first.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dvc {

struct provincial_source {
  std::string name;                     // unique among the sources
  std::optional<std::string> moved_to;  // the source its dossiers moved to, when it is a legacy one
};

// What a record of source `incoming` does to the stored record of the same key from source `stored`.
enum class source_claim : std::uint8_t {
  same,             // the same source (or the stored record predates named sources): the usual update rules
  moved_in,         // `incoming` is where the dossier moved from `stored`: it replaces the legacy copy
  moved_copy,       // `incoming` is the legacy copy of a dossier `stored` holds since it moved: ignored
  duplicate_wins,   // unrelated sources, `incoming` listed first: it replaces the stored record; a data error
  duplicate_loses,  // unrelated sources, `stored` listed first: `incoming` is skipped; a data error
};
std::string_view source_claim_name(source_claim c);

class provincial_sources {
 public:
  // The sources in configuration order, with one message per problem (a name given twice, a `moved_to` naming no
  // source or the source itself, a cycle of moves naming its sources in order `a → b → a`); the list is empty
  // when there is any problem.
  struct build_result;
  static build_result build(std::vector<provincial_source> list);

  const std::vector<provincial_source>& list() const { return list_; }
  bool empty() const { return list_.empty(); }
  // A stored key with no source name (read before sources were named) is adopted by the first source to give it.
  source_claim claim(std::string_view stored, std::string_view incoming) const;

 private:
  std::optional<std::size_t> index_of(std::string_view name) const;
  // True when following `moved_to` from `from` reaches `to`.
  bool moves_to(std::size_t from, std::size_t to) const;

  std::vector<provincial_source> list_;
};

struct provincial_sources::build_result {
  provincial_sources value;
  std::vector<std::string> problems;
};

}  // namespace dvc
