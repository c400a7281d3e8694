// The portal client with the contract national profile against an in-test loopback server: sessions, error_code
// handling, retries, windows, paging while records move, bounds, and the password kept out of messages.
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

struct national_rig : test::portal_rig<test::fake_national> {
  explicit national_rig(int records = 0, std::size_t page_size = 5)
      : portal_rig("contract-national", "MaHoSo", "NgayCapNhat", records) {
    config.base_url = server.base() + "/dvcqg/adapter";
    config.dstcode = "DST-1";
    config.madonvi = "000.00.12.H10";
    config.username = "dvc-user";
    config.password = portal.password;
    config.page_size = page_size;
    config.retry.max_attempts = 3;
  }

  result<poll_result> list(instant from = 0, instant to = 4'000'000'000) { return list_changed(from, to, {}); }

  void check_current_versions_seen() const {
    for (const auto& [id, ts] : portal.records) {
      const auto& shown_id = id;  // CAPTURE's lambda cannot capture a structured binding (clang 14)
      CAPTURE(shown_id);
      CHECK(seen.count({"000.00.12.H10-240715-" + id, format_national_time(ts)}) == 1);
    }
  }
};

test::reply code_reply(const nlohmann::json& code) { return test::json_reply(200, {{"error_code", code}}); }

}  // namespace

TEST_CASE("national: a window is read whole, once, with one log-in") {
  for (bool numeric : {false, true}) {
    CAPTURE(numeric);
    national_rig rig(17);
    rig.portal.numeric_codes = numeric;
    const auto result = rig.list();
    REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().message));
    CHECK(result.value().records == 17);
    CHECK(result.value().cursor == 4'000'000'000);
    rig.check_current_versions_seen();
    CHECK(rig.portal.logins == 1);
    CHECK(rig.server.connections() == 1);
    CHECK(rig.sources.front().find("LayDanhSachHoSo tungay=19700101070000 denngay=") != std::string::npos);
    CHECK(rig.sources.front().find("trang=1 #0") != std::string::npos);
  }
}

TEST_CASE("national: a listing that fails part way has reported how far every record was handed out") {
  national_rig rig(30, 5);
  rig.portal.after_page = [&](int page) {
    if (page <= 2) rig.portal.touch(std::to_string(100 + page));
  };
  rig.portal.list_fault = [](int call) { return call >= 4 ? std::optional(test::json_reply(503, {})) : std::nullopt; };
  const auto result = rig.list();
  REQUIRE_FALSE(result.ok());
  REQUIRE(rig.progress.size() == 3);
  CHECK(std::is_sorted(rig.progress.begin(), rig.progress.end()));
  std::size_t before = 0;
  for (const auto& [id, ts] : rig.portal.records) {
    if (ts >= rig.progress.back()) continue;
    ++before;
    const auto& shown_id = id;  // CAPTURE's lambda cannot capture a structured binding (clang 14)
    CAPTURE(shown_id);
    CHECK(rig.seen.count({"000.00.12.H10-240715-" + id, format_national_time(ts)}) == 1);
  }
  CHECK(before >= 10);
}

