#include "connectors/transport_profile.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string_view>

#include "connectors/endpoint_url.hpp"
#include "connectors/header_value.hpp"
#include "reconcile/profile_error.hpp"

namespace dvc {
namespace {

using ojson = nlohmann::ordered_json;

constexpr std::array<std::pair<std::string_view, placeholder>, 12> placeholder_names{{
    {"since", placeholder::since},
    {"until", placeholder::until},
    {"page", placeholder::page},
    {"size", placeholder::size},
    {"unit", placeholder::unit},
    {"code", placeholder::code},
    {"session", placeholder::session},
    {"username", placeholder::username},
    {"password", placeholder::password},
    {"client_id", placeholder::client_id},
    {"dstcode", placeholder::dstcode},
    {"madonvi", placeholder::madonvi},
}};

// The configuration values every template may name (docs/profiles.md#templates).
constexpr std::array<placeholder, 5> config_placeholders{
    placeholder::username, placeholder::password, placeholder::client_id, placeholder::dstcode, placeholder::madonvi};

std::string join(const std::string& parent, std::string_view member) {
  return parent.empty() ? std::string(member) : parent + "." + std::string(member);
}

// Reads one profile file's sections, each refusal naming the file and the key.
class section_reader {
 public:
  explicit section_reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw profile_error(file_, key, message);
  }
  const std::string& file() const { return file_; }

  // `value` at `key` must be an object holding only `allowed` members.
  const ojson& object(const ojson& value, const std::string& key,
                      std::initializer_list<std::string_view> allowed) const {
    if (!value.is_object()) fail(key, "an object is expected.");
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string& member = it.key();
      if (std::find(allowed.begin(), allowed.end(), member) == allowed.end()) {
        std::string names;
        for (const auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
        fail(join(key, member), "unknown key (known here: " + names + ").");
      }
    }
    return value;
  }

  const ojson* member(const ojson& object, std::string_view name) const {
    const auto it = object.find(std::string(name));
    return it == object.end() ? nullptr : &*it;
  }

  const ojson& required(const ojson& object, const std::string& parent, std::string_view name) const {
    const ojson* v = member(object, name);
    if (!v) fail(join(parent, name), "is required.");
    return *v;
  }

  std::string text(const ojson& value, const std::string& key) const {
    if (!value.is_string()) fail(key, "a string is expected.");
    return value.get<std::string>();
  }

  // One of `choices`, by name.
  template <class T, std::size_t N>
  T choice(const ojson& value, const std::string& key,
           const std::array<std::pair<std::string_view, T>, N>& choices) const {
    const std::string name = text(value, key);
    std::string names;
    for (const auto& [n, v] : choices) {
      if (n == name) return v;
      names += (names.empty() ? "" : ", ") + std::string(n);
    }
    fail(key, "\"" + name + "\" is not one of " + names + ".");
  }

  json_path path(const ojson& value, const std::string& key, bool may_be_empty) const {
    const std::string p = text(value, key);
    if (p.empty() && !may_be_empty) fail(key, "a path (`member.member`) is expected, not \"\".");
    const json_path out = parse_json_path(p);
    for (const auto& m : out)
      if (m.empty()) fail(key, "\"" + p + "\" has an empty member name.");
    return out;
  }

  std::size_t whole_number(const ojson& value, const std::string& key) const {
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0) fail(key, "a whole number is expected.");
    return value.get<std::size_t>();
  }

  // Every placeholder `t` names must be among `allowed`.
  void only(const text_template& t, const std::string& key, const std::vector<placeholder>& allowed) const {
    for (const auto& [name, p] : placeholder_names) {
      if (t.uses(p) && std::find(allowed.begin(), allowed.end(), p) == allowed.end())
        fail(key, "{" + std::string(name) + "} cannot be used here.");
    }
  }
  void only(const json_template& t, const std::vector<placeholder>& allowed) const {
    for (const auto& s : t.strings()) only(s.value, s.key, allowed);
  }

 private:
  std::string file_;
};

