#pragma once
// The service configuration (docs/configuration.md), loaded with every problem reported at once: an operator fixing a
// file should see all that is wrong in one run of `dvcrecon check-config`, each problem naming its key path.
//
// Paths in the file (ledger, secret files, ca_file, tokens_file, key_file) that are relative are taken relative to the
// directory holding the configuration file, so a config and its secrets can move together. A path may start with
// `${CREDENTIALS_DIRECTORY}` or `${STATE_DIRECTORY}`, the directories systemd gives a unit with LoadCredential= and
// StateDirectory= (docs: README "Installing as a service").
//
// A problem is either of the file (a wrong value, an unknown key: fix the file) or of the host (the file is right,
// but this machine lacks what it names: a missing state directory, an unreadable secret). Which host checks run
// depends on what the command needs (config_use): the operator commands that only read the ledger never open a
// portal secret.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/alert_settings.hpp"
#include "config/config_files.hpp"
#include "config/config_listen.hpp"
#include "config/config_secret.hpp"
#include "config/lookup_settings.hpp"
#include "config/side_profile.hpp"
#include "connectors/portal_config.hpp"
#include "reconcile/instant.hpp"
#include "reconcile/provincial_sources.hpp"
#include "reconcile/status.hpp"
#include "reconcile/unit_successions.hpp"

namespace dvc {

// Each side's settings are the connectors' own structs (connectors/portal_config.hpp), with one difference: the
// secret stays in a `secret` here, and `client_config()` puts it into a copy at the moment a client is built.
// Per-side keys map onto them as: ca_file → http.ca_file, timeout_s → every phase deadline of http (resolve,
// connect, handshake, write, read; the connectors' defaults otherwise), max_body_bytes → http.body_limit,
// page_size, max_pages.
// A portal side: its profile (docs/profiles.md) and what the profile's grant and templates need. Which credential
// keys a side must have depends on its profile (docs/configuration.md#credentials).
struct portal_settings {
  explicit portal_settings(side s) : profile(side_profile::contract(s)) {}
  portal_config portal;  // `portal.client_secret` and `portal.password` are left empty
  side_profile profile;
  std::string client_secret_file, password_file;
  secret client_secret, password;
  portal_config client_config() const;
};

// One provincial source (docs/sources.md). `name` is empty for the single source of a configuration whose
// `provincial` is one object; a list names each source, and a legacy one may name the source its dossiers moved to.
struct provincial_settings : portal_settings {
  provincial_settings() : portal_settings(side::provincial) {}
  std::string name;
  std::optional<std::string> moved_to;

  // What logs, metrics and messages call it: its name, or "provincial" for the unnamed single source.
  std::string label() const { return name.empty() ? std::string("provincial") : name; }
};
inline constexpr std::size_t max_provincial_sources = 16;

struct national_settings : portal_settings {
  national_settings() : portal_settings(side::national) {}
  lookup_settings lookup;  // used when the national profile can only look dossiers up
};

// What a token of the tokens file allows: `read` personal data (and any /api/ read when reads need a token),
// `ack` that and acknowledging findings.
enum class token_scope : std::uint8_t { read, ack };

struct api_token {
  std::string name;    // its owner: the actor of the acks made with it
  std::string sha256;  // lower-case hex of SHA-256 over the token text; the token itself is never stored
  token_scope scope = token_scope::read;
};
inline constexpr std::size_t max_token_name_bytes = 200;  // the ledger keeps ack authors up to this length

// `http.read_access`: "open" lets anyone who reaches the API read findings, with applicants' phones and e-mails
// masked unless a token is given; "token" makes every /api/ request need a token. A listen address that is not
// loopback requires "token".
enum class read_access : std::uint8_t { open, token };

struct http_settings {
  listen_address listen{"127.0.0.1", 8470};
  std::optional<std::string> tokens_file;  // absent: no tokens, so acks over the API are refused
  std::vector<api_token> tokens;
  read_access reads = read_access::open;
  // Host header names (lower case, no port) accepted besides loopback names and the listen host, so a page on
  // another site cannot reach the API through DNS rebinding.
  std::vector<std::string> allowed_hosts;
  // /readyz answers 503 when a side's last successful poll is older than this; absent: 3 × poll_interval_s.
  std::optional<std::int64_t> ready_max_age_s;
};

// `audit.key_file`: the key of the ledger's HMAC-SHA-256 audit chain (docs in README "Audit"). Absent: the chain is
// a plain SHA-256 chain, which whoever can write the ledger file can recompute.
struct audit_settings {
  std::optional<std::string> key_file;
  std::optional<secret> key;
};

struct unit_config {
  std::string code;  // normalised (trimmed, upper-case)
  std::string name;
};

enum class log_level : std::uint8_t { error, warning, info, debug };
std::string_view log_level_name(log_level level);

struct config {
  std::filesystem::path file;  // where it was loaded from, for messages
  std::filesystem::path ledger;
  std::int64_t poll_interval_s = 300;
  std::int64_t sync_grace_s = 1800;
  std::int64_t lookback_s = 600;
  std::int64_t progress_interval_s = 10;  // between `poll_progress` log lines while a poll runs
  std::optional<instant> since;           // first-run start; absent: 400 days before the first run
  std::vector<unit_config> units;         // empty: every unit
  unit_successions successions;           // docs/configuration.md#successions
  unit_attribution attribute_to = unit_attribution::successor;  // `sync_rate.attribute_to`
  // The provincial sources in the file's order, at least one; read concurrently into one provincial side.
  std::vector<provincial_settings> provincial = std::vector<provincial_settings>(1);
  provincial_sources sources;  // the rule of moves and duplicates among named sources; empty for a single one
  national_settings national;
  http_settings http;
  audit_settings audit;
  alert_settings alerts;
  status_map statuses;                              // default table with the file's overrides applied
  std::array<double, 4> targets{90, 95, 100, 100};  // sync-rate target in % for Q1..Q4
  log_level log = log_level::info;
  // Days a dossier closed and without any finding keeps its stored record bodies; absent: kept for ever.
  std::optional<std::int64_t> body_retention_days;

