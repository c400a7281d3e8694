// The portal client with the contract provincial profile against an in-test loopback server: tokens, 401 renewal,
// retries, paging while records move, bounds, and secrets kept out of messages.
#include <doctest/doctest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <set>

#include "tests/connectors/portal_rig.hpp"
#include "tests/connectors/shipped_profiles.hpp"

using namespace dvc;
namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

struct provincial_rig : test::portal_rig<test::fake_provincial> {
  explicit provincial_rig(int records = 0, std::size_t page_size = 5)
      : portal_rig("contract-provincial", "id", "updatedDate", records) {
    config.base_url = server.base() + "/api";
    config.token_url = server.base() + "/token";
    config.client_id = "dvcrecon";
    config.client_secret = portal.client_secret;
    config.page_size = page_size;
    config.retry.max_attempts = 3;
    config.http.read_timeout = std::chrono::seconds(5);
  }

  result<poll_result> list(instant from = 0, const std::string& agency = {}) { return list_changed(from, 0, agency); }

  // Every record as it is now was handed out exactly once.
  void check_current_versions_seen() const {
    for (const auto& [id, ts] : portal.records) {
      const auto& shown_id = id;  // CAPTURE's lambda cannot capture a structured binding (clang 14)
      CAPTURE(shown_id);
      CHECK(seen.count({id, format_utc_iso(ts)}) == 1);
    }
  }
};

test::reply with_retry_after(unsigned status, const std::string& value) {
  auto r = test::json_reply(status, {{"error", "slow down"}});
  r.res.set(boost::beast::http::field::retry_after, value);
  return r;
}

}  // namespace

TEST_CASE("provincial: every record is read once, with its source, over one kept-alive connection") {
  provincial_rig rig(23);
  const auto result = rig.list();
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().message));
  CHECK(result.value().records == 23);
  CHECK(rig.seen.size() == 23);
  rig.check_current_versions_seen();
  CHECK(result.value().cursor == rig.portal.clock - 1000 + 22);
  CHECK(result.value().pages == rig.portal.list_calls);
  CHECK(rig.portal.token_calls == 1);
  CHECK(rig.server.connections() == 1);
  CHECK(rig.sources.front().find("GET http://127.0.0.1:") == 0);
  CHECK(rig.sources.front().find("/api/dossiers?updatedFrom=1970-01-01T00%3A00%3A00Z&page=0&size=5 #0") !=
        std::string::npos);
  CHECK(rig.world->sleeps.empty());
}

