#pragma once
// Minimal stand-ins for the two portals (docs/wire-formats.md), enough to drive the clients through tokens,
// sessions, paging and faults. Records are (id → timestamp); `touch` updates one so it moves to the end.
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "reconcile/instant.hpp"
#include "tests/connectors/loopback_server.hpp"

namespace dvc::test {

// Query string of a target, %-decoded.
std::map<std::string, std::string> query_of(const std::string& target);

struct fake_records {
  std::map<std::string, instant> records;
  // Served verbatim in a listing instead of the record of that id: a record a portal gets wrong.
  std::map<std::string, std::string> raw;
  instant clock = 1'721'000'000;
  void touch(const std::string& id) { records[id] = ++clock; }
  // (timestamp, id) sorted rows with from ≤ ts ≤ to.
  std::vector<std::pair<instant, std::string>> rows(instant from, instant to) const;
};

struct fake_provincial : fake_records {
  std::string client_secret = "s3cret-provincial";
  std::string valid_token;
  std::int64_t expires_in = 300;
  int token_calls = 0;
  int list_calls = 0;
  int unauthorized = 0;
  std::string last_token_form;
  std::string last_agency;
  // Replaces the answer to the n-th listing call (1-based) when it returns one.
  std::function<std::optional<reply>(int)> list_fault;
  // Replaces the answer of the token endpoint when it returns one.
  std::function<std::optional<reply>(int)> token_fault;
  // Runs after the n-th listing page has been answered: the world changes between pages.
  std::function<void(int)> after_page;

  reply handle(const request& req);
  nlohmann::json record(const std::string& id) const;
};

struct fake_national : fake_records {
  std::string password = "s3cret-national";
  std::string valid_session;
  int logins = 0;
  int list_calls = 0;
  bool numeric_codes = false;  // answer error_code as a number instead of a string
  std::function<std::optional<reply>(int)> list_fault;
  // Replaces the answer to the n-th log-in (1-based) when it returns one.
  std::function<std::optional<reply>(int)> login_fault;
  std::function<void(int)> after_page;

  reply handle(const request& req);
  nlohmann::json record(const std::string& id) const;
};

}  // namespace dvc::test
