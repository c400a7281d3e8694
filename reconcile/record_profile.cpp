// docs/profiles.md#record: compiling a profile's `record` section, and reading records through it.
#include "reconcile/record_profile.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>

#include "reconcile/normalize.hpp"
#include "reconcile/profile_error.hpp"
#include "reconcile/status.hpp"
#include "reconcile/time_format.hpp"

namespace dvc {
namespace {

using json = nlohmann::json;
using F = canonical_field;

// What a canonical field holds, which decides the keys its specification may use and how its value is read.
enum class kind : std::uint8_t { text, code, status, number, flag, time, list };

constexpr std::array<kind, canonical_field_count> field_kinds{
    kind::text, kind::code, kind::code, kind::status, kind::code,   kind::text, kind::code,   kind::text, kind::code,
    kind::text, kind::text, kind::text, kind::text,   kind::number, kind::text, kind::number, kind::flag, kind::flag,
    kind::time, kind::time, kind::time, kind::time,   kind::time,   kind::list, kind::list,
};
kind kind_of(F f) { return field_kinds[static_cast<std::size_t>(f)]; }

// Item fields of the two lists (docs/profiles.md#canonical-fields).
struct item_field {
  std::string_view name;
  kind k;
};
constexpr std::array<item_field, 3> result_items{{{"code", kind::text}, {"name", kind::text}, {"url", kind::text}}};
constexpr std::array<item_field, 9> step_items{{{"name", kind::text},
                                                {"handler", kind::text},
                                                {"position", kind::text},
                                                {"department", kind::text},
                                                {"status", kind::text},
                                                {"start", kind::time},
                                                {"end", kind::time},
                                                {"due", kind::time},
                                                {"open", kind::flag}}};
enum step_item : std::size_t { s_name, s_handler, s_position, s_department, s_status, s_start, s_end, s_due, s_open };
enum result_item : std::size_t { r_code, r_name, r_url };

// The canonical value a table gives: a number, a flag, or unknown (`null`).
struct table_value {
  enum class of : std::uint8_t { number, flag, unknown } type = of::unknown;
  int number = 0;
  bool flag = false;
};

struct value_table {
  std::string name;
  std::vector<std::pair<std::string, table_value>> entries;  // wire value trimmed and upper-cased

  const table_value* find(std::string_view wire) const {
    for (const auto& [k, v] : entries)
      if (k == wire) return &v;
    return nullptr;
  }
};

// A dotted path, split once; `prefixes[i]` names segments 0..i for messages.
struct compiled_path {
  std::vector<std::string> segments;
  std::vector<std::string> prefixes;
  std::string_view text() const { return prefixes.empty() ? std::string_view() : prefixes.back(); }
};

struct language_pick {
  std::string match;  // member compared with `id`
  std::string id;     // as text: a number 228 and "228" are the same
  std::string value;  // member read from the matching element
};

struct field_spec {
  bool provided = false;
  compiled_path path;
  const value_table* table = nullptr;
  read_format time = read_format::iso8601;
  bool absent_unknown = false;
  std::optional<language_pick> language;
  std::vector<std::string> new_values;  // status only, normalised
};

template <std::size_t N>
struct list_spec {
  field_spec where;
  std::array<field_spec, N> items;
};

// Where a value is, for messages: built only when something is wrong.
struct site {
  std::string_view list;  // "" for a top-level field
  std::size_t index = 0;
  std::string_view path;  // within the record or the list item