std::vector<placeholder> with_config(std::initializer_list<placeholder> more) {
  std::vector<placeholder> out(config_placeholders.begin(), config_placeholders.end());
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

request_template read_request(const section_reader& r, const ojson& section, const std::string& key,
                              portal_protocol protocol, const std::vector<placeholder>& allowed) {
  request_template out;
  out.method = protocol == portal_protocol::adapter ? http_method::post : http_method::get;
  if (const ojson* m = r.member(section, "method")) {
    constexpr std::array<std::pair<std::string_view, http_method>, 2> methods{
        {{"GET", http_method::get}, {"POST", http_method::post}}};
    out.method = r.choice(*m, join(key, "method"), methods);
    if (protocol == portal_protocol::adapter && out.method != http_method::post)
      r.fail(join(key, "method"), "an adapter is called with POST only.");
  }
  const std::string path_key = join(key, "path");
  out.path = text_template::compile(r.text(r.required(section, key, "path"), path_key), r.file(), path_key);
  if (!out.path.text().empty() && out.path.text().front() != '/')
    r.fail(path_key, "a path appended to base_url starts with `/` (or is \"\").");
  r.only(out.path, path_key, allowed);
  if (const ojson* q = r.member(section, "query")) {
    const std::string query_key = join(key, "query");
    if (!q->is_object()) r.fail(query_key, "an object of parameter templates is expected.");
    for (const auto& [name, value] : q->items()) {
      const std::string k = join(query_key, name);
      if (name.empty()) r.fail(k, "a parameter needs a name.");
      out.query.emplace_back(name, text_template::compile(r.text(value, k), r.file(), k));
      r.only(out.query.back().second, k, allowed);
    }
  }
  if (const ojson* b = r.member(section, "body")) {
    const std::string body_key = join(key, "body");
    if (out.method != http_method::post) r.fail(body_key, "a body is sent with method POST only.");
    if (!b->is_object()) r.fail(body_key, "a JSON object is expected.");
    out.body = json_template::compile(*b, r.file(), body_key);
    r.only(*out.body, allowed);
  }
  return out;
}

auth_spec read_auth(const section_reader& r, const ojson& value, portal_protocol protocol) {
  const ojson& section = r.object(value, "auth", {"grant", "login", "session"});
  constexpr std::array<std::pair<std::string_view, auth_grant>, 3> grants{{
      {"client_credentials", auth_grant::client_credentials},
      {"password", auth_grant::password},
      {"session", auth_grant::session},
  }};
  auth_spec out;
  out.grant = r.choice(r.required(section, "auth", "grant"), "auth.grant", grants);
  if (out.grant == auth_grant::session) {
    if (protocol != portal_protocol::adapter) r.fail("auth.grant", "grant session is for protocol adapter.");
    const ojson& login = r.object(r.required(section, "auth", "login"), "auth.login", {"path", "body"});
    out.login = read_request(r, login, "auth.login", protocol, with_config({}));
    if (!out.login.body) r.fail("auth.login.body", "is required: the log-in call sends the credentials.");
    out.session = r.path(r.required(section, "auth", "session"), "auth.session", false);
  } else {
    if (protocol != portal_protocol::rest) r.fail("auth.grant", "an adapter logs in with grant session.");
    for (const char* k : {"login", "session"})
      if (r.member(section, k)) r.fail(join("auth", k), "belongs to grant session only.");
  }
  return out;
}

std::vector<std::string> code_list(const section_reader& r, const ojson& value, const std::string& key) {
  if (!value.is_array()) r.fail(key, "an array of codes is expected.");
  std::vector<std::string> out;
  for (const auto& code : value) {
    if (code.is_string())
      out.push_back(code.get<std::string>());
    else if (code.is_number_integer())
      out.push_back(code.dump());
    else
      r.fail(key, "a code is a string or a whole number.");
  }
  return out;
}

error_spec read_errors(const section_reader& r, const ojson& value) {
  const ojson& section =
      r.object(value, "errors", {"code", "message", "ok", "session_expired", "bad_request", "ok_when"});
  error_spec out;
  if (const ojson* v = r.member(section, "code")) out.code = r.path(*v, "errors.code", false);
  if (const ojson* v = r.member(section, "message")) out.message = r.path(*v, "errors.message", false);
  if (const ojson* v = r.member(section, "ok")) out.ok = code_list(r, *v, "errors.ok");
  if (const ojson* v = r.member(section, "session_expired"))
    out.session_expired = code_list(r, *v, "errors.session_expired");
  if (const ojson* v = r.member(section, "bad_request")) out.bad_request = code_list(r, *v, "errors.bad_request");
  if (const ojson* v = r.member(section, "ok_when")) {
    if (!v->is_array()) r.fail("errors.ok_when", "an array of {\"code\", \"message_contains\"} is expected.");
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string key = "errors.ok_when[" + std::to_string(i) + "]";
      const ojson& e = r.object((*v)[i], key, {"code", "message_contains"});
      const ojson& code = r.required(e, key, "code");
      const auto codes = code_list(r, ojson::array({code}), join(key, "code"));
      out.ok_when.push_back({codes[0], r.text(r.required(e, key, "message_contains"), join(key, "message_contains"))});
    }
  }
  return out;
}

