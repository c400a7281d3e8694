#include "sim/catalog.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "reconcile/instant.hpp"
#include "sim/data_reader.hpp"
#include "sim/embedded_data.hpp"

namespace dvc::sim {
namespace {

// Units and procedures are numbered in 16 bits in the simulator's compact dossier state.
constexpr std::size_t max_entries = 65535;

bool code_chars(std::string_view code, bool (*allowed)(char)) {
  if (code.empty()) return false;
  for (const char c : code) {
    if (!allowed(c)) return false;
  }
  return true;
}

// Upper case letters, digits and dots: dossier codes are compared upper-cased, so the catalog writes them so.
bool unit_code_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'; }

// Two dot-separated groups of digits (1.003560): national appends the agency suffix as more groups.
bool procedure_code(std::string_view code) {
  const auto dot = code.find('.');
  const auto digits = [](char c) { return c >= '0' && c <= '9'; };
  return dot != std::string_view::npos && code_chars(code.substr(0, dot), digits) &&
         code_chars(code.substr(dot + 1), digits);
}

// A day `2025-07-01` (or an ISO 8601 time) in Vietnam time, as unix seconds.
std::int64_t read_day(data_object& o, std::string_view key) {
  const auto text = o.text(key);
  try {
    if (const auto t = dvc::parse_iso_time(text)) return *t;
  } catch (const std::exception&) {
  }
  o.fail(key, "a date such as 2025-07-01 is expected");
}

std::vector<person_name> person_names(data_object& pools, std::string_view key) {
  std::vector<person_name> out;
  for (auto& entry : pools.objects(key)) {
    out.push_back({entry.text("text"), entry.text("ascii")});
    entry.finish();
  }
  return out;
}

}  // namespace

std::shared_ptr<const catalog> catalog::builtin() {
  static const std::shared_ptr<const catalog> province = from_text(embedded::binh_phuoc(), "sim/data/binh-phuoc.json");
  return province;
}

std::shared_ptr<const catalog> catalog::merged() {
  static const std::shared_ptr<const catalog> province = from_text(embedded::dong_nai(), "sim/data/dong-nai.json");
  return province;
}

std::shared_ptr<const catalog> catalog::from_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw data_error(file.string() + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw data_error(file.string() + ": read failed");
  return from_text(text.str(), file.string());
}

std::shared_ptr<const catalog> catalog::from_text(std::string_view text, const std::string& source) {
  const auto document = parse_data(text, source);
  data_object top(document, source, "");
  std::shared_ptr<catalog> c(new catalog());

  auto province = top.object("province");
  c->province_.code = province.text("code");
  if (!code_chars(c->province_.code, unit_code_char)) {
    province.fail("code", "upper-case letters, digits and dots are expected");
  }
  c->province_.name = province.text("name");
  c->province_.portal_host = province.text("portal_host");
  province.finish();

  std::map<std::string, std::uint16_t> levels;
  auto units = top.objects("units");
  if (units.size() > max_entries) top.fail("units", "at most 65535 units");
  for (auto& u : units) {
    unit_info info;
    info.code = u.text("code");
    if (!code_chars(info.code, unit_code_char)) u.fail("code", "upper-case letters, digits and dots are expected");
    if (!c->by_code_.emplace(info.code, static_cast<std::uint16_t>(c->units_.size())).second) {
      u.fail("code", "'" + info.code + "' is given to two units");
    }
    info.name = u.text("name");
    info.level = u.text("level");
    info.desk = u.text("desk");
    info.leader = u.text("leader");
    info.weight = static_cast<std::uint32_t>(u.whole("weight", 1, 10000));
    if (u.has("since")) info.since = read_day(u, "since");
    u.finish();
    const auto level = levels.emplace(info.level, static_cast<std::uint16_t>(levels.size())).first->second;
    c->unit_level_.push_back(level);
    c->units_.push_back(std::move(info));
  }
  c->by_level_.resize(levels.size());
  if (top.has("successions")) c->read_successions(top);
  c->split_eras(top);

  auto procedures = top.objects("procedures");
  if (procedures.size() > max_entries) top.fail("procedures", "at most 65535 procedures");
  std::set<std::string> procedure_codes;
  for (auto& p : procedures) {
    procedure_info info;
    info.code = p.text("code");
    if (!procedure_code(info.code)) p.fail("code", "two groups of digits separated by a dot, e.g. 1.003560");
    if (!procedure_codes.insert(info.code).second) p.fail("code", "'" + info.code + "' is given to two procedures");
    auto name = p.object("name");
    info.name = name.text("vi");
    info.name_en = name.text("en");
    name.finish();
    auto sector = p.object("sector");
    info.sector_code = sector.text("code");
    info.sector_name = sector.text("name");
    sector.finish();
    for (const auto& level : p.texts("levels")) {
      const auto it = levels.find(level);
      if (it == levels.end()) p.fail("levels", "no unit has the level '" + level + "'");
      c->by_level_[it->second].push_back(static_cast<std::uint16_t>(c->procedures_.size()));
    }
    info.department = p.text("department");
    info.result = p.text("result");
    info.days = static_cast<std::uint16_t>(p.whole("days", 1, 3650));
    p.finish();
    c->procedures_.push_back(std::move(info));
  }
  for (const auto& [level, number] : levels) {
    if (c->by_level_[number].empty()) top.fail("procedures", "no procedure for the units of level '" + level + "'");
  }

  auto people = top.object("people");
  c->names_.family = person_names(people, "family");
  c->names_.middle = people.texts("middle");
  c->names_.given = person_names(people, "given");
  c->names_.businesses = people.texts("businesses");
  c->names_.organisations = people.texts("organisations");
  people.finish();
  top.finish();
  return c;
}

// docs/simulator.md#the-world: each old unit stops receiving on its succession's day.
void catalog::read_successions(data_object& top) {
  for (auto& s : top.objects("successions")) {
    dvc::unit_succession entry;
    const auto unit = [&](std::string_view key) {
      const auto code = s.text(key);
      const auto index = unit_index(code);
      if (!index) s.fail(key, "'" + code + "' is not one of the units");
      return std::pair{code, *index};
    };
    const auto [from, from_index] = unit(std::string_view("from"));
    const auto [to, to_index] = unit(std::string_view("to"));
    entry.from = from;
    entry.to = to;
    entry.since = read_day(s, "since");
    s.finish();
    if (units_[to_index].since > entry.since) s.fail("since", "'" + to + "' receives no dossiers yet on that day");
    units_[from_index].until = std::min(units_[from_index].until, entry.since);
    succession_list_.push_back(std::move(entry));
  }
  auto built = dvc::unit_successions::build(succession_list_);
  if (!built.problems.empty()) top.fail("successions", built.problems.front());
  successions_ = std::move(built.value);
}

void catalog::split_eras(data_object& top) {
  current_.resize(units_.size());
  for (std::uint16_t u = 0; u < units_.size(); ++u) current_[u] = by_code_.at(successions_.current(units_[u].code));
  std::set<std::int64_t> starts{INT64_MIN};
  for (const auto& u : units_) {
    starts.insert(u.since);
    if (u.until != INT64_MAX) starts.insert(u.until);
  }
  for (const auto start : starts) {
    unit_era era;
    era.start = start;
    for (std::uint16_t u = 0; u < units_.size(); ++u) {
      if (units_[u].since <= start && start < units_[u].until) {
        era.units.push_back(u);
        era.total_weight += units_[u].weight;
      }
    }
    if (era.units.empty()) {
      top.fail("units", start == INT64_MIN ? std::string("no unit receives dossiers before the first 'since'")
                                           : "no unit receives dossiers from " + dvc::format_vietnam_iso(start));
    }
    eras_.push_back(std::move(era));
  }
}

const unit_era& catalog::era_at(std::int64_t t) const {
  const auto after =
      std::upper_bound(eras_.begin(), eras_.end(), t, [](std::int64_t v, const unit_era& e) { return v < e.start; });
  return *(after - 1);
}

bool catalog::has_peer(std::uint16_t unit) const {
  for (std::uint16_t u = 0; u < units_.size(); ++u) {
    if (same_level(u, unit) && current_[u] != current_[unit]) return true;
  }
  return false;
}

std::optional<std::uint16_t> catalog::unit_index(std::string_view code) const {
  const auto it = by_code_.find(std::string(code));
  if (it == by_code_.end()) return std::nullopt;
  return it->second;
}

}  // namespace dvc::sim