TEST_CASE("provincial: nothing changed gives the starting point back as the cursor") {
  provincial_rig rig(0);
  const auto result = rig.list(1'700'000'000);
  REQUIRE(result.ok());
  CHECK(result.value().records == 0);
  CHECK(result.value().cursor == 1'700'000'000);
}

TEST_CASE("provincial: records moving to the end during paging are none of them missed") {
  provincial_rig rig(30, 5);
  rig.portal.after_page = [&](int page) {
    // An already-read record is updated after each of the first pages: the unread ones shift back.
    if (page <= 5) rig.portal.touch(std::to_string(100 + page));
  };
  const auto result = rig.list();
  REQUIRE(result.ok());
  rig.check_current_versions_seen();
  CHECK(result.value().cursor == rig.portal.clock);
}

TEST_CASE("provincial: a listing that fails part way has reported how far every record was handed out") {
  provincial_rig rig(30, 5);
  rig.portal.after_page = [&](int page) {
    if (page <= 2) rig.portal.touch(std::to_string(100 + page));  // records move while the pages are read
  };
  rig.portal.list_fault = [](int call) { return call >= 4 ? std::optional(test::json_reply(503, {})) : std::nullopt; };
  const auto result = rig.list();
  REQUIRE_FALSE(result.ok());
  REQUIRE(rig.progress.size() == 3);  // one report per page answered
  CHECK(std::is_sorted(rig.progress.begin(), rig.progress.end()));
  // Every record whose current timestamp is before the last report was handed out in that version.
  std::size_t before = 0;
  for (const auto& [id, ts] : rig.portal.records) {
    if (ts >= rig.progress.back()) continue;
    ++before;
    const auto& shown_id = id;  // CAPTURE's lambda cannot capture a structured binding (clang 14)
    CAPTURE(shown_id);
    CHECK(rig.seen.count({id, format_utc_iso(ts)}) == 1);
  }
  CHECK(before >= 10);
  CHECK(rig.progress.back() <= rig.portal.clock - 1000 + 29);
}

TEST_CASE("provincial: a listing that completes reports progress no further than its cursor") {
  provincial_rig rig(23);
  const auto result = rig.list();
  REQUIRE(result.ok());
  REQUIRE_FALSE(rig.progress.empty());
  CHECK(rig.progress.back() <= result.value().cursor);
}

TEST_CASE("provincial: a long run of one timestamp with a record leaving it mid-run") {
  provincial_rig rig(0, 4);
  for (int i = 0; i < 13; ++i) rig.portal.records[std::to_string(100 + i)] = 1'720'000'000;
  rig.portal.after_page = [&](int page) {
    if (page == 2) rig.portal.touch("101");
  };
  const auto result = rig.list();
  REQUIRE(result.ok());
  rig.check_current_versions_seen();
}

TEST_CASE("provincial: a revoked token gets one renewal, then the call succeeds") {
  provincial_rig rig(12);
  rig.portal.after_page = [&](int page) {
    if (page == 1) rig.portal.valid_token.clear();  // revoked (or expired early) on the server
  };
  const auto result = rig.list();
  REQUIRE(result.ok());
  CHECK(rig.portal.unauthorized == 1);
  CHECK(rig.portal.token_calls == 2);
  CHECK(rig.get().logins() == 2);
  rig.check_current_versions_seen();
  CHECK(rig.world->sleeps.empty());  // a renewal is not a retry
}

TEST_CASE("provincial: a token is renewed before expires_in runs out, without a 401") {
  provincial_rig rig(3);
  rig.portal.expires_in = 60;  // renewed 30 s early
  REQUIRE(rig.lookup("000.00.12.H10-240715-100").ok());
  rig.world->steady += std::chrono::seconds(20);
  REQUIRE(rig.lookup("000.00.12.H10-240715-101").ok());
  CHECK(rig.portal.token_calls == 1);
  rig.world->steady += std::chrono::seconds(11);
  REQUIRE(rig.lookup("000.00.12.H10-240715-102").ok());
  CHECK(rig.portal.token_calls == 2);
  CHECK(rig.portal.unauthorized == 0);
}

TEST_CASE("provincial: a 401 after renewal is an auth error, not a loop") {
  provincial_rig rig(3);
  rig.portal.list_fault = [](int) { return std::optional(test::json_reply(401, {})); };
  const auto result = rig.list();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == error_kind::auth);
  CHECK(rig.portal.token_calls == 2);
  CHECK(rig.world->sleeps.empty());
}

TEST_CASE("provincial: refused client credentials are an auth error that never shows the secret") {
  provincial_rig rig(3);
  rig.config.client_secret = "wrong-secret-value";
  const auto result = rig.list();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == error_kind::auth);
  CHECK(rig.portal.last_token_form.find("client_secret=wrong-secret-value") != std::string::npos);
  CHECK(result.error().message.find("wrong-secret-value") == std::string::npos);
  CHECK(rig.portal.token_calls == 1);
}

TEST_CASE("provincial: an access token that is not an RFC 6750 b64token is refused and never sent") {
  for (const std::string token : {"tok\r\nX-Injected: yes", "tok en", "tok\"", "=tok"}) {
    CAPTURE(token);
    provincial_rig rig(3);
    rig.portal.token_fault = [&](int) {
      return std::optional(test::json_reply(200, {{"access_token", token}, {"token_type", "Bearer"}}));
    };
    const auto result = rig.list();
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == error_kind::auth);
    CHECK(result.error().message.find("RFC 6750") != std::string::npos);
    CHECK(result.error().message.find(token) == std::string::npos);
    CHECK(rig.portal.list_calls == 0);
    CHECK(rig.portal.unauthorized == 0);
  }
}

