#pragma once
// A scratch directory with the files a valid configuration names, and helpers to look problems up.
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "tests/support/temp_dir.hpp"

namespace dvc::test {

// Appears in every secret file; no message or summary may ever contain it.
inline constexpr std::string_view canary = "CANARY-5ecret-7f3a91";

// A configuration that passes, its secrets in `dir`.
inline nlohmann::json valid_config(const temp_dir& dir) {
  const auto provincial = dir.write("provincial.secret", std::string(canary) + "-p\n");
  const auto national = dir.write("national.secret", std::string(canary) + "-n\r\n");
  const auto audit_key = dir.write("audit.key", std::string(canary) + "-audit-key-0123456789abcdef\n");
  return {
      {"ledger", (dir.path() / "ledger.db").string()},
      {"units", {{{"code", "000.00.12.H10"}, {"name", "Sở Giao thông vận tải"}}}},
      {"provincial",
       {{"base_url", "https://motcua.example.gov.vn/api"},
        {"token_url", "https://motcua.example.gov.vn/oauth/token"},
        {"client_id", "dvcrecon"},
        {"client_secret_file", provincial.string()}}},
      {"national",
       {{"base_url", "https://api.dichvucong.example.vn/adapter"},
        {"dstcode", "H10"},
        {"madonvi", "000.00.00.H10"},
        {"username", "dvcrecon"},
        {"password_file", national.string()}}},
      {"audit", {{"key_file", audit_key.string()}}},
  };
}

inline config_load parse(const nlohmann::json& j, const temp_dir& dir) { return parse_config(j.dump(), dir.path()); }

inline bool has_problem(const std::vector<config_problem>& problems, std::string_view path, std::string_view text) {
  return std::any_of(problems.begin(), problems.end(), [&](const config_problem& p) {
    return p.path == path && p.message.find(text) != std::string::npos;
  });
}

inline std::string all_messages(const std::vector<config_problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += describe(p) + "\n";
  return out;
}

}  // namespace dvc::test