list_spec read_list(const section_reader& r, const ojson& value, const transport_profile& p) {
  const ojson& section = r.object(value, "list",
                                  {"method", "path", "query", "body", "time_format", "page_base", "max_page_size",
                                   "order", "filter", "records", "end", "id", "updated"});
  list_spec out;
  constexpr std::array<std::pair<std::string_view, list_order>, 2> orders{
      {{"ascending", list_order::ascending}, {"descending", list_order::descending}}};
  constexpr std::array<std::pair<std::string_view, list_filter>, 3> filters{
      {{"since", list_filter::since}, {"window", list_filter::window}, {"none", list_filter::none}}};
  out.order = r.choice(r.required(section, "list", "order"), "list.order", orders);
  out.filter = r.choice(r.required(section, "list", "filter"), "list.filter", filters);
  // docs/profiles.md#list: the two ways a listing is read without missing a record that changes meanwhile.
  if (out.filter == list_filter::none && out.order != list_order::descending)
    r.fail("list.filter", "filter none requires order descending (the reader stops at the watermark).");
  if (out.filter != list_filter::none && out.order != list_order::ascending)
    r.fail("list.order", "a listing with a time filter is read in order ascending (its update time is the cursor).");

  std::vector<placeholder> allowed = with_config({placeholder::page, placeholder::size, placeholder::unit});
  if (out.filter != list_filter::none) allowed.push_back(placeholder::since);
  if (out.filter == list_filter::window) allowed.push_back(placeholder::until);
  if (p.auth.grant == auth_grant::session) allowed.push_back(placeholder::session);
  out.request = read_request(r, section, "list", p.protocol, allowed);
  if (!out.request.uses(placeholder::page)) r.fail("list", "no query or body member sends {page}.");
  if (!out.request.uses(placeholder::size)) r.fail("list", "no query or body member sends {size}.");
  if (out.filter != list_filter::none && !out.request.uses(placeholder::since))
    r.fail("list", "filter " + std::string(out.filter == list_filter::since ? "since" : "window") +
                       " needs {since} in the query or body.");
  if (out.filter == list_filter::window && !out.request.uses(placeholder::until))
    r.fail("list", "filter window needs {until} in the query or body.");

  if (const ojson* v = r.member(section, "time_format")) {
    const std::string name = r.text(*v, "list.time_format");
    const auto f = write_format_named(name);
    if (!f) r.fail("list.time_format", "\"" + name + "\" is not one of " + std::string(write_format_names()) + ".");
    out.time_format = *f;
  } else if (out.filter != list_filter::none) {
    r.fail("list.time_format", "is required: it writes {since}.");
  }
  out.page_base = r.whole_number(r.required(section, "list", "page_base"), "list.page_base");
  if (out.page_base > 1) r.fail("list.page_base", "the first page is numbered 0 or 1.");
  if (const ojson* v = r.member(section, "max_page_size")) {
    out.max_page_size = r.whole_number(*v, "list.max_page_size");
    if (out.max_page_size == 0) r.fail("list.max_page_size", "must be at least 1.");
  }
  out.records = r.path(r.required(section, "list", "records"), "list.records", true);

  const ojson& end =
      r.object(r.required(section, "list", "end"), "list.end", {"total_pages", "total_records", "last", "short_page"});
  if (end.size() != 1) r.fail("list.end", "exactly one of total_pages, total_records, last or short_page is expected.");
  const std::string kind = end.begin().key();
  const ojson& spec = end.begin().value();
  const std::string end_key = "list.end." + kind;
  if (kind == "short_page") {
    if (spec != true) r.fail(end_key, "`true` is expected.");
    out.end = list_end::short_page;
  } else {
    out.end = kind == "total_pages"     ? list_end::total_pages
              : kind == "total_records" ? list_end::total_records
                                        : list_end::last;
    out.end_path = r.path(spec, end_key, false);
  }
  out.id = r.path(r.required(section, "list", "id"), "list.id", false);
  const ojson& updated = r.object(r.required(section, "list", "updated"), "list.updated", {"path", "time"});
  out.updated = r.path(r.required(updated, "list.updated", "path"), "list.updated.path", false);
  const std::string time = r.text(r.required(updated, "list.updated", "time"), "list.updated.time");
  const auto format = read_format_named(time);
  if (!format) r.fail("list.updated.time", "\"" + time + "\" is not one of " + std::string(read_format_names()) + ".");
  out.updated_format = *format;
  return out;
}

