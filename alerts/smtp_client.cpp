#include "alerts/smtp_client.hpp"

#include <openssl/evp.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <ctime>
#include <random>
#include <sstream>
#include <vector>

#include "connectors/http_exchange.hpp"
#include "connectors/retry_loop.hpp"
#include "connectors/tls_setup.hpp"
#include "reconcile/printable.hpp"

namespace dvc {
namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// RFC 2047 encoded words of at most 39 bytes of text each (52 of base64, so every header line stays under 78
// characters), cut between UTF-8 characters.
std::string encoded_subject(std::string_view subject) {
  std::string out;
  while (!subject.empty()) {
    std::size_t n = std::min<std::size_t>(39, subject.size());
    while (n < subject.size() && n > 0 && (static_cast<unsigned char>(subject[n]) & 0xC0) == 0x80) --n;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(subject.substr(0, n)) + "?=";
    subject.remove_prefix(n);
  }
  return out;
}

std::string rfc5322_date(instant now) {
  const std::time_t t = now;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

struct reply {
  int code = 0;
  std::vector<std::string> lines;  // text after the code, one per line
  std::string first() const { return lines.empty() ? "" : lines.front(); }
};

// One SMTP conversation: what it has read past the last reply stays in `buffer` (none may remain when TLS starts:
// bytes a server sent before the handshake were never protected by it).
class smtp_session {
 public:
  smtp_session(const email_target& t) : t_(t), where_("SMTP server " + t.host + ":" + std::to_string(t.port)) {}

  asio::awaitable<std::optional<std::string>> run(const mail_text& mail, instant now) {
    const auto executor = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(executor);
    asio::ip::tcp::resolver::results_type endpoints;
    {
      watchdog dog(executor, t_.timeout, [&resolver] { resolver.cancel(); });
      auto [ec, found] =
          co_await resolver.async_resolve(t_.host, std::to_string(t_.port), asio::as_tuple(asio::use_awaitable));
      if (dog.fired()) co_return fail_transient("resolving the name timed out");
      if (ec) co_return fail_transient("resolving the name failed (" + ec.message() + ")");
      endpoints = std::move(found);
    }
    beast::tcp_stream tcp(executor);
    tcp.expires_after(t_.timeout);
    if (auto [ec, ep] = co_await tcp.async_connect(endpoints, asio::as_tuple(asio::use_awaitable)); ec)
      co_return fail_transient("connecting failed (" + ec.message() + ")");
    boost::system::error_code ignored;
    const auto local = tcp.socket().local_endpoint(ignored);
    // EHLO names the client by its address literal: it has no name of its own it could vouch for.
    ehlo_ = local.address().is_v6() ? "[IPv6:" + local.address().to_string() + "]"
                                    : "[" + local.address().to_string() + "]";

    if (auto r = co_await expect(tcp, "", 220, "greeting"); !r) co_return error_;
    auto hello = co_await expect(tcp, "EHLO " + ehlo_, 250, "EHLO");
    if (!hello) co_return error_;
    if (!offers(*hello, "STARTTLS"))
      co_return fail("the server does not offer STARTTLS; dvcrecon sends neither password nor alert in clear");
    if (!co_await expect(tcp, "STARTTLS", 220, "STARTTLS")) co_return error_;
    if (buffer_.size() > 0) co_return fail("the server sent data before the TLS handshake; refused");

    auto context = client_tls_context(t_.ca_file, where_);
    if (!context) co_return fail(context.error().message);
    asio::ssl::stream<beast::tcp_stream> tls(std::move(tcp), context.value());
    if (auto failure = prepare_tls_stream(tls, t_.host, where_)) co_return fail(failure->message);
    beast::get_lowest_layer(tls).expires_after(t_.timeout);
    if (auto [ec] = co_await tls.async_handshake(asio::ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
        ec)
      co_return fail("the TLS handshake failed (" + handshake_failure(tls.native_handle(), ec) + ")");

    hello = co_await expect(tls, "EHLO " + ehlo_, 250, "EHLO after STARTTLS");
    if (!hello) co_return error_;
    if (!t_.username.empty() && !co_await authenticate(tls, *hello)) co_return error_;
    if (!co_await expect(tls, "MAIL FROM:<" + t_.from + ">", 250, "MAIL FROM")) co_return error_;
    for (const auto& to : t_.to)
      if (!co_await expect(tls, "RCPT TO:<" + to + ">", 250, "RCPT TO " + to, 251)) co_return error_;
    if (!co_await expect(tls, "DATA", 354, "DATA")) co_return error_;
    std::random_device entropy;
    const std::string id = std::to_string(now) + "." + std::to_string(entropy()) + "@dvcrecon";
    // Base64 lines never start with a dot, and the headers are ours: nothing to dot-stuff.
    if (!co_await expect(tls, mail_message(t_, mail, now, id) + ".", 250, "the message")) co_return error_;
    // The message is taken; a QUIT that goes wrong changes nothing.
    co_await expect(tls, "QUIT", 221, "QUIT");
    beast::get_lowest_layer(tls).expires_after(t_.timeout);
    co_await tls.async_shutdown(asio::as_tuple(asio::use_awaitable));
    co_return std::nullopt;
  }

  // Whether the last failure may pass if tried again: no connection, a deadline, a broken conversation or a 4xx
  // reply (RFC 5321 4.2.1: a transient negative completion); not a 5xx reply, a TLS failure or a missing extension.
  bool transient() const { return transient_; }

 private:
  std::string fail(const std::string& why) {
    error_ = where_ + ": " + why + ".";
    transient_ = false;
    return error_;
  }
  std::string fail_transient(const std::string& why) {
    fail(why);
    transient_ = true;
    return error_;
  }

  static bool offers(const reply& r, std::string_view extension) {
    for (const auto& line : r.lines) {
      std::string upper;
      for (const char c : line) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (upper == extension || upper.starts_with(std::string(extension) + " ")) return true;
    }
    return false;
  }

  static bool offers_auth(const reply& r, std::string_view mechanism) {
    for (const auto& line : r.lines) {
      std::istringstream words(line);
      std::string word;
      words >> word;
      for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (word != "AUTH") continue;
      while (words >> word) {
        for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (word == mechanism) return true;
      }
    }
    return false;
  }

  template <class Stream>
  asio::awaitable<bool> authenticate(Stream& s, const reply& hello) {
    const std::string& password = t_.password.reveal();
    if (offers_auth(hello, "PLAIN")) {
      std::string token;
      token += '\0';
      token += t_.username;
      token += '\0';
      token += password;
      const auto accepted = co_await expect(s, "AUTH PLAIN " + base64(token), 235, "AUTH PLAIN");
      co_return accepted.has_value();
    }
    if (offers_auth(hello, "LOGIN")) {
      if (!co_await expect(s, "AUTH LOGIN", 334, "AUTH LOGIN")) co_return false;
      if (!co_await expect(s, base64(t_.username), 334, "AUTH LOGIN user name")) co_return false;
      const auto accepted = co_await expect(s, base64(password), 235, "AUTH LOGIN password");
      co_return accepted.has_value();
    }
    fail("the server offers neither AUTH PLAIN nor AUTH LOGIN, and a user name is configured");
    co_return false;
  }

  // Sends `command` (unless empty) and reads the reply; nullopt, with error_ set, unless its code is `ok` (or
  // `also_ok`).
  // Errors name the phase, never the command, which may carry a credential.
  template <class Stream>
  asio::awaitable<std::optional<reply>> expect(Stream& s, const std::string& command, int ok, const std::string& phase,
                                               int also_ok = 0) {
    if (!command.empty()) {
      beast::get_lowest_layer(s).expires_after(t_.timeout);
      const std::string line = command + "\r\n";
      auto [ec, n] = co_await asio::async_write(s, asio::buffer(line), asio::as_tuple(asio::use_awaitable));
      if (ec) {
        fail_transient("sending " + phase + " failed (" + ec.message() + ")");
        co_return std::nullopt;
      }
    }
    reply r;
    for (;;) {
      beast::get_lowest_layer(s).expires_after(t_.timeout);
      auto [ec, n] = co_await asio::async_read_until(s, asio::dynamic_buffer(buffer_, max_reply_bytes), "\r\n",
                                                     asio::as_tuple(asio::use_awaitable));
      if (ec) {
        fail_transient("waiting for the reply to " + phase + " failed (" + ec.message() + ")");
        co_return std::nullopt;
      }
      const std::string line = buffer_.substr(0, n - 2);
      buffer_.erase(0, n);
      if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
          !std::isdigit(static_cast<unsigned char>(line[1])) || !std::isdigit(static_cast<unsigned char>(line[2])) ||
          (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
        fail("the reply to " + phase + " is not SMTP");
        co_return std::nullopt;
      }
      r.code = std::stoi(line.substr(0, 3));
      r.lines.push_back(line.size() > 4 ? line.substr(4) : "");
      if (line.size() == 3 || line[3] == ' ') break;
    }
    if (r.code == ok || (also_ok != 0 && r.code == also_ok)) co_return r;
    const std::string answered =
        phase + " was answered " + std::to_string(r.code) + " " + printable(r.first().substr(0, 200));
    if (r.code >= 400 && r.code <= 499)
      fail_transient(answered);
    else
      fail(answered);
    co_return std::nullopt;
  }

  static constexpr std::size_t max_reply_bytes = 64 * 1024;
  const email_target& t_;
  std::string where_;
  std::string ehlo_;
  std::string buffer_;
  std::string error_;
  bool transient_ = false;
};

}  // namespace

std::string mail_message(const email_target& target, const mail_text& mail, instant now, std::string_view message_id) {
  std::string to;
  for (const auto& a : target.to) to += (to.empty() ? "" : ", ") + a;
  std::string out = "Date: " + rfc5322_date(now) + "\r\nFrom: " + target.from + "\r\nTo: " + to +
                    "\r\nSubject: " + encoded_subject(mail.subject) + "\r\nMessage-ID: <" + std::string(message_id) +
                    ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    "Content-Transfer-Encoding: base64\r\n\r\n";
  const std::string encoded = base64(mail.body);
  for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

asio::awaitable<std::optional<std::string>> send_mail(const email_target& target, const retry_config& retry,
                                                      const mail_text& mail, const connector_env& env) {
  // Each attempt is a conversation of its own; its failure goes to the retry policy as a connection error when it
  // may pass, else as a refusal, which the policy never retries.
  const auto outcome = co_await with_retry<bool>(retry, env, [&]() -> asio::awaitable<result<bool>> {
    smtp_session session(target);
    const auto failure = co_await session.run(mail, env.wall_now());
    if (!failure) co_return true;
    co_return connector_error{session.transient() ? error_kind::connect : error_kind::rejected, *failure};
  });
  if (!outcome) co_return outcome.error().message;
  co_return std::nullopt;
}

}  // namespace dvc
