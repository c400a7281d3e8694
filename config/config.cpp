#include "config/config.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <set>
#include <stdexcept>

#include "config/config_comments.hpp"
#include "config/config_reader.hpp"
#include "config/config_tokens.hpp"
#include "connectors/endpoint_url.hpp"
#include "reconcile/bounded_json.hpp"
#include "reconcile/normalize.hpp"
#include "reconcile/profile_error.hpp"

namespace dvc {

namespace fs = std::filesystem;

std::string_view log_level_name(log_level level) {
  switch (level) {
    case log_level::error:
      return "error";
    case log_level::warning:
      return "warning";
    case log_level::info:
      return "info";
    case log_level::debug:
      return "debug";
  }
  return "info";
}

std::vector<std::string> config::unit_codes_read() const {
  std::vector<std::string> out;
  std::set<std::string, std::less<>> seen;
  const auto add = [&](const std::string& code) {
    if (seen.insert(code).second) out.push_back(code);
  };
  for (const auto& u : units) {
    add(u.code);
    for (const auto& old : successions.predecessors(u.code)) add(old);
  }
  return out;
}

std::string config::unit_name(const std::string& code) const {
  for (const auto& u : units)
    if (u.code == code) return u.name;
  return {};
}

portal_config portal_settings::client_config() const {
  portal_config out = portal;
  out.client_secret = client_secret.reveal();
  out.password = password.reveal();
  return out;
}

std::string describe(const config_problem& problem) {
  return problem.path.empty() ? problem.message : problem.path + ": " + problem.message;
}

namespace {

std::string ascii_lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// Unit identifier (mã định danh) `000.00.12.H10`: three digits, two, two, then a letter and two digits.
bool is_unit_code(std::string_view code) {
  static constexpr std::string_view shape = "999.99.99.A99";
  if (code.size() != shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const auto c = static_cast<unsigned char>(code[i]);
    switch (shape[i]) {
      case '9':
        if (!std::isdigit(c)) return false;
        break;
      case 'A':
        if (!std::isupper(c)) return false;
        break;
      default:
        if (code[i] != shape[i]) return false;
    }
  }
  return true;
}

class loader {
 public:
  loader(fs::path base_dir, const config_options& options) : base_dir_(std::move(base_dir)), options_(options) {}

  config_load load(const nlohmann::json& doc) {
    config c;
    config_object root(doc, "", problems_);
    if (root.valid()) read_root(root, c);
    if (root.valid()) {
      check_read_access(c);
      check_audit(c);
    }
    config_load out;
    const bool only_host = problems_.only_host();
    out.problems = problems_.take();
    out.warnings = warnings_.take();
    if (out.problems.empty())
      out.value = std::move(c);
    else if (only_host)
      out.as_written = std::move(c);
    return out;
  }

 private:
  void read_root(config_object& root, config& c) {
    if (auto ledger = root.text("ledger", presence::required)) check_ledger(root.path_of("ledger"), *ledger, c);
    if (auto n = root.integer("poll_interval_s", 10, 86400, presence::optional)) c.poll_interval_s = *n;
    if (auto n = root.integer("sync_grace_s", 0, 7 * 86400, presence::optional)) c.sync_grace_s = *n;
    if (auto n = root.integer("lookback_s", 0, 7 * 86400, presence::optional)) c.lookback_s = *n;
    if (auto n = root.integer("progress_interval_s", 1, 3600, presence::optional)) c.progress_interval_s = *n;
    if (auto since = root.text("since", presence::optional)) read_since(root.path_of("since"), *since, c);
    if (const auto* units = root.member("units", presence::optional)) read_units(root.path_of("units"), *units, c);
    if (const auto* list = root.member("successions", presence::optional))
      read_successions(root.path_of("successions"), *list, c);
    if (auto o = root.object("sync_rate", presence::optional); o.valid()) read_sync_rate(o, c);
    if (auto level = root.text("log_level", presence::optional)) read_log_level(root.path_of("log_level"), *level, c);
    if (auto n = root.integer("body_retention_days", 1, 36500, presence::optional)) c.body_retention_days = *n;

    if (const auto* p = root.member("provincial", presence::required))
      read_provincial(root.path_of("provincial"), *p, c);
    if (auto o = root.object("national", presence::required); o.valid()) read_national(o, c.national);
    if (auto o = root.object("http", presence::optional); o.valid()) read_http(o, c.http);
    if (auto o = root.object("audit", presence::optional); o.valid()) read_audit(o, c.audit);
    if (auto o = root.object("status_map", presence::optional); o.valid()) read_status_map(o, c.statuses);
    if (auto o = root.object("targets", presence::optional); o.valid()) read_targets(o, c.targets);
    if (auto o = root.object("alerts", presence::optional); o.valid()) read_alerts(o, c.alerts);
    root.report_unknown_keys();
  }

