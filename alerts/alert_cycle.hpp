#pragma once
// Alerts after a service cycle (docs/configuration.md#alerts): the rules judged on what the cycle left, episodes
// opened and resolved in the ledger, then every message owed sent to its target. A target that fails keeps what it is
// owed for the next cycle; nothing here stops the service except a failure of the ledger itself.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert_text.hpp"
#include "config/config.hpp"
#include "connectors/connector_env.hpp"
#include "schema/ledger.hpp"
#include "service/cycle.hpp"
#include "service/service_status.hpp"

namespace dvc {

// How a message reaches a target: the network in the service, recorders in tests. Each gives nullopt once the
// target took the message, or one sentence saying why not.
struct alert_senders {
  std::function<boost::asio::awaitable<std::optional<std::string>>(const webhook_target&, std::string body)> webhook;
  std::function<boost::asio::awaitable<std::optional<std::string>>(const email_target&, const mail_text&)> mail;
};

// POST with retries (alerts/webhook_sender.hpp) and SMTP (alerts/smtp_client.hpp), with `env`'s clock and randomness.
alert_senders network_senders(const alert_settings& settings, connector_env env);

struct target_outcome {
  std::string target;
  std::size_t sent = 0;              // events the target took
  std::optional<std::string> error;  // set when it did not
};

struct alert_report {
  alert_changes changes;
  std::vector<target_outcome> targets;  // the targets something was owed to
};

// Judges the rules on what cycle `r` left (the rates of the quarter holding `now` and the open falsely closed
// findings when it evaluated; the polls always), records episodes, and sends what is owed.
boost::asio::awaitable<alert_report> alerts_after_cycle(const config& cfg, ledger& db, const service_status& status,
                                                        const cycle_report& r, const alert_senders& send, instant now);

// Sends every message owed to each configured target, up to alerts.max_per_message per target.
boost::asio::awaitable<std::vector<target_outcome>> deliver_owed(const config& cfg, ledger& db,
                                                                 const alert_senders& send, instant now);

// `dvcrecon alerts test`: one sample alert to every configured target, recorded nowhere.
boost::asio::awaitable<std::vector<target_outcome>> send_test_alerts(const config& cfg, const alert_senders& send,
                                                                     instant now);

}  // namespace dvc
