#pragma once
// Who may use the API: the Host header checked against the names the service answers to (a page on another
// site that rebinds its name to this machine's address is refused), and bearer tokens looked up by their SHA-256
// in the tokens file (config/config_tokens.hpp).
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace dvc {

// True when `host_header` (`name`, `name:port`, `[v6]:port`) names localhost, a loopback address, the listen host
// or one of http.allowed_hosts; case and one trailing dot do not matter.
bool host_allowed(const http_settings& http, std::string_view host_header);

struct authentication {
  const api_token* token = nullptr;  // the matching entry, when a valid token was given
  bool presented = false;            // an Authorization header was sent
  std::string failure;               // why a presented token was refused; never quotes it
};

// Reads `Authorization: Bearer <token>`. A token must be RFC 6750 token characters and at least min_token_bytes
// long; it is hashed and compared with every entry in time that does not depend on where they differ.
authentication authenticate(const std::vector<api_token>& tokens, std::string_view authorization_header);

}  // namespace dvc
