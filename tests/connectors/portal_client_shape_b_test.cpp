// The portal client with the shape-b profiles against the simulator serving shape B (docs/simulator.md): a password
// grant, a listing newest first without a time filter read down to the watermark while records jump to its top,
// and a look-up-only national adapter with a login call, its session renewed when it expires.
#include <doctest/doctest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "connectors/portal_client.hpp"
#include "sim/simulator.hpp"
#include "tests/connectors/fake_env.hpp"
#include "tests/connectors/loopback_server.hpp"
#include "tests/connectors/shipped_profiles.hpp"

using namespace dvc;
namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

constexpr instant present = 1722445200;  // 2024-08-01T00:00:00+07:00: the simulated present, which stands still

// The simulator in shape B on its own thread, with its clocks stopped at `present`.
class shape_b_sim {
 public:
  explicit shape_b_sim(std::uint32_t dossiers, const std::string& faults = "") : sim_(options(dossiers, faults)) {
    sim_.start(io_);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~shape_b_sim() {
    sim_.stop();
    thread_.join();
  }
  sim::simulator& get() { return sim_; }

 private:
  static sim::simulator_options options(std::uint32_t dossiers, const std::string& faults) {
    sim::simulator_options o;
    o.world = {.seed = 21, .dossiers = dossiers, .clock_start = present};
    o.shape = sim::wire_shape::b;
    o.freeze = true;
    o.clock = {[] { return present; }, [] { return present; }};
    const auto parsed = sim::parse_faults(faults);
    REQUIRE_MESSAGE(parsed.spec, parsed.error);
    o.faults = *parsed.spec;
    return o;
  }
  asio::io_context io_;  // first: it must outlive the simulator's listener
  sim::simulator sim_;
  std::thread thread_;
};

struct rig {
  shape_b_sim sim;
  asio::io_context io;
  std::shared_ptr<test::fake_world> world = std::make_shared<test::fake_world>();
  portal_config provincial, national;
  std::optional<portal_client> provincial_client, national_client;

  explicit rig(std::uint32_t dossiers, const std::string& faults = "") : sim(dossiers, faults) {
    world->wall = present;
    const auto& creds = sim.get().options().creds;
    provincial.base_url = sim.get().provincial_base_url();
    provincial.token_url = sim.get().provincial_token_url();
    provincial.client_id = creds.client_id;
    provincial.username = creds.provincial_username;
    provincial.password = creds.provincial_password;
    provincial.page_size = 20;
    provincial.retry.max_attempts = 10;
    national.base_url = sim.get().national_url();
    national.username = creds.username;
    national.password = creds.password;
    national.dstcode = creds.dstcode;
    national.madonvi = "000.00.00.H10";
    national.retry.max_attempts = 10;
  }

  portal_client& province() {
    if (!provincial_client)
      provincial_client.emplace(io.get_executor(), test::shipped_transport("shape-b-provincial"), provincial,
                                test::fake_env(world));
    return *provincial_client;
  }
  portal_client& nation() {
    if (!national_client)
      national_client.emplace(io.get_executor(), test::shipped_transport("shape-b-national"), national,
                              test::fake_env(world));
    return *national_client;
  }

  // (id, updatedDate) handed out, in order.
  struct listing {
    result<poll_result> outcome = connector_error{};
    std::vector<std::pair<std::string, std::string>> records;
  };
  listing list(instant since) {
    listing out;
    test::run_until_done(io, [&]() -> asio::awaitable<void> {
      out.outcome = co_await province().list_changed(since, 0, [&](const page_record& r, const std::string&) {
        REQUIRE(r.value);
        out.records.emplace_back(r.value->at("id").get<std::string>(), r.value->at("updatedDate").get<std::string>());
      });
    }());
    return out;
  }

  result<std::optional<nlohmann::json>> lookup(const std::string& code) {
    std::optional<result<std::optional<nlohmann::json>>> out;
    test::run_until_done(io, [&]() -> asio::awaitable<void> { out = co_await nation().lookup(code); }());
    return std::move(*out);
  }
};

instant time_of(const std::string& text) { return *parse_time(text, read_format::iso8601); }

// The sim's records as they are now: id → updatedDate, read whole from a fresh client.
std::map<std::string, std::string> everything(rig& r) {
  const auto all = r.list(0);
  REQUIRE_MESSAGE(all.outcome.ok(), all.outcome.error().message);
  return {all.records.begin(), all.records.end()};
}

}  // namespace