  // The path a value names: a leading ${CREDENTIALS_DIRECTORY} or ${STATE_DIRECTORY} replaced by the directory
  // systemd gives the service, a relative path taken from the configuration's directory. nullopt, with the problem
  // reported, for a variable dvcrecon does not know (the file's) or one that is not set (the host's).
  std::optional<fs::path> resolve(const std::string& key_path, const std::string& value) {
    std::string text = value;
    if (text.starts_with("${")) {
      const auto end = text.find('}');
      const std::string name = end == std::string::npos ? "" : text.substr(2, end - 2);
      if (name != "CREDENTIALS_DIRECTORY" && name != "STATE_DIRECTORY") {
        problems_.add(key_path, "a path may start with ${CREDENTIALS_DIRECTORY} or ${STATE_DIRECTORY} only (got " +
                                    text.substr(0, end == std::string::npos ? 2 : end + 1) + ")");
        return std::nullopt;
      }
      auto dir = options_.variable(name);
      if (!dir || dir->empty()) {
        problems_.add_host(key_path, name + " is not set; systemd sets it for the service (" +
                                         (name == "STATE_DIRECTORY" ? "StateDirectory=" : "LoadCredential=") + ")");
        return std::nullopt;
      }
      // A unit with several StateDirectory= entries gets them joined by ':'; the first is the service's own.
      if (name == "STATE_DIRECTORY") dir->erase(std::min(dir->find(':'), dir->size()));
      text = *dir + text.substr(end + 1);
    }
    const fs::path path(text);
    return path.is_absolute() ? path : base_dir_ / path;
  }

  bool reads_portal_files() const { return options_.use == config_use::service; }
  bool reads_api_files() const { return options_.use == config_use::service || options_.use == config_use::api; }
  bool reads_audit_key() const { return options_.use != config_use::ledger && options_.use != config_use::alerts; }
  bool reads_alert_files() const { return options_.use == config_use::service || options_.use == config_use::alerts; }

  void check_ledger(const std::string& key_path, const std::string& value, config& c) {
    const auto resolved = resolve(key_path, value);
    if (!resolved) return;
    const fs::path& ledger = *resolved;
    c.ledger = ledger;
    // The ledger commands check the file itself when they open it; only a writer needs its directory.
    if (!reads_api_files()) return;
    fs::path dir = ledger.parent_path();
    if (dir.empty()) dir = ".";
    std::error_code ec;
    const auto st = fs::status(dir, ec);
    if (!fs::exists(st)) {
      problems_.add_host(key_path, "directory " + dir.string() + " does not exist");
      return;
    }
    if (!fs::is_directory(st)) {
      problems_.add_host(key_path, dir.string() + " is not a directory");
      return;
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
      problems_.add_host(key_path, "directory " + dir.string() + " is not writable (" + std::strerror(errno) + ")");
      return;
    }
    const auto file_st = fs::status(ledger, ec);
    if (fs::exists(file_st)) {
      if (!fs::is_regular_file(file_st)) {
        problems_.add_host(key_path, ledger.string() + " exists and is not a regular file");
        return;
      }
      if (::access(ledger.c_str(), R_OK | W_OK) != 0) {
        problems_.add_host(key_path, ledger.string() + " is not writable (" + std::strerror(errno) + ")");
        return;
      }
    }
  }

  void read_since(const std::string& key_path, const std::string& value, config& c) {
    try {
      c.since = parse_iso_time(value);
    } catch (const std::invalid_argument&) {
      problems_.add(key_path, "is not an ISO 8601 time such as 2024-01-01T00:00:00+07:00 (got " + value + ")");
    }
  }

