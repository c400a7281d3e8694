#pragma once
// One e-mail sent by SMTP submission (RFC 5321, 3207, 4954), on Boost.Asio and OpenSSL like the rest of dvcrecon:
// one coroutine, a deadline before every I/O phase (resolve, connect, each reply, the TLS handshake, each write).
// STARTTLS is required before anything else is sent: a server that does not offer it is refused, since the password
// and the alert must not cross the network in clear. The certificate is verified as the portals' are
// (connectors/tls_setup.hpp). AUTH PLAIN, or LOGIN when the server offers only that, with the password from its file.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "alerts/alert_text.hpp"
#include "config/alert_settings.hpp"
#include "reconcile/instant.hpp"

namespace dvc {

// nullopt once the server accepted the message for every recipient; otherwise one sentence saying which phase
// failed (naming the server, quoting at most the start of its reply, never the password).
boost::asio::awaitable<std::optional<std::string>> send_mail(const email_target& target, const mail_text& mail,
                                                             instant now);

// The message as sent after DATA, before dot-stuffing (headers, a blank line, the body in base64), with CRLF line
// ends. The subject is RFC 2047 encoded, so Vietnamese survives every server.
std::string mail_message(const email_target& target, const mail_text& mail, instant now, std::string_view message_id);

}  // namespace dvc
