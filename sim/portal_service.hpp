#pragma once
// Both portals as a request → reply function over one simulated province, plus the control endpoints
// (`POST /sim/mutate?percent=P`, `GET /sim/status`). Thread-safe: one mutex guards the world, the tokens and
// sessions, and the clock, so connections on several threads and the tick timer can share it.
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <unordered_map>

#include "sim/clock.hpp"
#include "sim/faults.hpp"
#include "sim/world.hpp"

namespace dvc::sim {

namespace http = boost::beast::http;

// Accepted credentials. The defaults are documented in `dvcrecon sim --help`.
struct credentials {
  std::string client_id = "dvcrecon";
  std::string client_secret = "sim-provincial-secret";
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
};

class portal_service {
 public:
  // Stamps given to changes never go backwards, even if the clock's present does.
  portal_service(world_config config, fault_spec faults, credentials creds, sim_clock clock);

  reply handle(const http::request<http::string_body>& request);

  // Live change: the next tick (deterministic in the seed and the tick number). Returns dossiers touched.
  std::size_t tick();
  std::size_t mutate(double percent);
  // Writes provincial.jsonl and national.jsonl into `dir` (created if missing), each in its portal's order, the
  // records exactly as served. Throws std::runtime_error naming the file on an I/O failure.
  dump_counts dump(const std::filesystem::path& dir);

  std::uint32_t dossier_count();

 private:
  struct grant {
    std::int64_t issued;
    std::uint32_t uses;
  };
  using grants = std::unordered_map<std::string, grant>;

  reply national(const http::request<http::string_body>& request);
  reply token(const http::request<http::string_body>& request);
  reply provincial_list(std::string_view query);
  reply provincial_one(std::string_view code);
  reply control(const http::request<http::string_body>& request, std::string_view path, std::string_view query);
  std::string issue(grants& store, const lifetime& life);
  bool valid(grants& store, const std::string& key, const lifetime& life);
  std::int64_t stamp();

  std::mutex mutex_;
  world world_;
  fault_spec faults_;
  credentials creds_;
  sim_clock clock_;
  std::int64_t last_stamp_ = 0;
  std::uint64_t ticks_ = 0;
  std::uint64_t requests_ = 0;
  std::uint64_t issued_ = 0;
  std::uint64_t throttled_ = 0;
  grants tokens_, sessions_;
};

}  // namespace dvc::sim