  void read_units(const std::string& key_path, const nlohmann::json& units, config& c) {
    if (!units.is_array()) {
      problems_.add(key_path, wrong_type("an array", units));
      return;
    }
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < units.size(); ++i) {
      config_object unit(units[i], key_path + "[" + std::to_string(i) + "]", problems_);
      if (!unit.valid()) continue;
      unit_config u;
      if (auto code = unit.text("code", presence::required)) {
        u.code = normalize_code(*code);
        if (!is_unit_code(u.code)) {
          problems_.add(unit.path_of("code"), "is not a unit code such as 000.00.12.H10 (got " + *code + ")");
        } else if (!seen.insert(u.code).second) {
          problems_.add(unit.path_of("code"), "unit " + u.code + " is listed twice");
        }
      }
      if (auto name = unit.text("name", presence::optional)) u.name = *name;
      unit.report_unknown_keys();
      c.units.push_back(std::move(u));
    }
  }

  // docs/configuration.md#successions. Read after `units`, so a successor that is not listed can be named.
  void read_successions(const std::string& key_path, const nlohmann::json& list, config& c) {
    if (!list.is_array()) {
      problems_.add(key_path, wrong_type("an array", list));
      return;
    }
    std::set<std::string, std::less<>> listed;
    for (const auto& u : c.units) listed.insert(u.code);
    std::vector<unit_succession> read;
    bool complete = true;
    for (std::size_t i = 0; i < list.size(); ++i) {
      config_object entry(list[i], key_path + "[" + std::to_string(i) + "]", problems_);
      if (!entry.valid()) {
        complete = false;
        continue;
      }
      unit_succession s;
      const auto code = [&](std::string_view key, std::string& out) {
        const auto text = entry.text(key, presence::required);
        if (!text) return false;
        out = normalize_code(*text);
        if (is_unit_code(out)) return true;
        problems_.add(entry.path_of(key), "is not a unit code such as 000.00.12.H10 (got " + *text + ")");
        return false;
      };
      bool ok = code("from", s.from);
      ok = code("to", s.to) && ok;
      if (ok && !listed.empty() && !listed.count(s.to))
        problems_.add(entry.path_of("to"), "unit " + s.to + " is not among the listed units; list it with its name");
      if (const auto since = entry.text("since", presence::required)) {
        try {
          s.since = parse_iso_time(*since).value();
        } catch (const std::exception&) {
          problems_.add(entry.path_of("since"), "is not a date such as 2025-07-01 (got " + *since + ")");
          ok = false;
        }
      } else {
        ok = false;
      }
      entry.report_unknown_keys();
      if (ok)
        read.push_back(std::move(s));
      else
        complete = false;
    }
    // A cycle is judged on the whole list: with an entry unreadable, it could be wrongly found or missed.
    if (!complete) return;
    auto built = unit_successions::build(read);
    for (auto& problem : built.problems) problems_.add(key_path, std::move(problem));
    c.successions = std::move(built.value);
  }

  void read_sync_rate(config_object& o, config& c) {
    if (auto how = o.text("attribute_to", presence::optional)) {
      if (*how == "receiving")
        c.attribute_to = unit_attribution::receiving;
      else if (*how == "successor")
        c.attribute_to = unit_attribution::successor;
      else
        problems_.add(o.path_of("attribute_to"), "must be receiving or successor (got " + *how + ")");
    }
    o.report_unknown_keys();
  }

  void read_log_level(const std::string& key_path, const std::string& value, config& c) {
    for (const auto level : {log_level::error, log_level::warning, log_level::info, log_level::debug}) {
      if (value == log_level_name(level)) {
        c.log = level;
        return;
      }
    }
    problems_.add(key_path, "must be one of error, warning, info, debug (got " + value + ")");
  }

  // The connectors' own check, so a URL that passes here is one the clients accept.
  std::optional<std::string> read_url(config_object& o, std::string_view key) {
    auto text = o.text(key, presence::required);
    if (!text) return std::nullopt;
    auto parsed = parse_endpoint_url(*text);
    if (parsed) return text;
    // Plain http to a remote host is the likeliest slip (a test URL left in place): name the host.
    const auto sep = text->find("://");
    if (sep != std::string::npos && ascii_lower(text->substr(0, sep)) == "http") {
      if (auto as_tls = parse_endpoint_url("https" + text->substr(sep))) {
        problems_.add(o.path_of(key),
                      "plain http:// is allowed only for loopback hosts (got " + as_tls.value().host + ")");
        return std::nullopt;
      }
    }
    problems_.add(o.path_of(key), parsed.error().message);
    return std::nullopt;
  }

