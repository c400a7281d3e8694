#pragma once
// Both portals as a request → reply function over one simulated province, in one wire shape (docs/simulator.md),
// plus the control endpoints (`POST /sim/mutate?percent=P`, `GET /sim/status`). Thread-safe: one mutex guards
// the world, the tokens and sessions, and the stamps, so connections on several threads and the tick timer can
// share it.
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>

#include "sim/clock.hpp"
#include "sim/faults.hpp"
#include "sim/render.hpp"
#include "sim/world.hpp"

namespace dvc::sim {

namespace http = boost::beast::http;

// Accepted credentials. The defaults are documented in `dvcrecon sim --help`.
struct credentials {
  std::string client_id = "dvcrecon";
  std::string client_secret = "sim-provincial-secret";
  // Shape B's provincial password grant.
  std::string provincial_username = "dvcrecon.sim";
  std::string provincial_password = "sim-provincial-password";
  // National.
  std::string username = "binhphuoc.dvcrecon";
  std::string password = "sim-national-secret";
  std::string dstcode = "H10";
};

struct reply {
  enum class action : std::uint8_t { respond, truncate, hang };
  http::response<http::string_body> response;
  std::chrono::milliseconds delay{0};
  action what = action::respond;
};

struct dump_counts {
  std::size_t provincial = 0, national = 0;
  // With a legacy source (docs/simulator.md#dumps): what each source serves, and the provincial dossiers by where
  // they live. `provincial` is then the province's truth, legacy_only + moved + new_only.
  std::size_t provincial_new = 0, provincial_legacy = 0, legacy_only = 0, moved = 0, new_only = 0;
};

class portal_service {
 public:
  // Stamps given to changes never go backwards, even if the clock's present does.
  portal_service(world_config config, wire_shape shape, fault_spec faults, credentials creds, sim_clock clock);

  reply handle(const http::request<http::string_body>& request);

  // Live change: the next tick (deterministic in the seed and the tick number). Returns dossiers touched.
  std::size_t tick();
  std::size_t mutate(double percent);
  // Writes provincial.jsonl and national.jsonl into `dir` (created if missing), each in its portal's listing
  // order, the records exactly as served in the service's shape; with a legacy source provincial.jsonl is the
  // province's truth, and provincial-new.jsonl and provincial-legacy.jsonl what each source serves. Throws
  // std::runtime_error naming the file on an I/O failure.
  dump_counts dump(const std::filesystem::path& dir);

  std::uint32_t dossier_count();
  wire_shape shape() const { return shape_; }

 private:
  struct grant {
    std::int64_t issued;
    std::uint32_t uses;
  };
  using grants = std::unordered_map<std::string, grant>;
  // A national request body that passed the common checks, or the answer refusing it.
  struct national_request {
    nlohmann::json body;
    std::optional<reply> refusal;
  };

  std::optional<reply> injected_fault(std::uint64_t request_number);
  reply route(const http::request<http::string_body>& request, std::string_view path, std::string_view query,
              provincial_source source);

  // The provincial portal (sim/provincial_endpoints.cpp); each source has its own tokens.
  reply token(const http::request<http::string_body>& request, provincial_source source);
  std::optional<reply> refuse_token(const http::request<http::string_body>& request, provincial_source source);
  reply provincial_list(std::string_view query, provincial_source source);
  reply platform_search(std::string_view query, provincial_source source);
  reply provincial_one(std::string_view code, provincial_source source);
  reply provincial_page(const page_query& q, std::int64_t page, std::int64_t size);
  // The record as `source` serves it.
  void render_provincial(std::uint32_t idx, provincial_source source, json_writer& j);
  grants& tokens_of(provincial_source source) { return source == provincial_source::legacy ? legacy_tokens_ : tokens_; }

  // The national portal.
  reply national(const http::request<http::string_body>& request);
  reply national_login(const http::request<http::string_body>& request);
  reply national_gateway(const http::request<http::string_body>& request);
  national_request national_call(const http::request<http::string_body>& request);
  reply log_in(const nlohmann::json& body);
  std::optional<reply> refuse_session(const nlohmann::json& body);
  reply look_up(const nlohmann::json& body);
  reply list_window(const nlohmann::json& body);

  void dump_file(const std::filesystem::path& path, const std::vector<std::uint32_t>& order, portal side,
                 provincial_source source, std::size_t& count);
  reply control(const http::request<http::string_body>& request, std::string_view path, std::string_view query);
  std::string issue(grants& store, const lifetime& life);
  bool valid(grants& store, const std::string& key, const lifetime& life);
  std::int64_t stamp();
  // Moves a few records while a client pages, when the drift fault strikes this request.
  void maybe_drift(const page_query& q, bool first_page);

  std::mutex mutex_;
  world world_;
  wire_shape shape_;
  fault_spec faults_;
  credentials creds_;
  sim_clock clock_;
  std::int64_t last_stamp_ = 0;
  std::uint64_t ticks_ = 0;
  std::uint64_t requests_ = 0;
  std::uint64_t issued_ = 0;
  std::uint64_t throttled_ = 0;
  grants tokens_, legacy_tokens_, sessions_;
};

}  // namespace dvc::sim