  std::string name() const {
    if (list.empty()) return std::string(path);
    std::string out = std::string(list) + "[" + std::to_string(index) + "]";
    if (!path.empty()) out.append(".").append(path);
    return out;
  }
  site with(std::string_view p) const { return {list, index, p}; }
};

[[noreturn]] void fail(const site& at, const std::string& why) { throw record_error(at.name(), why); }

std::string type_of(const json& v) { return v.type_name(); }

// Text of a scalar, with the tolerance of docs/profiles.md#field-specifications: numbers read as their digits.
// The view points into the record or into `scratch`.
std::string_view scalar_text(const json& v, std::string& scratch, const site& at) {
  if (v.is_string()) return v.get_ref<const std::string&>();
  if (v.is_number_integer() || v.is_number_unsigned()) {
    scratch = v.dump();
    return scratch;
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e18)
      scratch = std::to_string(static_cast<long long>(d));
    else
      scratch = v.dump();
    return scratch;
  }
  fail(at, "expected a string, got " + type_of(v));
}

// A table's key for a wire value: trimmed and upper-cased text, `TRUE`/`FALSE` for booleans.
std::string_view table_key(const json& v, std::string& scratch, const site& at) {
  if (v.is_boolean()) return v.get<bool>() ? "TRUE" : "FALSE";
  if (v.is_object() || v.is_array()) fail(at, "expected a value, got " + type_of(v));
  const std::string_view raw = scalar_text(v, scratch, at);
  bool plain = !raw.empty() && raw.front() != ' ' && raw.back() != ' ';
  for (const char c : raw)
    plain = plain && static_cast<unsigned char>(c) > ' ' && !(c >= 'a' && c <= 'z') &&
            static_cast<unsigned char>(c) != 0xC2;
  if (plain) return raw;
  scratch = normalize_code(raw);
  return scratch;
}

std::string quoted_value(std::string_view key) {
  bool digits = !key.empty();
  for (const char c : key) digits = digits && c >= '0' && c <= '9';
  return digits ? std::string(key) : "\"" + std::string(key) + "\"";
}

// ---- compiling ----

class compiler {
 public:
  explicit compiler(const std::string& file) : file_(file) {}

  [[noreturn]] void refuse(const std::string& key, const std::string& why) const {
    throw profile_error(file_, key, why);
  }

  void require_object(const json& j, const std::string& key) const {
    if (!j.is_object()) refuse(key, "expected an object, got " + type_of(j));
  }

  void only_keys(const json& j, const std::string& key, std::initializer_list<std::string_view> allowed) const {
    for (const auto& [k, v] : j.items()) {
      bool ok = false;
      for (const auto a : allowed) ok = ok || a == k;
      if (!ok) {
        std::string names;
        for (const auto a : allowed) names.append(names.empty() ? "" : ", ").append(a);
        refuse(key.empty() ? k : key + "." + k, "unknown key (expected one of: " + names + ")");
      }
    }
  }