  // Reads the secret a `*_file` key names (config/config_files.hpp) when `needed`; otherwise only the key's text
  // is checked and `path_out` keeps it as written. What is wrong with the file itself (missing, unreadable, empty,
  // writable by others) is a problem of the host. The message names the file, never its contents.
  std::optional<secret> read_secret(config_object& o, std::string_view key, presence p, bool needed,
                                    std::string& path_out, std::size_t min_bytes = 0) {
    const auto text = o.text(key, p);
    if (!text) return std::nullopt;
    path_out = *text;
    if (!needed) return std::nullopt;
    const auto resolved = resolve(o.path_of(key), *text);
    if (!resolved) return std::nullopt;
    const fs::path& path = *resolved;
    path_out = path.string();
    auto read = read_secret_file(path, min_bytes);
    if (read.warning) warnings_.add(o.path_of(key), *read.warning);
    if (read.error) problems_.add_host(o.path_of(key), *read.error);
    return std::move(read.value);
  }

  // A CA bundle named by `key`, read now when `needed`: its path resolved, or nothing with the problem reported.
  std::optional<std::string> read_ca_file(config_object& o, bool needed) {
    auto ca = o.text("ca_file", presence::optional);
    if (!ca || !needed) return std::nullopt;
    const auto path = resolve(o.path_of("ca_file"), *ca);
    if (!path) return std::nullopt;
    auto file = read_small_file(*path, max_ca_bytes);
    if (file.error) {
      problems_.add_host(o.path_of("ca_file"), "cannot read " + path->string() + ": " + *file.error);
      return std::nullopt;
    }
    return path->string();
  }

  // The per-side keys shared by both portals, into the connectors' limits.
  void read_transport(config_object& o, http_client_config& http, std::size_t& page_size, std::size_t& max_pages) {
    if (auto ca = read_ca_file(o, reads_portal_files())) http.ca_file = *ca;
    if (auto n = o.integer("timeout_s", 1, 600, presence::optional)) {
      const std::chrono::milliseconds t = std::chrono::seconds(*n);
      http.resolve_timeout = http.connect_timeout = http.handshake_timeout = t;
      http.write_timeout = http.read_timeout = t;
    }
    if (auto n = o.integer("max_body_bytes", 4096, std::int64_t{1} << 30, presence::optional)) {
      http.body_limit = static_cast<std::size_t>(*n);
    }
    if (auto n = o.integer("page_size", 1, 1000, presence::optional)) page_size = static_cast<std::size_t>(*n);
    if (auto n = o.integer("max_pages", 1, 10'000'000, presence::optional)) max_pages = static_cast<std::size_t>(*n);
  }

  // docs/configuration.md#provincial, #national: the profile first, since it decides which credentials are needed.
  void read_portal(config_object& o, side s, portal_settings& p) {
    if (auto name = o.text("profile", presence::optional)) {
      try {
        p.profile = side_profile::load(*name, s, base_dir_);
      } catch (const profile_error& e) {
        problems_.add(o.path_of("profile"), e.what());
      }
    }
    const transport_profile& t = *p.profile.transport;
    const bool token = t.auth.grant != auth_grant::session;
    const bool password_grant = t.auth.grant == auth_grant::password;
    const auto needed = [](bool yes) { return yes ? presence::required : presence::optional; };
    if (auto u = read_url(o, "base_url")) p.portal.base_url = *u;
    if (token) {
      if (auto u = read_url(o, "token_url")) p.portal.token_url = *u;
    }
    if (auto v = o.text("client_id", needed(token || t.uses(placeholder::client_id)))) p.portal.client_id = *v;
    if (auto v = o.text("username", needed(password_grant || t.uses(placeholder::username)))) p.portal.username = *v;
    if (auto v = o.text("dstcode", needed(t.uses(placeholder::dstcode)))) p.portal.dstcode = *v;
    if (auto v = o.text("madonvi", needed(t.uses(placeholder::madonvi)))) p.portal.madonvi = *v;
    if (auto v = read_secret(o, "client_secret_file", needed(t.auth.grant == auth_grant::client_credentials),
                             reads_portal_files(), p.client_secret_file))
      p.client_secret = *v;
    if (auto v = read_secret(o, "password_file", needed(password_grant || t.uses(placeholder::password)),
                             reads_portal_files(), p.password_file))
      p.password = *v;
    read_transport(o, p.portal.http, p.portal.page_size, p.portal.max_pages);
    if (t.list && p.portal.page_size > t.list->max_page_size)
      problems_.add(o.path_of("page_size"), "profile " + t.name + " takes at most " +
                                                std::to_string(t.list->max_page_size) + " records a page");
  }

