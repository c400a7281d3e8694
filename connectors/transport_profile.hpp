#pragma once
// The transport half of a portal profile (docs/profiles.md): how to authenticate, which requests list or look
// dossiers up, where an answer keeps its records and how a listing ends. Compiled once, at start, from the JSON of
// the whole profile; anything unusable is a profile_error naming the file and the key. The `record` section (how
// a record maps to the canonical dossier) is compiled elsewhere and only passed over here.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "connectors/page_records.hpp"
#include "reconcile/time_format.hpp"

namespace dvc {

enum class portal_protocol { rest, adapter };
enum class auth_grant { client_credentials, password, session };
enum class http_method { get, post };
enum class list_order { ascending, descending };
enum class list_filter { since, window, none };
enum class list_end { total_pages, total_records, last, short_page };
enum class lookup_miss { status_404, empty };

// docs/profiles.md#templates
enum class placeholder {
  since,
  until,
  page,
  size,
  unit,
  code,
  session,
  username,
  password,
  client_id,
  dstcode,
  madonvi
};

// What the placeholders of one call are replaced with.
struct template_values {
  std::string since, until;  // already written in list.time_format
  std::size_t page = 0;      // counted from list.page_base
  std::size_t size = 0;
  std::string unit, code, session;
  std::string username, password, client_id, dstcode, madonvi;
};

// A string of a profile with its placeholders found: `{code}` in `/dossiers/{code}`.
class text_template {
 public:
  // Throws profile_error(file, key) on an unknown or unclosed placeholder.
  static text_template compile(const std::string& text, const std::string& file, const std::string& key);

  // The text with every placeholder replaced; `percent_encoded` encodes the replaced values (paths, queries).
  std::string expand(const template_values& values, bool percent_encoded = false) const;
  bool uses(placeholder p) const;
  bool is_exactly(placeholder p) const;  // the whole text is that one placeholder
  bool literal() const;                  // no placeholder at all
  const std::string& text() const { return text_; }

 private:
  struct piece {
    std::string literal;
    std::optional<placeholder> slot;  // after the literal
  };
  std::vector<piece> pieces_;
  std::string text_;
};

// A JSON body whose strings are templates. A string that is exactly `{page}` or `{size}` is sent as a number.
class json_template {
 public:
  static json_template compile(const nlohmann::ordered_json& body, const std::string& file, const std::string& key);

  nlohmann::json expand(const template_values& values) const;
  bool uses(placeholder p) const;
  // The top-level members whose value is a string, in the profile's order (for describing a call).
  const std::vector<std::pair<std::string, text_template>>& members() const { return members_; }

  struct string_member {
    nlohmann::json::json_pointer pointer;
    std::string key;  // in messages: `list.body.trang`
    text_template value;
  };
  // Every string of the body, wherever it is nested.
  const std::vector<string_member>& strings() const { return strings_; }

 private:
  nlohmann::json shape_;  // the body as written; every templated string is replaced on expansion
  std::vector<string_member> strings_;
  std::vector<std::pair<std::string, text_template>> members_;
};

// One call: `{base_url}{path}?{query}` with an optional JSON body.
struct request_template {
  http_method method = http_method::get;
  text_template path;                                        // values percent-encoded
  std::vector<std::pair<std::string, text_template>> query;  // in the profile's order; values percent-encoded
  std::optional<json_template> body;
  bool uses(placeholder p) const;
};

struct auth_spec {
  auth_grant grant = auth_grant::client_credentials;
  request_template login;  // session: the log-in call (POST, JSON body)
  json_path session;       // session: where the log-in answer carries the session
};

// docs/profiles.md#protocols: how an adapter's body reports errors.
struct error_spec {
  struct exception {
    std::string code, message_contains;
  };
  json_path code{"error_code"}, message{"message"};
  std::vector<std::string> ok{"0"}, session_expired{"2"}, bad_request{"3"};
  std::vector<exception> ok_when;
};

struct list_spec {
  request_template request;
  write_format time_format = write_format::iso8601_utc;  // of {since} / {until}
  std::size_t page_base = 0;
  std::size_t max_page_size = 1000;
  list_order order = list_order::ascending;
  list_filter filter = list_filter::since;
  json_path records;
  list_end end = list_end::short_page;
  json_path end_path;  // total_pages, total_records, last
  json_path id;
  json_path updated;
  read_format updated_format = read_format::iso8601;
};

struct lookup_spec {
  request_template request;
  json_path records;  // {}: the answer is the record itself
  lookup_miss not_found = lookup_miss::status_404;
};

struct transport_profile {
  std::string file;  // as the caller named it, in messages
  std::string name;
  std::string side;  // `provincial` or `national`
  portal_protocol protocol = portal_protocol::rest;
  auth_spec auth;
  std::vector<std::pair<std::string, text_template>> headers;  // sent with every call
  error_spec errors;                                           // adapter only
  std::optional<list_spec> list;
  std::optional<lookup_spec> lookup;

  // Whether any template of the profile names `p` (a configuration value it needs).
  bool uses(placeholder p) const;
};

// Compiles the transport sections of `profile` (the whole profile as parsed; `record` is not looked into). The
// ordered form keeps query parameters in the order the profile writes them; from the unordered form they follow
// in alphabetical order. Throws profile_error naming `file` and the key at fault.
transport_profile compile_transport(const nlohmann::ordered_json& profile, const std::string& file);
transport_profile compile_transport(const nlohmann::json& profile, const std::string& file);

// `agency.code` → {"agency", "code"}; "" → {} (the value itself).
json_path parse_json_path(const std::string& text);
// The value at `path` in `value`, or nullptr when a member on the way is missing or not an object.
const nlohmann::json* find_at(const nlohmann::json& value, const json_path& path);
// `a.b` again, for messages.
std::string json_path_text(const json_path& path);

}  // namespace dvc