  compiled_path path(const json& j, const std::string& key) const {
    if (!j.is_string()) refuse(key, "expected a path (a string), got " + type_of(j));
    const std::string& text = j.get_ref<const std::string&>();
    compiled_path p;
    std::size_t start = 0;
    for (;;) {
      const auto dot = text.find('.', start);
      const std::string seg = text.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (seg.empty()) refuse(key, "\"" + text + "\" is not a path: member names separated by dots");
      p.segments.push_back(seg);
      p.prefixes.push_back(text.substr(0, dot));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return p;
  }

  void tables(const json& section) {
    const auto it = section.find("tables");
    if (it == section.end()) return;
    require_object(*it, "record.tables");
    for (const auto& [name, t] : it->items()) {
      const std::string key = "record.tables." + name;
      require_object(t, key);
      value_table table{name, {}};
      for (const auto& [wire, canonical] : t.items()) {
        table_value v;
        if (canonical.is_boolean()) {
          v.type = table_value::of::flag;
          v.flag = canonical.get<bool>();
        } else if (canonical.is_number_integer() || canonical.is_number_unsigned()) {
          v.type = table_value::of::number;
          v.number = canonical.get<int>();
        } else if (!canonical.is_null()) {
          refuse(key + "." + wire, "expected a number, true, false or null, got " + type_of(canonical));
        }
        std::string k = normalize_code(wire);
        for (const auto& e : table.entries)
          if (e.first == k)
            refuse(key + "." + wire, "the same wire value as \"" + k + "\" after trimming and upper-casing");
        table.entries.emplace_back(std::move(k), v);
      }
      tables_.push_back(std::move(table));
    }
  }

  // Checks that `t`'s values suit a field of kind `k` (canonical field `f` when not a list item).
  void check_table(const value_table& t, kind k, std::optional<F> f, const std::string& key) const {
    int lo = 0, hi = 0;
    if (f == F::status) lo = national_status_min, hi = national_status_max;
    if (f == F::channel) lo = 1, hi = 3;
    if (f == F::applicant_type) lo = 1, hi = 4;
    for (const auto& [wire, v] : t.entries) {
      if (v.type == table_value::of::unknown) continue;
      if (k == kind::flag && v.type != table_value::of::flag)
        refuse(key, "table \"" + t.name + "\" maps \"" + wire + "\" to a number; this field needs true, false or null");
      if (k != kind::flag && v.type != table_value::of::number)
        refuse(key, "table \"" + t.name + "\" maps \"" + wire + "\" to a flag; this field needs a number");
      if (k != kind::flag && hi > 0 && (v.number < lo || v.number > hi))
        refuse(key, "table \"" + t.name + "\" maps \"" + wire + "\" to " + std::to_string(v.number) + ", not one of " +
                        std::to_string(lo) + ".." + std::to_string(hi));
    }
  }

  read_format time_format(const json& j, const std::string& key) const {
    if (!j.is_string()) refuse(key, "expected a time format name, got " + type_of(j));
    const auto f = read_format_named(j.get_ref<const std::string&>());
    if (!f)
      refuse(key,
             "unknown time format \"" + j.get<std::string>() + "\" (one of: " + std::string(read_format_names()) + ")");
    return *f;
  }

  // A scalar field: a path, or an object with path/table/time/absent/language/new.
  field_spec scalar(const json& j, kind k, std::optional<F> f, const std::string& key) const {
    field_spec spec;
    spec.provided = true;
    spec.time = default_time_;
    if (j.is_string()) {
      spec.path = path(j, key);
    } else {
      if (!j.is_object()) refuse(key, "expected a path or an object, got " + type_of(j));
      only_keys(j, key, {"path", "table", "time", "absent", "language", "new"});
      const auto p = j.find("path");
      if (p == j.end()) refuse(key, "missing \"path\"");
      spec.path = path(*p, key + ".path");
      if (const auto t = j.find("table"); t != j.end()) {
        if (k != kind::status && k != kind::number && k != kind::flag)
          refuse(key + ".table", "only status, number and flag fields are read through a table");
        if (!t->is_string()) refuse(key + ".table", "expected a table name, got " + type_of(*t));
        for (const auto& table : tables_)
          if (table.name == t->get_ref<const std::string&>()) spec.table = &table;
        if (!spec.table) refuse(key + ".table", "no table \"" + t->get<std::string>() + "\"");
        check_table(*spec.table, k, f, key + ".table");
      }
      if (const auto t = j.find("time"); t != j.end()) {
        if (k != kind::time) refuse(key + ".time", "only time fields have a time format");
        spec.time = time_format(*t, key + ".time");
      }
      if (const auto a = j.find("absent"); a != j.end()) {
        if (*a == "unknown")
          spec.absent_unknown = true;
        else if (*a != "none")
          refuse(key + ".absent", "expected \"none\" or \"unknown\"");
      }
      if (const auto l = j.find("language"); l != j.end()) {
        if (k != kind::text && k != kind::code) refuse(key + ".language", "only text and code fields are translated");
        require_object(*l, key + ".language");
        only_keys(*l, key + ".language", {"match", "id", "value"});
        language_pick pick;
        for (const auto member : {"match", "value"}) {
          const auto m = l->find(member);
          if (m == l->end() || !m->is_string() || m->get_ref<const std::string&>().empty())
            refuse(key + ".language." + member, "expected a member name");
          (std::string_view(member) == "match" ? pick.match : pick.value) = m->get<std::string>();
        }
        const auto id = l->find("id");
        if (id == l->end() || !(id->is_string() || id->is_number_integer() || id->is_number_unsigned()))
          refuse(key + ".language.id", "expected the language id (a number or a string)");
        pick.id = id->is_string() ? normalize_code(id->get<std::string>()) : id->dump();
        spec.language = std::move(pick);
      }
      if (const auto n = j.find("new"); n != j.end()) {
        if (f != F::status) refuse(key + ".new", "only the status field has `new` values");
        if (!n->is_array()) refuse(key + ".new", "expected an array of wire values, got " + type_of(*n));
        for (const auto& v : *n) {
          if (!v.is_string() && !v.is_number_integer() && !v.is_number_unsigned())
            refuse(key + ".new", "expected wire values (strings or numbers), got " + type_of(v));
          spec.new_values.push_back(v.is_string() ? normalize_code(v.get<std::string>()) : v.dump());
        }
      }
    }
    return spec;
  }

  // `not_provided` of the record or of a list's items: names from `names`, none mapped in `mapped`.
  template <class Named>
  std::vector<std::size_t> not_provided(const json& holder, const std::string& key, const Named& names) const {
    std::vector<std::size_t> out;
    const auto it = holder.find("not_provided");
    if (it == holder.end()) return out;
    if (!it->is_array()) refuse(key, "expected an array of field names, got " + type_of(*it));
    for (const auto& n : *it) {
      if (!n.is_string()) refuse(key, "expected field names, got " + type_of(n));
      const std::string& name = n.get_ref<const std::string&>();
      std::optional<std::size_t> index;
      for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) index = i;
      if (!index) refuse(key, "\"" + name + "\" is not a field here");
      for (const auto o : out)
        if (o == *index) refuse(key, "\"" + name + "\" is named twice");
      out.push_back(*index);
    }
    return out;
  }