  static constexpr std::int64_t default_since_days = 400;
  instant since_or_default(instant now) const { return since.value_or(now - default_since_days * 86400); }
  std::int64_t ready_max_age_s() const { return http.ready_max_age_s.value_or(3 * poll_interval_s); }
  // The listed units and every code that resolves to one of them: the codes whose records are read and kept (a
  // dossier received before a reorganisation keeps its old code), each once. Empty: every unit.
  std::vector<std::string> unit_codes_read() const;
  // The configured name of `code`, else empty.
  std::string unit_name(const std::string& code) const;
};

enum class problem_origin : std::uint8_t { file, host };

struct config_problem {
  std::string path;     // key path such as `national.base_url` or `units[1].code`; empty for the file itself
  std::string message;  // one sentence; never contains a secret
  problem_origin origin = problem_origin::file;
};

// What a command needs besides the file itself, and so which host checks loading makes.
enum class config_use : std::uint8_t {
  service,       // everything: the ledger's directory writable, every secret and ca_file read
  api,           // the API alone (serve-api): the ledger's directory, http.tokens_file and audit.key_file; no portal
                 // secret or ca_file
  ledger_audit,  // commands that write or check the audit chain (mismatches ack, verify-ledger): audit.key_file and
                 // the ledger's path; no other secret, no directory check
  ledger,        // commands that only read the ledger (mismatches list/show/export, report, backup): no secret, no
                 // directory check
  alerts,        // `alerts test`: the alert targets' secrets and CA files only; no portal secret, no ledger check
};

// The environment variable `name`, or nullopt when it is not set.
std::optional<std::string> environment_variable(std::string_view name);

struct config_options {
  config_use use = config_use::service;
  // Gives ${CREDENTIALS_DIRECTORY} and ${STATE_DIRECTORY}; the process environment unless replaced (check-config
  // --credentials, tests).
  std::function<std::optional<std::string>(std::string_view name)> variable = environment_variable;
};

struct config_load {
  std::optional<config> value;  // set exactly when `problems` is empty
  std::vector<config_problem> problems;
  std::vector<config_problem> warnings;  // kept going, but worth fixing (a secret file others may read)
  // The configuration as the file gives it, set when every problem is one of the host: what `check-config`
  // summarises while it reports them. Never run anything with it.
  std::optional<config> as_written;

  bool file_ok() const { return value || as_written; }
};

// Reads and checks the file at `path`. An unreadable or missing file is one problem with an empty path.
config_load load_config(const std::filesystem::path& path, const config_options& options = {});
// Checks configuration text; relative paths inside it are resolved against `base_dir`.
config_load parse_config(std::string_view text, const std::filesystem::path& base_dir,
                         const config_options& options = {});

// `key.path: message`, or just the message for a problem with the file as a whole.
std::string describe(const config_problem& problem);

// Largest configuration file read; anything larger is refused rather than read.
inline constexpr std::size_t max_config_bytes = 1024 * 1024;

// True when `host` (a listen host) can only be reached from this machine: localhost, 127.0.0.0/8 or ::1.
bool is_loopback_host(std::string_view host);

}  // namespace dvc
