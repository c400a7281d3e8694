#include "sim/catalog.hpp"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

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
    u.finish();
    c->total_weight_ += info.weight;
    const auto level = levels.emplace(info.level, static_cast<std::uint16_t>(levels.size())).first->second;
    c->unit_level_.push_back(level);
    c->units_.push_back(std::move(info));
  }
  c->by_level_.resize(levels.size());
  c->level_size_.resize(levels.size());
  for (const auto level : c->unit_level_) ++c->level_size_[level];

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

std::optional<std::uint16_t> catalog::unit_index(std::string_view code) const {
  const auto it = by_code_.find(std::string(code));
  if (it == by_code_.end()) return std::nullopt;
  return it->second;
}

}  // namespace dvc::sim
