#pragma once
// The API's tokens file (`http.tokens_file`): who may use the API beyond its open parts, by the SHA-256 of their
// token, so the file reveals no token and each acknowledgement is recorded under its owner's name.
//
//   {"tokens": [{"name": "le.van.cuong", "scope": "ack",  "sha256": "<64 hex digits>"},
//               {"name": "so-tttt-dashboard", "scope": "read", "sha256": "<64 hex digits>"}]}
//
// `read` sees personal data (applicant phones and e-mails) and, when `http.read_access` is "token", any /api/ read;
// `ack` may also acknowledge findings.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace dvc {

// Parses the file's text; every problem names the entry (`tokens[2].sha256`) and none quotes a hash.
std::vector<api_token> parse_tokens(std::string_view text, std::vector<config_problem>& problems);

}  // namespace dvc
