#pragma once
// What the portal clients need to know, as plain structs with defaults: the service's configuration loader
// fills them from the JSON file (docs/configuration.md), tests fill them directly. Secrets are carried as plain strings
// here because the loader has already read them from their files; the clients never print them.
#include <chrono>
#include <cstddef>
#include <string>

namespace dvc {

// One HTTP(S) connection's limits. Every phase has its own deadline, because one set before connecting does
// not cover a read that stalls later.
struct http_client_config {
  std::string ca_file;  // PEM bundle to trust instead of the system store; verification is never turned off
  std::chrono::milliseconds resolve_timeout{10'000};
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds read_timeout{60'000};  // the whole response, headers and body
  std::chrono::milliseconds shutdown_timeout{5'000};
  std::size_t body_limit = 64 * 1024 * 1024;  // a page of 1000 dossiers with steps fits with room to spare
  std::size_t header_limit = 64 * 1024;
  std::size_t json_max_depth = 32;             // in an answer outside its records, and within each record
  std::size_t record_limit = 4 * 1024 * 1024;  // one record of a page
  std::size_t string_limit = 64 * 1024;        // one string of a record: a `data:` URL instead of a link is refused
};

// Capped exponential backoff with full jitter; 429 and 503 answers may name their own wait (Retry-After).
struct retry_config {
  unsigned max_attempts = 5;  // attempts per request, the first included
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{30'000};
  std::chrono::seconds max_retry_after{60};  // a server asking for longer is waited on this long, then retried
};

// One portal, read through its profile (connectors/transport_profile.hpp). Which keys a side needs depends on its
// profile: the grant (docs/profiles.md#auth) and the placeholders its templates name.
struct portal_config {
  std::string base_url;   // paths of the profile are appended to it
  std::string token_url;  // rest: the OAuth2 token endpoint
  std::string client_id;
  std::string client_secret;  // read by the caller from its file; never logged. Optional with a password grant
  std::string username;
  std::string password;  // read by the caller from its file; never logged
  std::string dstcode;
  std::string madonvi;
  std::size_t page_size = 500;      // 1..the profile's max_page_size (docs/configuration.md)
  std::size_t max_pages = 100'000;  // per listing: a server that never stops paging is an error, not a loop
  std::chrono::seconds token_refresh_margin{30};  // renew a token this long before `expires_in` runs out
  http_client_config http;
  retry_config retry;
};

}  // namespace dvc
