#pragma once
// Failures the connectors expect — network, TLS, HTTP and portal answers — are values, not exceptions: a poll
// that meets one decides (retry, report, give up) without unwinding through coroutines.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace dvc {

enum class error_kind : std::uint8_t {
  config,        // unusable URL, plain http to a non-loopback host, unreadable CA file, bad page size
  timeout,       // a phase (resolve, connect, handshake, write, read) ran past its deadline
  connect,       // resolve or connect failed, or the connection was reset/closed before any answer
  tls,           // handshake or certificate verification failed
  truncated,     // the connection ended mid-message; the partial message is discarded
  too_large,     // body or header over the configured limit
  protocol,      // not valid HTTP
  http_status,   // an HTTP status the call does not accept (`http_status`, `retry_after` say which)
  malformed,     // a body that is not the JSON shape the portal promises (bad JSON, no `content`/`result`)
  auth,          // credentials refused, or still refused after one renewal
  rejected,      // national `error_code` 3: bad parameters; reported, never retried
  portal,        // national `error_code` other than 0, 2, 3: a failure that may be retried
  paging_limit,  // a listing longer than `max_pages`
};

std::string_view error_kind_name(error_kind kind);

struct connector_error {
  connector_error() = default;
  connector_error(error_kind k, std::string text, unsigned status = 0, std::string retry_after_header = {})
      : kind(k), message(std::move(text)), http_status(status), retry_after(std::move(retry_after_header)) {}

  error_kind kind = error_kind::protocol;
  std::string message;       // one sentence naming the URL and phase; never holds a secret or a request body
  unsigned http_status = 0;  // the status, for `http_status` (and 0 otherwise)
  std::string retry_after;   // the raw `Retry-After` header of that answer, when it had one
};

// A value or the error that prevented it.
template <class T>
class result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  result(connector_error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const connector_error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, connector_error> v_;
};

}  // namespace dvc