  template <std::size_t N>
  list_spec<N> list(const json& j, const std::array<item_field, N>& items, const std::string& key) const {
    list_spec<N> spec;
    if (!j.is_object()) refuse(key, "expected an object with \"path\" and \"items\", got " + type_of(j));
    only_keys(j, key, {"path", "items", "not_provided", "absent"});
    const auto p = j.find("path");
    if (p == j.end()) refuse(key, "missing \"path\"");
    spec.where.provided = true;
    spec.where.path = path(*p, key + ".path");
    if (const auto a = j.find("absent"); a != j.end()) {
      if (*a == "unknown")
        spec.where.absent_unknown = true;
      else if (*a != "none")
        refuse(key + ".absent", "expected \"none\" or \"unknown\"");
    }
    const auto it = j.find("items");
    if (it == j.end()) refuse(key, "missing \"items\"");
    require_object(*it, key + ".items");
    std::array<std::string_view, N> names;
    for (std::size_t i = 0; i < N; ++i) names[i] = items[i].name;
    for (const auto& [name, spec_json] : it->items()) {
      std::optional<std::size_t> index;
      for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name) index = i;
      if (!index) refuse(key + ".items." + name, "not an item field (expected one of: " + joined(names) + ")");
      spec.items[*index] = scalar(spec_json, items[*index].k, std::nullopt, key + ".items." + name);
    }
    const auto absent = not_provided(j, key + ".not_provided", names);
    for (const auto i : absent)
      if (spec.items[i].provided)
        refuse(key + ".not_provided", "\"" + std::string(names[i]) + "\" is both mapped and not provided");
    for (std::size_t i = 0; i < N; ++i) {
      bool declared = spec.items[i].provided;
      for (const auto a : absent) declared = declared || a == i;
      if (!declared)
        refuse(key + ".items",
               "item field \"" + std::string(names[i]) + "\" is neither mapped nor named in not_provided");
    }
    return spec;
  }

  template <std::size_t N>
  static std::string joined(const std::array<std::string_view, N>& names) {
    std::string out;
    for (const auto n : names) out.append(out.empty() ? "" : ", ").append(n);
    return out;
  }

  const std::string& file_;
  read_format default_time_ = read_format::iso8601;
  std::vector<value_table> tables_;
};

}  // namespace