  // docs/configuration.md#provincial: one object, or a list of named sources (docs/sources.md).
  void read_provincial(const std::string& key_path, const nlohmann::json& value, config& c) {
    if (!value.is_array()) {
      config_object o(value, key_path, problems_);
      if (o.valid()) read_source(o, c.provincial.front(), false);
      return;
    }
    if (value.empty() || value.size() > max_provincial_sources) {
      problems_.add(key_path, "lists from 1 to " + std::to_string(max_provincial_sources) + " sources (got " +
                                  std::to_string(value.size()) + ")");
      return;
    }
    c.provincial.assign(value.size(), provincial_settings());
    std::vector<provincial_source> list;
    bool complete = true;
    for (std::size_t i = 0; i < value.size(); ++i) {
      config_object o(value[i], key_path + "[" + std::to_string(i) + "]", problems_);
      if (!o.valid()) {
        complete = false;
        continue;
      }
      read_source(o, c.provincial[i], true);
      if (c.provincial[i].name.empty()) complete = false;
      list.push_back({c.provincial[i].name, c.provincial[i].moved_to});
    }
    if (!complete) return;
    auto built = provincial_sources::build(std::move(list));
    for (const auto& problem : built.problems) problems_.add(key_path, problem);
    c.sources = std::move(built.value);
  }

  void read_source(config_object& o, provincial_settings& p, bool listed) {
    if (listed) {
      if (auto name = o.text("name", presence::required)) {
        if (is_source_name(*name))
          p.name = *name;
        else
          problems_.add(o.path_of("name"), "is 1 to 40 lower-case letters, digits, '-' or '_' (got " + *name + ")");
      }
      if (auto to = o.text("moved_to", presence::optional)) p.moved_to = *to;
    } else {
      for (const std::string_view key : {"name", "moved_to"})
        if (o.member(key, presence::optional))
          problems_.add(o.path_of(key),
                        "belongs to a source listed in an array: write `provincial` as a list of "
                        "sources to name them (docs/sources.md)");
    }
    read_portal(o, side::provincial, p);
    o.report_unknown_keys();
  }

  // A source's name is a metric label, a log field and a ledger column: short and plain.
  static bool is_source_name(std::string_view name) {
    if (name.empty() || name.size() > 40) return false;
    return std::all_of(name.begin(), name.end(), [](char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    });
  }

  void read_national(config_object& o, national_settings& n) {
    read_portal(o, side::national, n);
    if (auto l = o.object("lookup", presence::optional); l.valid()) read_lookup(l, n.lookup);
    o.report_unknown_keys();
  }

  // docs/configuration.md#national-lookup
  static void read_lookup(config_object& o, lookup_settings& l) {
    if (auto n = o.number("requests_per_second", 0.1, 1000, presence::optional)) l.requests_per_second = *n;
    if (auto n = o.integer("concurrency", 1, 32, presence::optional)) l.concurrency = static_cast<unsigned>(*n);
    if (auto n = o.integer("recheck_findings_s", 60, 30 * 86400, presence::optional)) l.recheck_findings_s = *n;
    if (auto n = o.integer("rolling_days", 1, 365, presence::optional)) l.rolling_days = *n;
    if (auto n = o.integer("max_per_cycle", 1, 10'000'000, presence::optional))
      l.max_per_cycle = static_cast<std::size_t>(*n);
    o.report_unknown_keys();
  }

  void read_http(config_object& o, http_settings& h) {
    if (auto listen = o.text("listen", presence::optional)) {
      auto checked = parse_listen_address(*listen);
      if (checked.address) {
        h.listen = *checked.address;
      } else {
        problems_.add(o.path_of("listen"), checked.error);
      }
    }
    // One shared token made every acknowledgement anonymous; its holders now each have their own.
    if (o.member("token_file", presence::optional))
      problems_.add(o.path_of("token_file"),
                    "is replaced by http.tokens_file, which names each operator's token so an acknowledgement is "
                    "recorded under its owner (see README, Security)");
    if (auto file = o.text("tokens_file", presence::optional)) {
      h.tokens_file = *file;
      if (reads_api_files()) read_tokens(o.path_of("tokens_file"), *file, h);
    }
    if (auto mode = o.text("read_access", presence::optional)) {
      if (*mode == "open") {
        h.reads = read_access::open;
      } else if (*mode == "token") {
        h.reads = read_access::token;
      } else {
        problems_.add(o.path_of("read_access"), "must be \"open\" or \"token\" (got " + *mode + ")");
      }
    }
    if (const auto* hosts = o.member("allowed_hosts", presence::optional))
      read_allowed_hosts(o.path_of("allowed_hosts"), *hosts, h);
    if (auto n = o.integer("ready_max_age_s", 1, 7 * 86400, presence::optional)) h.ready_max_age_s = *n;
    o.report_unknown_keys();
  }