TEST_CASE("shape B provincial: a password grant and a listing read newest first, each record once") {
  rig r(300);
  const auto all = r.list(0);
  REQUIRE_MESSAGE(all.outcome.ok(), all.outcome.error().message);
  CHECK(all.records.size() == 299);  // one of the 300 dossiers is planted on national only
  CHECK(std::set(all.records.begin(), all.records.end()).size() == 299);
  CHECK(all.outcome.value().pages == 15);
  CHECK(all.outcome.value().cursor == present);  // the instant the listing began
  CHECK(r.province().logins() == 1);
  for (std::size_t i = 1; i < all.records.size(); ++i)
    CHECK(time_of(all.records[i - 1].second) >= time_of(all.records[i].second));
}

TEST_CASE("shape B provincial: the listing stops at the first page past the watermark") {
  rig r(300);
  const auto all = everything(r);
  std::vector<instant> times;
  for (const auto& [id, updated] : all) times.push_back(time_of(updated));
  std::sort(times.rbegin(), times.rend());
  const instant watermark = times[107];  // records 0..107 (newest first) are at or after it
  const auto since = r.list(watermark);
  REQUIRE(since.outcome.ok());
  std::size_t expected = 0;
  for (const auto& [id, updated] : all) {
    if (time_of(updated) < watermark) continue;
    ++expected;
    CHECK(std::count(since.records.begin(), since.records.end(), std::pair{id, updated}) == 1);
  }
  CHECK(since.records.size() == expected);
  CHECK(since.outcome.value().pages < 15);
  CHECK(since.outcome.value().pages >= (expected + 19) / 20);
}

TEST_CASE("shape B provincial: records that jump to the top while pages are read are read by the next poll") {
  rig r(300, "drift=1");  // on every page after the first, 1–3 records not read yet jump to the top
  const auto first = r.list(0);
  REQUIRE_MESSAGE(first.outcome.ok(), first.outcome.error().message);
  CHECK(first.outcome.value().duplicates > 0);  // what was read shifted down and came again
  CHECK(std::set(first.records.begin(), first.records.end()).size() == first.records.size());
  CHECK(first.outcome.value().cursor == present);

  // The next poll starts at the first one's cursor (with no look-back); pages of 200 hold every record that moved
  // and one older, so it reads one page, during which nothing moves.
  r.provincial_client.reset();
  r.provincial.page_size = 200;
  const auto second = r.list(first.outcome.value().cursor);
  REQUIRE(second.outcome.ok());
  CHECK(second.outcome.value().pages == 1);
  CHECK_FALSE(second.records.empty());
  std::set<std::pair<std::string, std::string>> read(first.records.begin(), first.records.end());
  read.insert(second.records.begin(), second.records.end());

  // Every record as the portal now holds it (its dump, which no fault touches) was handed out by one of the polls.
  const auto dir = std::filesystem::temp_directory_path() / ("dvc-shape-b-" + std::to_string(::getpid()));
  r.sim.get().dump(dir);
  std::ifstream dump(dir / "provincial.jsonl");
  std::size_t records = 0;
  for (std::string line; std::getline(dump, line);) {
    const auto record = nlohmann::json::parse(line);
    const std::pair<std::string, std::string> now{record.at("id"), record.at("updatedDate")};
    CAPTURE(now.first);
    CHECK(read.count(now) == 1);
    ++records;
  }
  std::filesystem::remove_all(dir);
  CHECK(records == 299);
}