TEST_CASE("national: the window is inclusive at both ends") {
  national_rig rig(0);
  for (int i = 0; i < 5; ++i) rig.portal.records[std::to_string(100 + i)] = 1'720'000'000 + i;
  const auto result = rig.list(1'720'000'001, 1'720'000'003);
  REQUIRE(result.ok());
  CHECK(rig.seen.size() == 3);
  CHECK(rig.seen.count({"000.00.12.H10-240715-101", format_national_time(1'720'000'001)}) == 1);
  CHECK(rig.seen.count({"000.00.12.H10-240715-103", format_national_time(1'720'000'003)}) == 1);
}

TEST_CASE("national: error_code 2 logs in again once and the call succeeds") {
  national_rig rig(12);
  rig.portal.after_page = [&](int page) {
    if (page == 1) rig.portal.valid_session.clear();  // the session expired on the portal
  };
  const auto result = rig.list();
  REQUIRE(result.ok());
  CHECK(rig.portal.logins == 2);
  CHECK(rig.get().logins() == 2);
  CHECK(rig.world->sleeps.empty());
  rig.check_current_versions_seen();
}

TEST_CASE("national: error_code 2 right after logging in again is an auth error, not a loop") {
  national_rig rig(3);
  rig.portal.list_fault = [](int) { return std::optional(code_reply("2")); };
  const auto result = rig.list();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == error_kind::auth);
  CHECK(rig.portal.logins == 2);
}

TEST_CASE("national: a session that is not an RFC 6750 b64token is refused and never sent") {
  for (const std::string session : {"sess\r\nX-Injected: yes", "sess ion", "sess\""}) {
    CAPTURE(session);
    national_rig rig(3);
    rig.portal.login_fault = [&](int) {
      return std::optional(test::json_reply(200, {{"error_code", "0"}, {"session", session}}));
    };
    const auto result = rig.list();
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == error_kind::auth);
    CHECK(result.error().message.find("RFC 6750") != std::string::npos);
    CHECK(result.error().message.find(session) == std::string::npos);
    CHECK(rig.portal.list_calls == 0);
  }
}

TEST_CASE("national: error_code 3 is reported without a retry") {
  national_rig rig(3);
  rig.portal.list_fault = [](int) {
    return std::optional(test::json_reply(200, {{"error_code", 3}, {"message", "Tham số không hợp lệ"}}));
  };
  const auto result = rig.list();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == error_kind::rejected);
  CHECK(result.error().message.find("error_code 3") != std::string::npos);
  CHECK(result.error().message.find("Tham số không hợp lệ") != std::string::npos);
  CHECK(rig.portal.list_calls == 1);
  CHECK(rig.world->sleeps.empty());
}

TEST_CASE("national: another error_code is retried") {
  national_rig rig(6);
  rig.portal.list_fault = [](int call) { return call == 1 ? std::optional(code_reply("99")) : std::nullopt; };
  const auto result = rig.list();
  REQUIRE(result.ok());
  CHECK(rig.world->sleeps.size() == 1);
  rig.check_current_versions_seen();
}

TEST_CASE("national: 429 with an HTTP-date Retry-After waits until then") {
  national_rig rig(6);
  rig.world->wall = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
  rig.portal.list_fault = [](int call) -> std::optional<test::reply> {
    if (call != 1) return std::nullopt;
    auto r = test::json_reply(429, {});
    r.res.set(boost::beast::http::field::retry_after, "Sun, 06 Nov 1994 08:49:42 GMT");
    return r;
  };
  const auto result = rig.list();
  REQUIRE(result.ok());
  CHECK(rig.world->sleeps == std::vector<milliseconds>{milliseconds(5000)});
}

TEST_CASE("national: 503 then success") {
  national_rig rig(6);
  rig.portal.list_fault = [](int call) { return call == 1 ? std::optional(test::json_reply(503, {})) : std::nullopt; };
  const auto result = rig.list();
  REQUIRE(result.ok());
  CHECK(rig.world->sleeps == std::vector<milliseconds>{milliseconds(250)});
  rig.check_current_versions_seen();
}

TEST_CASE("national: records moving to the end during paging are none of them missed") {
  national_rig rig(30, 4);
  rig.portal.after_page = [&](int page) {
    if (page <= 6) rig.portal.touch(std::to_string(100 + page));
  };
  const auto result = rig.list();
  REQUIRE(result.ok());
  rig.check_current_versions_seen();
}

TEST_CASE("national: a bad record is handed out as an error of its own; the rest of its page is read") {
  national_rig rig(8, 5);
  const std::string code = "000.00.12.H10-240715-";
  rig.portal.raw["101"] = R"({"MaHoSo":")" + code + "101\",\"TenHoSo\":\"\xc3\x28\"}";
  rig.portal.raw["102"] = R"({"MaHoSo":")" + code + R"(102","MaHoSo":"other"})";
  rig.portal.raw["107"] = R"({"MaHoSo":")" + code + R"(107","PhiLePhi":1e400})";
  const auto result = rig.list();
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().message));
  CHECK(rig.world->sleeps.empty());
  CHECK(rig.seen.size() == 5);
  REQUIRE(rig.refused.size() == 3);
  std::map<std::string, std::string> why(rig.refused.begin(), rig.refused.end());
  CHECK(why.at(code + "101").find("UTF-8") != std::string::npos);
  CHECK(why.at(code + "102").find("MaHoSo") != std::string::npos);
  CHECK(why.at(code + "107").find("1e400") != std::string::npos);
}

TEST_CASE("national: a page without `result` is malformed and retried") {
  national_rig rig(4);
  rig.portal.list_fault = [](int call) { return call == 1 ? std::optional(code_reply("0")) : std::nullopt; };
  const auto result = rig.list();
  REQUIRE(result.ok());
  CHECK(rig.world->sleeps.size() == 1);
  rig.check_current_versions_seen();
}

TEST_CASE("national: paging is bounded by max_pages") {
  national_rig rig(0, 3);
  rig.config.max_pages = 3;
  int next_id = 0;
  rig.portal.list_fault = [&](int) {
    nlohmann::json result = nlohmann::json::array();
    for (int i = 0; i < 3; ++i)
      result.push_back({{"MaHoSo", std::to_string(next_id++)}, {"NgayCapNhat", "20240715080000"}});
    return std::optional(test::json_reply(200, {{"error_code", "0"}, {"result", result}}));
  };
  const auto result = rig.list();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == error_kind::paging_limit);
  CHECK(rig.portal.list_calls == 3);
}

TEST_CASE("national: a refused password is an auth error that never shows it") {
  national_rig rig(3);
  rig.config.password = "not-the-password-42";
  const auto result = rig.list();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == error_kind::auth);
  CHECK(result.error().message.find("not-the-password-42") == std::string::npos);
  CHECK(result.error().message.find("dvc-user") != std::string::npos);
  for (const auto& line : rig.world->log) CHECK(line.find("not-the-password-42") == std::string::npos);
}

TEST_CASE("national: lookup finds a dossier or says it is not there") {
  national_rig rig(3);
  const auto found = rig.lookup("000.00.12.H10-240715-102");
  REQUIRE(found.ok());
  REQUIRE(found.value().has_value());
  CHECK((*found.value())["MaHoSo"] == "000.00.12.H10-240715-102");
  const auto missing = rig.lookup("000.00.12.H10-240715-999");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing.value().has_value());
}

TEST_CASE("national: a window that ends before it starts is refused") {
  national_rig rig(3);
  const auto result = rig.list(200, 100);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == error_kind::config);
}

TEST_CASE("national: configuration problems name the key") {
  const transport_profile profile = test::shipped_transport("contract-national");
  portal_config config;
  config.base_url = "https://dvcqg.example/adapter";
  config.dstcode = "D";
  config.madonvi = "M";
  config.username = "u";
  config.password = "p";
  CHECK_FALSE(portal_client::validate(profile, config));
  config.page_size = 0;
  auto problem = portal_client::validate(profile, config);
  REQUIRE(problem);
  CHECK(problem->message.find("national.page_size") == 0);
  config.page_size = 10;
  config.dstcode.clear();
  problem = portal_client::validate(profile, config);
  REQUIRE(problem);
  CHECK(problem->message.find("national.dstcode") == 0);
}