  // What is wrong with the file itself (missing, unreadable, writable by others) is the host's problem; what is
  // wrong with its contents (not JSON, a short hash, a name twice) is a problem of the file it names.
  void read_tokens(const std::string& key_path, const std::string& value, http_settings& h) {
    const auto resolved = resolve(key_path, value);
    if (!resolved) return;
    const fs::path& path = *resolved;
    auto file = read_protected_file(path, max_secret_bytes);
    if (file.warning) warnings_.add(key_path, *file.warning);
    if (file.error) {
      problems_.add_host(key_path, *file.error);
      return;
    }
    std::vector<config_problem> found;
    auto tokens = parse_tokens(file.bytes, found);
    for (const auto& p : found)
      problems_.add(key_path, path.string() + (p.path.empty() ? "" : ": " + p.path) + ": " + p.message);
    if (!found.empty()) return;
    h.tokens_file = path.string();
    h.tokens = std::move(tokens);
  }

  void read_allowed_hosts(const std::string& key_path, const nlohmann::json& hosts, http_settings& h) {
    if (!hosts.is_array()) {
      problems_.add(key_path, wrong_type("an array of host names", hosts));
      return;
    }
    for (std::size_t i = 0; i < hosts.size(); ++i) {
      const std::string item_path = key_path + "[" + std::to_string(i) + "]";
      const auto& v = hosts[i];
      // A name as it appears in the Host header, without the port: checked as a listen host with a dummy port.
      if (!v.is_string() || !parse_listen_address(v.get<std::string>() + ":1").address ||
          v.get<std::string>().front() == '[') {
        problems_.add(item_path, "must be a host name or an IPv4 address without a port, such as dvcrecon.example.vn");
        continue;
      }
      h.allowed_hosts.push_back(ascii_lower(v.get<std::string>()));
    }
  }

  void read_audit(config_object& o, audit_settings& a) {
    std::string path;
    // Whatever writes to the chain or checks it needs the key: the service and the API append events (cycles,
    // acks), so do `mismatches ack`, and verify-ledger cannot check a keyed chain without it. The commands that
    // only read the ledger do not open it.
    auto key = read_secret(o, "key_file", presence::optional, reads_audit_key(), path, min_token_bytes);
    if (!path.empty()) a.key_file = path;
    if (key) a.key = std::move(*key);
    o.report_unknown_keys();
  }

  void check_audit(const config& c) {
    if (c.audit.key_file || problems_.has("audit.key_file")) return;
    warnings_.add("audit.key_file",
                  "is not set: the ledger's audit chain is then plain SHA-256, which whoever can write the ledger "
                  "file can recompute after editing it");
  }

  // Whoever can reach a listen address that is not loopback could otherwise read every finding, and the
  // applicants' names with them: such an address needs read_access "token", and tokens to read with.
  void check_read_access(const config& c) {
    const auto& h = c.http;
    // The ledger commands do not read the tokens file: for them only its absence shows.
    const bool no_tokens = !h.tokens_file || (reads_api_files() && h.tokens.empty());
    if (h.reads == read_access::token && no_tokens && !problems_.has("http.tokens_file")) {
      problems_.add("http.read_access", "is \"token\" but http.tokens_file names no token to read with");
    }
    if (!is_loopback_host(h.listen.host) && h.reads != read_access::token) {
      problems_.add("http.listen", h.listen.host +
                                       " is not a loopback address: set http.read_access to \"token\" "
                                       "and give readers tokens in http.tokens_file, so the API does not hand findings "
                                       "and applicants' data to anyone who can reach it");
    }
  }