lookup_spec read_lookup(const section_reader& r, const ojson& value, const transport_profile& p) {
  const ojson& section = r.object(value, "lookup", {"method", "path", "query", "body", "records", "not_found"});
  lookup_spec out;
  std::vector<placeholder> allowed = with_config({placeholder::code});
  if (p.auth.grant == auth_grant::session) allowed.push_back(placeholder::session);
  out.request = read_request(r, section, "lookup", p.protocol, allowed);
  if (!out.request.uses(placeholder::code)) r.fail("lookup", "no path, query or body member sends {code}.");
  out.records = r.path(r.required(section, "lookup", "records"), "lookup.records", true);
  constexpr std::array<std::pair<std::string_view, lookup_miss>, 2> misses{
      {{"status_404", lookup_miss::status_404}, {"empty", lookup_miss::empty}}};
  out.not_found = r.choice(r.required(section, "lookup", "not_found"), "lookup.not_found", misses);
  if (out.not_found == lookup_miss::status_404 && p.protocol != portal_protocol::rest)
    r.fail("lookup.not_found", "status_404 is for protocol rest; an adapter answers an empty array (empty).");
  if (out.not_found == lookup_miss::empty && out.records.empty())
    r.fail("lookup.not_found", "empty needs `records`: the path of the record array.");
  return out;
}

}  // namespace

text_template text_template::compile(const std::string& text, const std::string& file, const std::string& key) {
  text_template out;
  out.text_ = text;
  std::string literal;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      if (text[i] == '}') throw profile_error(file, key, "a `}` without its `{` in \"" + text + "\".");
      literal += text[i];
      continue;
    }
    const auto close = text.find('}', i);
    if (close == std::string::npos) throw profile_error(file, key, "a `{` without its `}` in \"" + text + "\".");
    const std::string_view name(text.data() + i + 1, close - i - 1);
    std::optional<placeholder> slot;
    for (const auto& [n, p] : placeholder_names)
      if (n == name) slot = p;
    if (!slot) {
      std::string names;
      for (const auto& [n, p] : placeholder_names) names += (names.empty() ? "{" : ", {") + std::string(n) + "}";
      throw profile_error(file, key, "unknown placeholder {" + std::string(name) + "} (known: " + names + ").");
    }
    out.pieces_.push_back({std::move(literal), slot});
    literal.clear();
    i = close;
  }
  if (!literal.empty()) out.pieces_.push_back({std::move(literal), std::nullopt});
  return out;
}

std::string text_template::expand(const template_values& v, bool percent_encoded) const {
  std::string out;
  for (const piece& p : pieces_) {
    out += p.literal;
    if (!p.slot) continue;
    std::string value;
    switch (*p.slot) {
      case placeholder::since:
        value = v.since;
        break;
      case placeholder::until:
        value = v.until;
        break;
      case placeholder::page:
        value = std::to_string(v.page);
        break;
      case placeholder::size:
        value = std::to_string(v.size);
        break;
      case placeholder::unit:
        value = v.unit;
        break;
      case placeholder::code:
        value = v.code;
        break;
      case placeholder::session:
        value = v.session;
        break;
      case placeholder::username:
        value = v.username;
        break;
      case placeholder::password:
        value = v.password;
        break;
      case placeholder::client_id:
        value = v.client_id;
        break;
      case placeholder::dstcode:
        value = v.dstcode;
        break;
      case placeholder::madonvi:
        value = v.madonvi;
        break;
    }
    out += percent_encoded ? percent_encode(value) : value;
  }
  return out;
}

bool text_template::uses(placeholder p) const {
  return std::any_of(pieces_.begin(), pieces_.end(), [p](const piece& x) { return x.slot == p; });
}

bool text_template::is_exactly(placeholder p) const {
  return pieces_.size() == 1 && pieces_[0].literal.empty() && pieces_[0].slot == p;
}

bool text_template::literal() const {
  return std::none_of(pieces_.begin(), pieces_.end(), [](const piece& x) { return x.slot.has_value(); });
}