struct record_profile::compiled {
  side origin = side::provincial;
  std::vector<value_table> tables;  // field specs point into it: never resized after compiling
  std::array<field_spec, canonical_field_count> fields;
  list_spec<result_items.size()> results;
  list_spec<step_items.size()> steps;
  canonical_set not_provided;
  std::vector<std::pair<std::string, int>> status_table;
};

record_profile::record_profile(const json& section, side origin, const std::string& file) {
  compiler c(file);
  c.require_object(section, "record");
  c.only_keys(section, "record", {"time_format", "fields", "tables", "not_provided"});
  if (const auto t = section.find("time_format"); t != section.end())
    c.default_time_ = c.time_format(*t, "record.time_format");
  auto out = std::make_shared<compiled>();
  out->origin = origin;
  c.tables(section);
  const auto fields = section.find("fields");
  if (fields == section.end()) c.refuse("record", "missing \"fields\"");
  c.require_object(*fields, "record.fields");
  std::array<std::string_view, canonical_field_count> names;
  for (std::size_t i = 0; i < canonical_field_count; ++i) names[i] = field_name(static_cast<F>(i));
  for (const auto& [name, spec] : fields->items()) {
    const std::string key = "record.fields." + name;
    const auto f = canonical_field_named(name);
    if (!f) c.refuse(key, "not a canonical field (docs/profiles.md#canonical-fields)");
    if (*f == F::results)
      out->results = c.list(spec, result_items, key);
    else if (*f == F::steps)
      out->steps = c.list(spec, step_items, key);
    else
      out->fields[static_cast<std::size_t>(*f)] = c.scalar(spec, kind_of(*f), *f, key);
  }
  out->fields[static_cast<std::size_t>(F::results)].provided = out->results.where.provided;
  out->fields[static_cast<std::size_t>(F::steps)].provided = out->steps.where.provided;
  for (const auto i : c.not_provided(section, "record.not_provided", names)) {
    if (out->fields[i].provided)
      c.refuse("record.not_provided", "\"" + std::string(names[i]) + "\" is both mapped and not provided");
    out->not_provided.insert(static_cast<F>(i));
  }
  for (std::size_t i = 0; i < canonical_field_count; ++i)
    if (!out->fields[i].provided && !out->not_provided.contains(static_cast<F>(i)))
      c.refuse("record.fields",
               "canonical field \"" + std::string(names[i]) + "\" is neither mapped nor named in record.not_provided");
  if (!out->fields[static_cast<std::size_t>(F::code)].provided)
    c.refuse("record.not_provided", "\"code\" is how dossiers are matched: every profile must map it");
  if (out->steps.where.provided && !out->steps.items[s_end].provided && !out->steps.items[s_open].provided)
    c.refuse("record.fields.steps.items", "a step needs \"end\" or \"open\" to tell whether it is open");
  out->tables = std::move(c.tables_);  // moves the vector's buffer: the specs' table pointers stay valid
  if (const value_table* t = out->fields[static_cast<std::size_t>(F::status)].table)
    for (const auto& [wire, v] : t->entries)
      if (v.type == table_value::of::number) out->status_table.emplace_back(wire, v.number);
  c_ = std::move(out);
}

side record_profile::origin() const { return c_->origin; }
canonical_set record_profile::not_provided() const { return c_->not_provided; }
const std::vector<std::pair<std::string, int>>& record_profile::status_table() const { return c_->status_table; }

// ---- reading ----

namespace {

// One record's reading: the record, where messages point, and the dossier's unknown set.
class reader {
 public:
  reader(canonical_set& unknown, std::vector<std::string>& warnings) : unknown_(unknown), warnings_(warnings) {}

  // The value a spec points at in `obj`, or nullptr when missing or null. An intermediate member that is not an
  // object is an error naming it.
  const json* find(const json& obj, const field_spec& spec, const site& at) const {
    const json* cur = &obj;
    const auto& segs = spec.path.segments;
    for (std::size_t i = 0; i < segs.size(); ++i) {
      if (!cur->is_object()) fail(at.with(spec.path.prefixes[i - 1]), "expected an object, got " + type_of(*cur));
      const auto it = cur->find(segs[i]);
      if (it == cur->end() || it->is_null()) return nullptr;
      cur = &*it;
    }
    if (spec.language) return pick(*cur, *spec.language, at.with(spec.path.text()));
    return cur;
  }