  void read_status_map(config_object& o, status_map& statuses) {
    for (auto it = o.begin(); it != o.end(); ++it) {
      const std::string& key = it.key();
      const std::string code = normalize_code(key);
      if (code.empty()) {
        problems_.add(o.path_of(key), "a provincial status code must not be empty");
        o.member(key, presence::optional);
        continue;
      }
      if (auto n = o.integer(key, national_status_min, national_status_max, presence::optional)) {
        statuses.set(code, static_cast<int>(*n));
      }
    }
  }

  void read_targets(config_object& o, std::array<double, 4>& targets) {
    static constexpr std::array<std::string_view, 4> quarters{"Q1", "Q2", "Q3", "Q4"};
    for (std::size_t q = 0; q < quarters.size(); ++q) {
      const auto* v = o.member(quarters[q], presence::optional);
      if (!v) continue;
      if (!v->is_number()) {
        problems_.add(o.path_of(quarters[q]), wrong_type("a number", *v));
      } else if (const double t = v->get<double>(); t < 0 || t > 100) {
        problems_.add(o.path_of(quarters[q]), "must be a percentage within 0..100 (got " + v->dump() + ")");
      } else {
        targets[q] = t;
      }
    }
    o.report_unknown_keys("expected Q1, Q2, Q3 or Q4");
  }

  // docs/configuration.md#alerts
  void read_alerts(config_object& o, alert_settings& a) {
    if (auto r = o.object("rules", presence::optional); r.valid()) read_alert_rules(r, a.rules);
    std::set<std::string, std::less<>> names;
    const auto take_name = [&](const std::string& key_path, const std::string& name) {
      if (!is_target_name(name)) {
        problems_.add(key_path, "must be a name of lower-case letters, digits, '-' or '_' (got " + name + ")");
      } else if (!names.insert(name).second) {
        problems_.add(key_path, "target " + name + " is named twice; each target needs a name of its own");
      }
    };
    if (const auto* hooks = o.member("webhooks", presence::optional)) {
      if (!hooks->is_array()) problems_.add(o.path_of("webhooks"), wrong_type("an array", *hooks));
      for (std::size_t i = 0; hooks->is_array() && i < hooks->size(); ++i) {
        config_object w((*hooks)[i], o.path_of("webhooks") + "[" + std::to_string(i) + "]", problems_);
        if (!w.valid()) continue;
        webhook_target t;
        t.name = w.text("name", presence::optional).value_or("webhook-" + std::to_string(i + 1));
        take_name(w.path_of("name"), t.name);
        if (auto u = read_url(w, "url")) t.url = *u;
        if (auto ca = read_ca_file(w, reads_alert_files())) t.http.ca_file = *ca;
        if (auto n = w.integer("timeout_s", 1, 600, presence::optional)) {
          const std::chrono::milliseconds d = std::chrono::seconds(*n);
          t.http.resolve_timeout = t.http.connect_timeout = t.http.handshake_timeout = d;
          t.http.write_timeout = t.http.read_timeout = d;
        }
        t.http.body_limit = 64 * 1024;  // a receiver's answer is read and dropped
        w.report_unknown_keys();
        a.webhooks.push_back(std::move(t));
      }
    }
    if (auto e = o.object("email", presence::optional); e.valid()) {
      email_target t;
      if (auto v = e.text("name", presence::optional)) t.name = *v;
      take_name(e.path_of("name"), t.name);
      read_email(e, t);
      a.email = std::move(t);
    }
    if (auto n = o.integer("max_attempts", 1, 10, presence::optional)) a.retry.max_attempts = static_cast<unsigned>(*n);
    if (auto n = o.integer("max_per_message", 1, 1000, presence::optional))
      a.max_per_message = static_cast<std::size_t>(*n);
    o.report_unknown_keys();
    if (a.rules.any() && !a.has_targets() && !problems_.has(o.path_of("webhooks")) &&
        !problems_.has(o.path_of("email")))
      problems_.add(o.path(), "has rules but no target: add alerts.webhooks or alerts.email");
  }

  std::optional<bool> flag(config_object& o, std::string_view key) {
    const auto* v = o.member(key, presence::optional);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) {
      problems_.add(o.path_of(key), wrong_type("true or false", *v));
      return std::nullopt;
    }
    return v->get<bool>();
  }

