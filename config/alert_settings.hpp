#pragma once
// `alerts` of the configuration (docs/configuration.md#alerts): which conditions raise an alert and where alerts
// go. Every target is named; the ledger records what each target was sent under that name.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config_secret.hpp"
#include "connectors/portal_config.hpp"

namespace dvc {

struct alert_rules {
  bool sync_rate_below_target = false;             // a unit's (or the province's) rate this quarter below its target
  std::optional<double> sync_rate_below;           // … or below this percentage
  bool falsely_closed = false;                     // every new falsely_closed finding
  std::optional<std::int64_t> poll_stale_minutes;  // a side without a successful poll for this long
  bool any() const { return sync_rate_below_target || sync_rate_below || falsely_closed || poll_stale_minutes; }
};

struct webhook_target {
  std::string name;
  std::string url;  // https (plain http only to loopback), checked by the connectors
  http_client_config http;
};

// SMTP submission with STARTTLS (always: the password never crosses the network in clear), the server's
// certificate verified against the system store or `ca_file`, its name against `host`.
struct email_target {
  std::string name = "email";
  std::string host;
  std::uint16_t port = 587;
  std::string from;
  std::vector<std::string> to;
  std::string username;       // with password_file: AUTH PLAIN or LOGIN; both absent: no AUTH
  std::string password_file;  // as written, or resolved once read
  secret password;
  std::string ca_file;
  std::chrono::milliseconds timeout{30'000};  // each phase: connect, greeting, every command, TLS handshake
};

struct alert_settings {
  alert_rules rules;
  std::vector<webhook_target> webhooks;
  std::optional<email_target> email;
  retry_config retry{.max_attempts =
                         4};          // per message (webhook or e-mail) within one cycle; then the next cycle retries
  std::size_t max_per_message = 100;  // events in one message; more wait for the next cycle

  bool has_targets() const { return !webhooks.empty() || email.has_value(); }
  std::vector<std::string> target_names() const {
    std::vector<std::string> out;
    for (const auto& w : webhooks) out.push_back(w.name);
    if (email) out.push_back(email->name);
    return out;
  }
};

}  // namespace dvc