  // The element of a translation array whose `match` equals the language id; its `value` member.
  const json* pick(const json& translations, const language_pick& l, const site& at) const {
    if (!translations.is_array()) fail(at, "expected an array of translations, got " + type_of(translations));
    std::string scratch;
    const std::string array = at.name();
    for (std::size_t i = 0; i < translations.size(); ++i) {
      const json& e = translations[i];
      if (!e.is_object()) fail(site{array, i, ""}, "expected an object");
      const auto m = e.find(l.match);
      if (m == e.end() || m->is_null()) continue;
      if (table_key(*m, scratch, site{array, i, l.match}) != l.id) continue;
      const auto v = e.find(l.value);
      return v == e.end() || v->is_null() ? nullptr : &*v;
    }
    return nullptr;
  }

  // A missing value: unknown for this record when the spec says so; `field` is the canonical field it feeds.
  void absent(const field_spec& spec, std::optional<F> field) {
    if (spec.absent_unknown && field) unknown_.insert(*field);
  }

  std::string text(const json& obj, const field_spec& spec, const site& at, std::optional<F> field = {}) {
    if (!spec.provided) return {};
    const json* v = find(obj, spec, at);
    if (!v) {
      absent(spec, field);
      return {};
    }
    std::string scratch;
    const auto t = scalar_text(*v, scratch, at);
    return scratch.empty() ? std::string(t) : std::move(scratch);
  }

  std::string code(const json& obj, const field_spec& spec, const site& at, std::optional<F> field = {}) {
    if (!spec.provided) return {};
    const json* v = find(obj, spec, at);
    if (!v) {
      absent(spec, field);
      return {};
    }
    std::string scratch;
    return normalize_code(scalar_text(*v, scratch, at));
  }

  maybe_instant time(const json& obj, const field_spec& spec, const site& at, std::optional<F> field = {}) {
    if (!spec.provided) return std::nullopt;
    const json* v = find(obj, spec, at);
    if (!v) {
      absent(spec, field);
      return std::nullopt;
    }
    std::string scratch;
    const auto t = scalar_text(*v, scratch, at);
    try {
      return parse_time(t, spec.time);
    } catch (const std::invalid_argument& e) {
      fail(at, e.what());
    }
  }

  // A value through the spec's table: nullptr when missing (or "" without a `""` key); throws `unknown value`.
  // `miss` receives the key when the table has no such wire value instead of throwing.
  const table_value* tabled(const json& v, const field_spec& spec, const site& at, std::string* miss) {
    std::string scratch;
    const auto key = table_key(v, scratch, at);
    if (const table_value* tv = spec.table->find(key)) return tv;
    if (key.empty()) return nullptr;
    if (miss) {
      *miss = key;
      return nullptr;
    }
    fail(at, "unknown value " + quoted_value(key));
  }

  // A whole number with no table: digits only (docs/profiles.md#value-tables).
  static int whole_number(const json& v, const site& at, bool& empty) {
    std::string scratch;
    const std::string t = normalize_code(scalar_text(v, scratch, at));
    empty = t.empty();
    int n = 0;
    for (const char c : t) {
      if (c < '0' || c > '9' || n > 100000) fail(at, "expected a whole number, got \"" + t + "\"");
      n = n * 10 + (c - '0');
    }
    return n;
  }