  void read_alert_rules(config_object& o, alert_rules& r) {
    if (auto b = flag(o, "sync_rate_below_target")) r.sync_rate_below_target = *b;
    if (auto n = o.number("sync_rate_below_percent", 0, 100, presence::optional)) r.sync_rate_below = *n;
    if (auto b = flag(o, "falsely_closed")) r.falsely_closed = *b;
    if (auto n = o.integer("poll_stale_minutes", 1, 7 * 24 * 60, presence::optional)) r.poll_stale_minutes = *n;
    o.report_unknown_keys(
        "expected sync_rate_below_target, sync_rate_below_percent, falsely_closed or poll_stale_minutes");
  }

  void read_email(config_object& e, email_target& t) {
    if (auto host = e.text("host", presence::required)) {
      // The connectors' URL check, so the host is one a connection can be opened to.
      auto parsed = parse_endpoint_url("https://" + *host + "/");
      if (parsed && host->find(':') == std::string::npos && parsed.value().host == ascii_lower(*host))
        t.host = parsed.value().host;
      else
        problems_.add(e.path_of("host"), "must be a host name or an IPv4 address, without a port (got " + *host + ")");
    }
    if (auto n = e.integer("port", 1, 65535, presence::optional)) t.port = static_cast<std::uint16_t>(*n);
    if (auto from = e.text("from", presence::required)) {
      if (is_mail_address(*from))
        t.from = *from;
      else
        problems_.add(e.path_of("from"), "is not an e-mail address such as dvcrecon@example.gov.vn");
    }
    if (const auto* to = e.member("to", presence::required)) {
      if (!to->is_array() || to->empty())
        problems_.add(e.path_of("to"), "must be a non-empty array of e-mail addresses");
      for (std::size_t i = 0; to->is_array() && i < to->size(); ++i) {
        const auto& v = (*to)[i];
        if (v.is_string() && is_mail_address(v.get<std::string>()))
          t.to.push_back(v.get<std::string>());
        else
          problems_.add(e.path_of("to") + "[" + std::to_string(i) + "]", "is not an e-mail address");
      }
    }
    if (auto v = e.text("username", presence::optional)) t.username = *v;
    if (auto v = read_secret(e, "password_file", t.username.empty() ? presence::optional : presence::required,
                             reads_alert_files(), t.password_file))
      t.password = *v;
    if (t.username.empty() && !t.password_file.empty())
      problems_.add(e.path_of("username"), "is needed with password_file");
    if (auto ca = read_ca_file(e, reads_alert_files())) t.ca_file = *ca;
    if (auto n = e.integer("timeout_s", 1, 600, presence::optional)) t.timeout = std::chrono::seconds(*n);
    e.report_unknown_keys();
  }

  static bool is_target_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (const char c : name)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
    return true;
  }

  // local@domain, printable ASCII without spaces or the characters that end an SMTP path: enough to catch a slip,
  // never a full RFC 5321 parser.
  static bool is_mail_address(std::string_view a) {
    const auto at = a.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 >= a.size() || a.find('@', at + 1) != std::string_view::npos)
      return false;
    for (const char c : a)
      if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == ',' || c == ';') return false;
    return a.size() <= 254;
  }

  static constexpr std::size_t max_ca_bytes = 4 * 1024 * 1024;
  fs::path base_dir_;
  const config_options& options_;
  config_problems problems_;
  config_problems warnings_;
};

}  // namespace

std::optional<std::string> environment_variable(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

config_load parse_config(std::string_view text, const fs::path& base_dir, const config_options& options) {
  config_load out;
  auto stripped = strip_json_comments(text);
  if (stripped.error) {
    out.problems.push_back({"", *stripped.error});
    return out;
  }
  nlohmann::json doc;
  try {
    doc = parse_bounded(stripped.text, json_limits{.max_bytes = max_config_bytes, .max_depth = 16, .max_string = 4096});
  } catch (const json_error& e) {
    out.problems.push_back({"", std::string("is not valid JSON: ") + e.what()});
    return out;
  }
  return loader(base_dir, options).load(doc);
}

bool is_loopback_host(std::string_view host) {
  if (ascii_lower(std::string(host)) == "localhost") return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  return !ec && address.is_loopback();
}

config_load load_config(const fs::path& path, const config_options& options) {
  auto file = read_small_file(path, max_config_bytes);
  if (file.error) {
    config_load out;
    out.problems.push_back({"", "cannot read the configuration file: " + *file.error});
    return out;
  }
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  auto out = parse_config(file.bytes, (ec ? path : absolute).parent_path(), options);
  if (out.value) out.value->file = path;
  if (out.as_written) out.as_written->file = path;
  return out;
}

}  // namespace dvc