TEST_CASE("provincial: 429 waits as long as Retry-After says") {
  provincial_rig rig(8);
  rig.portal.list_fault = [](int call) { return call == 1 ? std::optional(with_retry_after(429, "3")) : std::nullopt; };
  const auto result = rig.list();
  REQUIRE(result.ok());
  CHECK(rig.world->sleeps == std::vector<milliseconds>{milliseconds(3000)});
  rig.check_current_versions_seen();
  REQUIRE(rig.world->log.size() == 1);
  CHECK(rig.world->log[0].find("HTTP 429") != std::string::npos);
}

TEST_CASE("provincial: 503 then success backs off with jitter") {
  provincial_rig rig(8);
  rig.portal.list_fault = [](int call) { return call == 2 ? std::optional(test::json_reply(503, {})) : std::nullopt; };
  const auto result = rig.list();
  REQUIRE(result.ok());
  CHECK(rig.world->sleeps == std::vector<milliseconds>{milliseconds(250)});  // 500 ms ceiling × 0.5
  rig.check_current_versions_seen();
}

TEST_CASE("provincial: a 503 that does not go away ends after max_attempts with the reason") {
  provincial_rig rig(8);
  rig.portal.list_fault = [](int) { return std::optional(test::json_reply(503, {})); };
  const auto result = rig.list();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == error_kind::http_status);
  CHECK(result.error().http_status == 503);
  CHECK(result.error().message.find("gave up after 3 attempts") != std::string::npos);
  CHECK(rig.world->sleeps.size() == 2);
  CHECK(rig.portal.list_calls == 3);
}

TEST_CASE("provincial: truncated, malformed and shapeless pages are retried, never accepted") {
  provincial_rig rig(8);
  rig.portal.list_fault = [&](int call) -> std::optional<test::reply> {
    if (call == 1) {
      auto r = test::json_reply(200, {{"content", nlohmann::json::array({rig.portal.record("100")})}});
      r.how = test::reply::mode::truncate_body;
      return r;
    }
    if (call == 2) return test::text_reply(200, "{\"content\": [");
    if (call == 3) return test::json_reply(200, {{"items", nlohmann::json::array()}});
    return std::nullopt;
  };
  rig.config.retry.max_attempts = 4;
  const auto result = rig.list();
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().message));
  CHECK(rig.world->sleeps.size() == 3);
  CHECK(rig.seen.size() == 8);  // nothing from the broken answers was handed out
  rig.check_current_versions_seen();
}

TEST_CASE("provincial: a bad record is handed out as an error of its own; the rest of its page is read") {
  provincial_rig rig(12, 5);
  const auto ts = [&](const char* id) { return format_utc_iso(rig.portal.records.at(id)); };
  // One record of each kind breaking the record bounds, spread over the pages; the last one of the listing too.
  rig.portal.raw["101"] = std::string(R"({"id":"101","updatedDate":")") + ts("101") + "\",\"name\":\"\xff\xfe\"}";
  rig.portal.raw["103"] = R"({"id":"103","fileUrl":"data:)" + std::string(70 * 1024, 'A') + "\"}";
  rig.portal.raw["106"] = R"({"id":106,"x":)" + std::string(40, '[') + std::string(40, ']') + "}";
  rig.portal.raw["108"] = R"({"id":"108","fee":1e400})";
  rig.portal.raw["111"] = R"({"id":"111","code":"a","code":"b"})";
  const auto result = rig.list();
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().message));
  CHECK(rig.world->sleeps.empty());  // no page was retried for a record in it
  CHECK(rig.seen.size() == 7);
  for (const char* id : {"100", "102", "104", "105", "107", "109", "110"}) CHECK(rig.seen.count({id, ts(id)}) == 1);
  REQUIRE(rig.refused.size() == 5);
  std::map<std::string, std::string> why(rig.refused.begin(), rig.refused.end());
  CHECK(why.at("101").find("UTF-8") != std::string::npos);
  CHECK(why.at("103").find("string") != std::string::npos);
  CHECK(why.at("106").find("nested") != std::string::npos);
  CHECK(why.at("108").find("1e400") != std::string::npos);
  CHECK(why.at("111").find("code") != std::string::npos);
  // The cursor moved to the last record that could be read, past the records that could not.
  CHECK(result.value().cursor == rig.portal.records.at("110"));
}