json_template json_template::compile(const ojson& body, const std::string& file, const std::string& key) {
  json_template out;
  out.shape_ = nlohmann::json(body);
  // Depth first over the body as written, so members keep the profile's order.
  const auto walk = [&](const auto& self, const ojson& value, const std::string& pointer, const std::string& where,
                        const std::string* top_member) -> void {
    if (value.is_string()) {
      auto t = text_template::compile(value.get<std::string>(), file, where);
      if (top_member) out.members_.emplace_back(*top_member, t);
      out.strings_.push_back({nlohmann::json::json_pointer(pointer), where, std::move(t)});
      return;
    }
    if (value.is_object()) {
      for (const auto& [name, member] : value.items()) {
        std::string escaped;
        for (const char c : name) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
        self(self, member, pointer + "/" + escaped, join(where, name), &value == &body ? &name : nullptr);
      }
    } else if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i)
        self(self, value[i], pointer + "/" + std::to_string(i), where + "[" + std::to_string(i) + "]", nullptr);
    }
  };
  walk(walk, body, "", key, nullptr);
  return out;
}

nlohmann::json json_template::expand(const template_values& values) const {
  nlohmann::json out = shape_;
  for (const auto& [pointer, key, t] : strings_) {
    if (t.is_exactly(placeholder::page))
      out[pointer] = values.page;
    else if (t.is_exactly(placeholder::size))
      out[pointer] = values.size;
    else
      out[pointer] = t.expand(values);
  }
  return out;
}

bool json_template::uses(placeholder p) const {
  return std::any_of(strings_.begin(), strings_.end(), [p](const string_member& s) { return s.value.uses(p); });
}

bool request_template::uses(placeholder p) const {
  return path.uses(p) || (body && body->uses(p)) ||
         std::any_of(query.begin(), query.end(), [p](const auto& q) { return q.second.uses(p); });
}

bool transport_profile::uses(placeholder p) const {
  return std::any_of(headers.begin(), headers.end(), [p](const auto& h) { return h.second.uses(p); }) ||
         (auth.grant == auth_grant::session && auth.login.uses(p)) || (list && list->request.uses(p)) ||
         (lookup && lookup->request.uses(p));
}

transport_profile compile_transport(const ojson& profile, const std::string& file) {
  const section_reader r(file);
  r.object(profile, "", {"name", "side", "protocol", "auth", "headers", "errors", "list", "lookup", "record"});
  transport_profile out;
  out.file = file;
  out.name = r.text(r.required(profile, "", "name"), "name");
  if (out.name.empty()) r.fail("name", "a short name is expected, not \"\".");
  out.side = r.text(r.required(profile, "", "side"), "side");
  if (out.side != "provincial" && out.side != "national")
    r.fail("side", "\"" + out.side + "\" is not one of provincial, national.");
  constexpr std::array<std::pair<std::string_view, portal_protocol>, 2> protocols{
      {{"rest", portal_protocol::rest}, {"adapter", portal_protocol::adapter}}};
  out.protocol = r.choice(r.required(profile, "", "protocol"), "protocol", protocols);
  out.auth = read_auth(r, r.required(profile, "", "auth"), out.protocol);

  if (const ojson* h = r.member(profile, "headers")) {
    if (!h->is_object()) r.fail("headers", "an object of header templates is expected.");
    for (const auto& [name, value] : h->items()) {
      const std::string key = join("headers", name);
      if (!is_header_name(name)) r.fail(key, "not a valid header name.");
      out.headers.emplace_back(name, text_template::compile(r.text(value, key), file, key));
      r.only(out.headers.back().second, key, with_config({}));
    }
  }
  if (const ojson* e = r.member(profile, "errors")) {
    if (out.protocol != portal_protocol::adapter)
      r.fail("errors", "only an adapter reports errors in the body; rest answers with HTTP statuses.");
    out.errors = read_errors(r, *e);
  }
  if (const ojson* l = r.member(profile, "list")) out.list = read_list(r, *l, out);
  if (const ojson* l = r.member(profile, "lookup")) out.lookup = read_lookup(r, *l, out);
  if (!out.list && out.side == "provincial") r.fail("list", "is required: a provincial profile must list.");
  if (!out.list && !out.lookup) r.fail("lookup", "is required when `list` is absent (a look-up-only portal).");
  return out;
}

transport_profile compile_transport(const nlohmann::json& profile, const std::string& file) {
  return compile_transport(ojson(profile), file);
}

json_path parse_json_path(const std::string& text) {
  json_path out;
  if (text.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const auto dot = text.find('.', start);
    out.push_back(text.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

const nlohmann::json* find_at(const nlohmann::json& value, const json_path& path) {
  const nlohmann::json* at = &value;
  for (const auto& member : path) {
    if (!at->is_object()) return nullptr;
    const auto it = at->find(member);
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at;
}

std::string json_path_text(const json_path& path) {
  std::string out;
  for (const auto& member : path) out += (out.empty() ? "" : ".") + member;
  return out;
}

}  // namespace dvc
