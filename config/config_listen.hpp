#pragma once
// The API's listening address, `http.listen` (docs/configuration.md#http). Portal URLs are checked by the connectors'
// `parse_endpoint_url`; this is the one address the daemon itself binds.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dvc {

struct listen_address {
  std::string host;        // IPv4 or IPv6 literal (no brackets) or a host name
  std::uint16_t port = 0;  // 0 lets the kernel choose, for tests
};

struct listen_check {
  std::optional<listen_address> address;
  std::string error;  // one sentence, when `address` is empty
};

// `127.0.0.1:8470`, `[::1]:8470`, `localhost:8470`.
listen_check parse_listen_address(std::string_view text);

}  // namespace dvc