TEST_CASE("provincial: a kept-alive connection the server dropped is reopened without a retry") {
  provincial_rig rig(12);
  rig.portal.list_fault = [](int call) {
    test::reply r;
    r.how = test::reply::mode::close_silently;
    return call == 2 ? std::optional(r) : std::nullopt;
  };
  const auto result = rig.list();
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().message));
  CHECK(rig.world->sleeps.empty());
  CHECK(rig.server.connections() == 2);
  rig.check_current_versions_seen();
}

TEST_CASE("provincial: a server that closes after every answer gets a new connection each time") {
  provincial_rig rig(12);
  test::loopback_server closing(rig.io, [&](const test::request& r) {
    auto answer = rig.portal.handle(r);
    answer.res.keep_alive(false);
    return answer;
  });
  rig.config.base_url = closing.base() + "/api";
  rig.config.token_url = closing.base() + "/token";
  const auto result = rig.list();
  REQUIRE(result.ok());
  CHECK(closing.connections() == static_cast<std::size_t>(rig.portal.list_calls + rig.portal.token_calls));
  rig.check_current_versions_seen();
}

TEST_CASE("provincial: paging is bounded by max_pages") {
  provincial_rig rig(0, 5);
  rig.config.max_pages = 4;
  int next_id = 0;
  // A broken server: every page is full, all at one timestamp, always with new ids.
  rig.portal.list_fault = [&](int) {
    nlohmann::json content = nlohmann::json::array();
    for (int i = 0; i < 5; ++i)
      content.push_back({{"id", std::to_string(next_id++)}, {"updatedDate", "2024-07-15T08:00:00+07:00"}});
    return std::optional(test::json_reply(200, {{"content", content}}));
  };
  const auto result = rig.list();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == error_kind::paging_limit);
  CHECK(rig.portal.list_calls == 4);
}

TEST_CASE("provincial: the agency filter is sent and applied") {
  provincial_rig rig(10);
  const auto result = rig.list(0, "EVEN");
  REQUIRE(result.ok());
  CHECK(rig.portal.last_agency == "EVEN");
  CHECK(result.value().records == 5);
  for (const auto& [id, updated] : rig.seen) CHECK((id.back() - '0') % 2 == 0);
}

TEST_CASE("provincial: lookup finds a dossier or says it is not there") {
  provincial_rig rig(3);
  const auto found = rig.lookup("000.00.12.H10-240715-101");
  REQUIRE(found.ok());
  REQUIRE(found.value().has_value());
  CHECK((*found.value())["id"] == "101");
  const auto missing = rig.lookup("000.00.12.H10-240715-999");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing.value().has_value());
}

TEST_CASE("provincial: configuration problems name the key") {
  const transport_profile profile = test::shipped_transport("contract-provincial");
  portal_config config;
  config.base_url = "http://portal.example/api";
  config.token_url = "https://portal.example/token";
  config.client_id = "x";
  config.client_secret = "y";
  auto problem = portal_client::validate(profile, config);
  REQUIRE(problem);
  CHECK(problem->message.find("provincial.base_url") == 0);
  config.base_url = "https://portal.example/api";
  config.page_size = 1001;
  problem = portal_client::validate(profile, config);
  REQUIRE(problem);
  CHECK(problem->message.find("provincial.page_size") == 0);
  config.page_size = 1000;
  CHECK_FALSE(portal_client::validate(profile, config));
  config.http.ca_file = "/nonexistent/dvc-ca.pem";
  problem = portal_client::validate(profile, config);
  REQUIRE(problem);
  CHECK(problem->message.find("provincial.ca_file") == 0);
  CHECK(problem->message.find("/nonexistent/dvc-ca.pem") != std::string::npos);
}