TEST_CASE("shape B provincial: 429 and 5xx are retried, waiting as Retry-After says") {
  rig calm(200);
  const auto expected = everything(calm);
  rig r(200, "rate429=0.2,retry_after=2,error5xx=0.1");
  const auto got = r.list(0);
  REQUIRE_MESSAGE(got.outcome.ok(), got.outcome.error().message);
  CHECK(std::map<std::string, std::string>(got.records.begin(), got.records.end()) == expected);
  CHECK(got.records.size() == expected.size());
  REQUIRE_FALSE(r.world->sleeps.empty());
  CHECK(std::count(r.world->sleeps.begin(), r.world->sleeps.end(), milliseconds(2000)) > 0);
}

TEST_CASE("shape B provincial: a wrong password is an auth error that never shows it") {
  rig r(20);
  r.provincial.password = "not-the-password-42";
  const auto got = r.list(0);
  REQUIRE_FALSE(got.outcome.ok());
  CHECK(got.outcome.error().kind == error_kind::auth);
  CHECK(got.outcome.error().message.find("not-the-password-42") == std::string::npos);
}

TEST_CASE("shape B provincial: a dossier is looked up by code, or is not there") {
  rig r(50);
  std::optional<result<std::optional<nlohmann::json>>> found, missing;
  std::string code;
  test::run_until_done(r.io, [&]() -> asio::awaitable<void> {
    // The first listed record's code, by its id.
    const auto listed = co_await r.province().list_changed(0, 0, [&](const page_record& rec, const std::string&) {
      if (code.empty()) code = rec.value->at("code").get<std::string>();
    });
    REQUIRE(listed.ok());
    found = co_await r.province().lookup(code);
    missing = co_await r.province().lookup("NO-SUCH-CODE");
  }());
  REQUIRE(found->ok());
  REQUIRE(found->value().has_value());
  CHECK((*found->value())["code"] == code);
  REQUIRE(missing->ok());
  CHECK_FALSE(missing->value().has_value());
}

TEST_CASE("shape B national: look-ups through the login call and /g; an empty answer is not found") {
  rig r(50);
  // A dossier is known on national by its `nationCode`, or its code when it has none.
  std::vector<std::string> codes;
  test::run_until_done(r.io, [&]() -> asio::awaitable<void> {
    const auto listed = co_await r.province().list_changed(0, 0, [&](const page_record& rec, const std::string&) {
      const auto nation = rec.value->find("nationCode");
      const bool pushed = nation != rec.value->end() && nation->is_string() && !nation->get<std::string>().empty();
      codes.push_back(pushed ? nation->get<std::string>() : rec.value->at("code").get<std::string>());
    });
    REQUIRE(listed.ok());
  }());
  std::size_t found = 0;
  for (const auto& code : codes) {
    const auto got = r.lookup(code);
    REQUIRE_MESSAGE(got.ok(), got.error().message);
    if (got.value()) {
      ++found;
      CHECK(got.value()->contains("MaHoSo"));
    }
  }
  CHECK(found > codes.size() / 2);
  const auto missing = r.lookup("000.00.00.H10-000000-9999");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing.value().has_value());
  CHECK(r.nation().logins() == 1);
}

TEST_CASE("shape B national: an expired session is renewed once per expiry, and a look-up-only profile cannot list") {
  rig r(20, "session_ttl=3r");  // a session lives three requests
  for (int i = 0; i < 10; ++i) {
    const auto got = r.lookup("000.00.00.H10-000000-" + std::to_string(i));
    REQUIRE_MESSAGE(got.ok(), got.error().message);
  }
  CHECK(r.nation().logins() > 2);
  CHECK(r.world->sleeps.empty());  // a renewal is not a retry
  std::optional<result<poll_result>> listed;
  test::run_until_done(r.io, [&]() -> asio::awaitable<void> {
    listed = co_await r.nation().list_changed(0, present, [](const page_record&, const std::string&) {});
  }());
  REQUIRE_FALSE(listed->ok());
  CHECK(listed->error().kind == error_kind::config);
}

TEST_CASE("shape B national: a wrong password is refused at log-in, named by the user, never shown") {
  rig r(20);
  r.national.password = "not-the-password-42";
  const auto got = r.lookup("000.00.00.H10-000000-1");
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().kind == error_kind::auth);
  CHECK(got.error().message.find(r.national.username) != std::string::npos);
  CHECK(got.error().message.find("not-the-password-42") == std::string::npos);
}