  // A number field (channel, applicant_type). `lenient`: a bad value is a warning, the field left empty.
  std::optional<int> number(const json& obj, const field_spec& spec, const site& at, F field, bool lenient) {
    if (!spec.provided) return std::nullopt;
    const json* v = find(obj, spec, at);
    if (!v) {
      absent(spec, field);
      return std::nullopt;
    }
    try {
      if (spec.table) {
        const table_value* tv = tabled(*v, spec, at, nullptr);
        if (!tv) return std::nullopt;
        if (tv->type == table_value::of::unknown) {
          unknown_.insert(field);
          return std::nullopt;
        }
        return tv->number;
      }
      bool empty = false;
      const int n = whole_number(*v, at, empty);
      if (empty) return std::nullopt;
      return n;
    } catch (const record_error& e) {
      if (!lenient) throw;
      warnings_.push_back(std::string(e.what()) + "; left empty");
      return std::nullopt;
    }
  }

  std::optional<bool> flag(const json& obj, const field_spec& spec, const site& at, std::optional<F> field) {
    if (!spec.provided) return std::nullopt;
    const json* v = find(obj, spec, at);
    if (!v) {
      absent(spec, field);
      return std::nullopt;
    }
    if (spec.table) {
      const table_value* tv = tabled(*v, spec, at, nullptr);
      if (!tv) return std::nullopt;
      if (tv->type == table_value::of::unknown) {
        if (field) unknown_.insert(*field);
        return std::nullopt;
      }
      return tv->flag;
    }
    if (v->is_boolean()) return v->get<bool>();
    std::string scratch;
    const std::string t = normalize_code(scalar_text(*v, scratch, at));
    if (t == "TRUE" || t == "1") return true;
    if (t == "FALSE" || t == "0") return false;
    if (t.empty()) return std::nullopt;
    fail(at, "expected true or false, got \"" + t + "\"");
  }

  // The list's array, or nullptr when the dossier has none (null, missing or "").
  const json* array(const json& obj, const field_spec& spec, F field) {
    const site at{"", 0, spec.path.text()};
    const json* v = find(obj, spec, at);
    if (!v) {
      absent(spec, field);
      return nullptr;
    }
    if (v->is_string() && v->get_ref<const std::string&>().empty()) return nullptr;
    if (!v->is_array()) fail(at, "expected an array, got " + type_of(*v));
    return v;
  }

  canonical_set& unknown_;
  std::vector<std::string>& warnings_;
};

site top(const field_spec& spec) { return {"", 0, spec.provided ? std::string_view(spec.path.text()) : ""}; }

}  // namespace

