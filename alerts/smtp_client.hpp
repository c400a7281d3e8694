#pragma once
// One e-mail sent by SMTP submission (RFC 5321, 3207, 4954), on Boost.Asio and OpenSSL like the rest of dvcrecon:
// one coroutine, a deadline before every I/O phase (resolve, connect, each reply, the TLS handshake, each write).
// STARTTLS is required before anything else is sent: a server that does not offer it is refused, since the password
// and the alert must not cross the network in clear. The certificate is verified as the portals' are
// (connectors/tls_setup.hpp). AUTH PLAIN, or LOGIN when the server offers only that, with the password from its file.
// A failure that may pass (no connection, a deadline, a 4xx reply) is tried again with the webhooks' capped
// exponential backoff and full jitter (connectors/retry_loop.hpp); a refusal (a 5xx reply, TLS, no STARTTLS) is not.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "alerts/alert_text.hpp"
#include "config/alert_settings.hpp"
#include "connectors/connector_env.hpp"
#include "reconcile/instant.hpp"

namespace dvc {

// nullopt once the server accepted the message for every recipient; otherwise one sentence saying which phase of
// the last attempt failed (naming the server, quoting at most the start of its reply, never the password). Waits
// between attempts, the random draw and the Date header's time come from `env`.
boost::asio::awaitable<std::optional<std::string>> send_mail(const email_target& target, const retry_config& retry,
                                                             const mail_text& mail, const connector_env& env);

// The message as sent after DATA, before dot-stuffing (headers, a blank line, the body in base64), with CRLF line
// ends. The subject is RFC 2047 encoded, so Vietnamese survives every server.
std::string mail_message(const email_target& target, const mail_text& mail, instant now, std::string_view message_id);

}  // namespace dvc