parsed_dossier record_profile::read(const json& record, const status_overrides& overrides) const {
  if (!record.is_object())
    throw record_error("", "record is a JSON " + std::string(record.type_name()) + ", not an object");
  const compiled& c = *c_;
  parsed_dossier out;
  dossier& d = out.value;
  d.origin = c.origin;
  d.unknown = c.not_provided;
  reader r(d.unknown, out.warnings);
  const auto spec = [&c](F f) -> const field_spec& { return c.fields[static_cast<std::size_t>(f)]; };
  const auto text = [&](F f) { return r.text(record, spec(f), top(spec(f)), f); };
  const auto code = [&](F f) { return r.code(record, spec(f), top(spec(f)), f); };
  const auto time = [&](F f) { return r.time(record, spec(f), top(spec(f)), f); };

  d.id = text(F::id);
  d.code = code(F::code);
  const std::string nation_code = code(F::nation_code);
  d.key = nation_code.empty() ? d.code : nation_code;
  if (d.key.empty()) {
    const std::string code_path(spec(F::code).path.text());
    throw record_error(code_path, spec(F::nation_code).provided
                                      ? "missing: the record has neither " + code_path + " nor " +
                                            std::string(spec(F::nation_code).path.text())
                                      : std::string("missing"));
  }

  // Status (docs/profiles.md#value-tables): the configuration's overrides, then the table; without a table the
  // value must already be 1..10. An unknown status keeps the record and skips the rules that need it.
  if (const field_spec& s = spec(F::status); s.provided) {
    const site at = top(s);
    if (const json* v = r.find(record, s, at)) {
      std::string scratch;
      d.status_code = std::string(table_key(*v, scratch, at));
      if (const auto o = overrides.find(d.status_code); o != overrides.end()) {
        d.status = o->second;
      } else if (s.table) {
        if (const table_value* tv = s.table->find(d.status_code); tv && tv->type == table_value::of::number)
          d.status = tv->number;
      } else {
        const std::string_view t = d.status_code;
        int n = 0;
        const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
        if (ec == std::errc() && end == t.data() + t.size() && t.size() <= 2 && t.front() != '-' &&
            n >= national_status_min && n <= national_status_max)
          d.status = n;
      }
      for (const auto& n : s.new_values) d.registered = d.registered || n == d.status_code;
      if (!d.status)
        out.warnings.push_back(std::string(s.path.text()) + (d.status_code.empty()
                                                                 ? ": missing; status rules skipped for this record"
                                                                 : ": unknown status \"" + d.status_code +
                                                                       "\"; status rules skipped for this record"));
    } else if (s.absent_unknown) {
      d.unknown.insert(F::status);
    } else {
      out.warnings.push_back(std::string(s.path.text()) + ": missing; status rules skipped for this record");
    }
  }

  d.procedure_code = code(F::procedure_code);
  d.procedure_name = text(F::procedure_name);
  d.sector_code = code(F::sector_code);
  d.sector_name = text(F::sector_name);
  d.unit_code = code(F::unit_code);
  d.unit_name = text(F::unit_name);
  d.applicant_name = text(F::applicant_name);
  d.applicant_phone = text(F::applicant_phone);
  d.applicant_email = text(F::applicant_email);
  // No rule reads the applicant type: a bad value is reported and left empty, the record kept.
  d.applicant_type = r.number(record, spec(F::applicant_type), top(spec(F::applicant_type)), F::applicant_type, true);
  d.summary = text(F::summary);
  d.channel = r.number(record, spec(F::channel), top(spec(F::channel)), F::channel, false);
  d.online_payment = r.flag(record, spec(F::online_payment), top(spec(F::online_payment)), F::online_payment);
  d.digitized = r.flag(record, spec(F::digitised), top(spec(F::digitised)), F::digitised);
  d.received = time(F::received);
  d.due = time(F::due);
  d.completed = time(F::completed);
  d.returned = time(F::returned);
  d.updated = time(F::updated);

  if (c.results.where.provided) {
    if (const json* a = r.array(record, c.results.where, F::results)) {
      const std::string_view list = c.results.where.path.text();
      d.results.reserve(a->size());
      for (std::size_t i = 0; i < a->size(); ++i) {
        const json& item = (*a)[i];
        const site at{list, i, ""};
        if (!item.is_object()) fail(at, "expected an object");
        const auto& it = c.results.items;
        const auto field = [&](std::size_t k) { return r.text(item, it[k], at.with(it[k].path.text())); };
        d.results.push_back({field(r_code), field(r_name), field(r_url)});
      }
    }
  }
  if (c.steps.where.provided) {
    if (const json* a = r.array(record, c.steps.where, F::steps)) {
      const std::string_view list = c.steps.where.path.text();
      d.steps.reserve(a->size());
      for (std::size_t i = 0; i < a->size(); ++i) {
        const json& item = (*a)[i];
        const site at{list, i, ""};
        if (!item.is_object()) fail(at, "expected an object");
        const auto& it = c.steps.items;
        const auto where = [&](std::size_t k) { return it[k].provided ? at.with(it[k].path.text()) : at; };
        const auto txt = [&](std::size_t k) { return r.text(item, it[k], where(k)); };
        const auto tm = [&](std::size_t k) { return r.time(item, it[k], where(k)); };
        processing_step s{txt(s_name),   txt(s_handler), txt(s_position), txt(s_department),
                          txt(s_status), tm(s_start),    tm(s_end),       tm(s_due)};
        // docs/profiles.md#canonical-fields: a step without `open` is open while it has no `end`.
        const auto open = r.flag(item, it[s_open], where(s_open), std::nullopt);
        s.open = open ? *open : !s.end;
        d.steps.push_back(std::move(s));
      }
    }
  }
  return out;
}

}  // namespace dvc
