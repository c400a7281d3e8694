#include "api/api_handler.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <boost/beast/http.hpp>
#include <cctype>

#include "api/dashboard_assets.hpp"
#include "reports/labels.hpp"
#include "reports/sync_rates.hpp"
#include "schema/migrations.hpp"
#include "service/build_info.hpp"
#include "tests/support/ops_fixtures.hpp"
#include "tests/support/stderr_capture.hpp"

using namespace dvc;
using namespace dvc::ops_test;
namespace http = boost::beast::http;

namespace {

struct api_fixture {
  temp_dir dir;
  config cfg;
  service_status status;  // what the service would publish: each request below publishes it first
  status_board board;
  instant now = as_of + 60;
  api_handler handler;

  explicit api_fixture(bool with_token = true, std::function<void(config&)> adjust = {})
      : cfg(configured(dir, with_token, adjust)), handler(cfg, board, [this] { return now; }) {
    build_ledger(cfg);
    handler.refresh_sync_rates();
  }

  static config configured(const temp_dir& dir, bool with_token, const std::function<void(config&)>& adjust) {
    config c = make_config(dir, with_token);
    if (adjust) adjust(c);
    return c;
  }

  api_response get(const std::string& target, std::optional<std::string> auth = {},
                   std::optional<std::string> host = std::string("127.0.0.1:8470")) {
    board.publish(status);
    api_request req{http::verb::get, target, 11};
    if (host) req.set(http::field::host, *host);
    if (auth) req.set(http::field::authorization, *auth);
    return handler(req, "192.0.2.7");
  }
  api_response post(const std::string& target, std::string body, std::optional<std::string> auth = {}) {
    api_request req{http::verb::post, target, 11};
    req.set(http::field::host, "localhost:8470");
    req.set(http::field::content_type, "application/json");
    if (auth) req.set(http::field::authorization, *auth);
    req.body() = std::move(body);
    req.prepare_payload();
    board.publish(status);
    return handler(req, "192.0.2.7");
  }
};

const std::string operator_auth = std::string("Bearer ") + token;
const std::string reader_auth = std::string("Bearer ") + read_token;

nlohmann::json json_of(const api_response& res) { return nlohmann::json::parse(res.body()); }

std::int64_t id_of(api_fixture& f, const char* key) {
  const auto page = json_of(f.get(std::string("/api/findings?state=all&q=") + key));
  REQUIRE(page["items"].size() == 1);
  return page["items"][0]["id"].get<std::int64_t>();
}

}  // namespace

TEST_CASE("findings list: open by default, finding objects, filters and paging") {
  api_fixture f;
  auto res = f.get("/api/findings");
  REQUIRE(res.result() == http::status::ok);
  CHECK(res[http::field::content_type] == "application/json; charset=utf-8");
  auto page = json_of(res);
  CHECK(page["total"] == 3);
  REQUIRE(page["items"].size() == 3);
  for (const auto& item : page["items"])
    for (const char* k : {"id", "key", "kind", "reason", "unit_code", "state", "first_seen", "last_seen", "details",
                          "provincial", "national"})
      CHECK_MESSAGE(item.contains(k), k);

  page = json_of(f.get("/api/findings?kind=field_mismatch"));
  REQUIRE(page["total"] == 1);
  CHECK(page["items"][0]["key"] == key_channel);
  CHECK(page["items"][0]["details"]["fields"] == nlohmann::json::array({"channel"}));
  CHECK(page["items"][0]["provincial"]["channel"] == 2);
  CHECK(page["items"][0]["national"]["channel"] == 1);

  page = json_of(f.get("/api/findings?unit=000.00.13.h10"));  // unit codes compare upper-cased
  CHECK(page["total"] == 2);
  page = json_of(f.get("/api/findings?q=240703-0002"));
  REQUIRE(page["total"] == 1);
  CHECK(page["items"][0]["kind"] == "missing_on_national");
  CHECK(page["items"][0]["national"].is_null());

  page = json_of(f.get("/api/findings?limit=1&offset=1"));
  CHECK(page["total"] == 3);
  CHECK(page["items"].size() == 1);
  page = json_of(f.get("/api/findings?state=resolved"));
  CHECK(page["total"] == 0);
  page = json_of(f.get("/api/findings?since=2030-01-01T00:00:00%2B07:00"));
  CHECK(page["total"] == 0);
}

TEST_CASE("findings list: bad parameters are 400 naming the parameter") {
  api_fixture f;
  for (const auto& [target, name] :
       std::vector<std::pair<std::string, std::string>>{{"/api/findings?limit=0", "limit"},
                                                        {"/api/findings?limit=1001", "limit"},
                                                        {"/api/findings?limit=ten", "limit"},
                                                        {"/api/findings?offset=-1", "offset"},
                                                        {"/api/findings?kind=lost", "kind"},
                                                        {"/api/findings?state=closed", "state"},
                                                        {"/api/findings?since=yesterday", "since"},
                                                        {"/api/runs?limit=5000", "limit"},
                                                        {"/api/sync-rates?period=2024-13", "period"},
                                                        {"/api/indicators?period=2024-Q0", "period"}}) {
    const auto res = f.get(target);
    const auto& shown_target = target;  // the message's lambda cannot capture a structured binding (clang 14)
    CHECK_MESSAGE(res.result() == http::status::bad_request, shown_target);
    CHECK_MESSAGE(json_of(res)["error"].get<std::string>().find(name) != std::string::npos, shown_target);
  }
  CHECK(f.get("/api/findings?q=%zz").result() == http::status::bad_request);
  CHECK(f.get("/api/findings?q=%C3").result() == http::status::bad_request);  // cut UTF-8
}

TEST_CASE("findings export: the filtered findings as a CSV or .xlsx attachment; bad parameters are 400") {
  api_fixture f;
  auto res = f.get("/api/findings/export?format=csv&lang=en&kind=field_mismatch,missing_on_provincial&unit=" +
                   std::string(unit_b));
  REQUIRE(res.result() == http::status::ok);
  CHECK(res[http::field::content_type] == "text/csv; charset=utf-8");
  CHECK(res[http::field::content_disposition] == "attachment; filename=\"dvcrecon-findings-20240713.csv\"");
  const std::string csv = res.body();
  CHECK(csv.rfind("\xEF\xBB\xBFid,key,code,unit_code,unit_name,kind,reason,state,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);  // the header and two findings
  CHECK(csv.find(",field_mismatch,differs,open,") != std::string::npos);
  CHECK(csv.find(",missing_on_provincial,unknown_code,open,") != std::string::npos);
  CHECK(csv.find(",Sở Tư pháp,") != std::string::npos);

  res = f.get("/api/findings/export?format=xlsx");
  REQUIRE(res.result() == http::status::ok);
  CHECK(res[http::field::content_type] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  CHECK(res[http::field::content_disposition] == "attachment; filename=\"dvcrecon-findings-20240713.xlsx\"");
  CHECK(res.body().rfind("PK\x03\x04", 0) == 0);

  res = f.get("/api/findings/export");  // CSV with Vietnamese headers unless asked otherwise
  CHECK(res.body().rfind("\xEF\xBB\xBFSố phát hiện,", 0) == 0);

  for (const auto& [target, says] : std::vector<std::pair<std::string, std::string>>{
           {"/api/findings/export?format=pdf", "parameter format must be csv or xlsx"},
           {"/api/findings/export?lang=fr", "parameter lang must be vi or en"},
           {"/api/findings/export?kind=lost", "the kinds are missing_on_national, missing_on_provincial,"},
           {"/api/findings?kind=field_mismatch,lost", "\"lost\" is not a finding kind"}}) {
    const auto r = f.get(target);
    const auto& shown_target = target;
    CHECK_MESSAGE(r.result() == http::status::bad_request, shown_target);
    CHECK_MESSAGE(json_of(r)["error"].get<std::string>().find(says) != std::string::npos, shown_target);
  }
  CHECK(f.post("/api/findings/export", "{}").result() == http::status::method_not_allowed);
}

TEST_CASE("one finding with its events; unknown ids are 404, malformed ones 400") {
  api_fixture f;
  const auto id = id_of(f, key_unpushed);
  auto res = f.get("/api/findings/" + std::to_string(id));
  REQUIRE(res.result() == http::status::ok);
  const auto j = json_of(res);
  CHECK(j["kind"] == "missing_on_national");
  REQUIRE(j["events"].size() == 1);
  CHECK(j["events"][0]["type"] == "opened");
  CHECK(j["events"][0]["to_state"] == "open");
  CHECK(f.get("/api/findings/99999").result() == http::status::not_found);
  CHECK(f.get("/api/findings/abc").result() == http::status::bad_request);
  CHECK(f.get("/api/nothing-here").result() == http::status::not_found);
}

TEST_CASE("ack: refused without configured tokens, 401 without or with a wrong token, recorded with the right one") {
  SUBCASE("no token configured") {
    api_fixture f(false);
    const auto id = id_of(f, key_unpushed);
    const auto res = f.post("/api/findings/" + std::to_string(id) + "/ack", R"({"note":"đã báo"})", operator_auth);
    CHECK(res.result() == http::status::unauthorized);  // a token was sent, and no file knows it
    CHECK(f.post("/api/findings/" + std::to_string(id) + "/ack", R"({"note":"đã báo"})").result() ==
          http::status::forbidden);
  }
  SUBCASE("tokens configured") {
    api_fixture f;
    const auto id = id_of(f, key_unpushed);
    const std::string target = "/api/findings/" + std::to_string(id) + "/ack";
    const std::string body = R"({"note":"Đã đề nghị Sở đồng bộ lại","by":"Trần Thị Bình"})";
    auto res = f.post(target, body);
    CHECK(res.result() == http::status::unauthorized);
    CHECK(res[http::field::www_authenticate].starts_with("Bearer"));
    CHECK(f.post(target, body, "Bearer wrong").result() == http::status::unauthorized);
    CHECK(f.post(target, body, operator_auth + "x").result() == http::status::unauthorized);
    CHECK(f.post(target, body, std::string("Basic ") + token).result() == http::status::unauthorized);
    CHECK(f.post(target, body, operator_auth + " extra").result() == http::status::unauthorized);
    // A reader's token sees personal data but may not acknowledge.
    CHECK(f.post(target, body, reader_auth).result() == http::status::forbidden);

    const std::string auth = operator_auth;
    res = f.post(target, body, auth);
    REQUIRE(res.result() == http::status::ok);
    // The actor is the token's owner; the body's "by" is not trusted.
    CHECK(json_of(res)["ack"]["by"] == operator_name);
    const auto after = json_of(f.get("/api/findings/" + std::to_string(id)));
    CHECK(after["state"] == "open");  // an ack does not resolve
    CHECK(after["ack"]["note"] == "Đã đề nghị Sở đồng bộ lại");
    CHECK(after["events"].back()["type"] == "ack");

    CHECK(f.post("/api/findings/99999/ack", body, auth).result() == http::status::not_found);
    CHECK(f.post(target, "{not json", auth).result() == http::status::bad_request);
    CHECK(f.post(target, R"({"by":"x"})", auth).result() == http::status::bad_request);
    CHECK(json_of(f.get("/api/findings/" + std::to_string(id)))["events"].back()["actor"] == operator_name);
    CHECK(f.post(target, R"({"note":""})", auth).result() == http::status::bad_request);
    CHECK(f.post(target, R"([[[[[[[[[[[[[[[[[[[[[["note"]]]]]]]]]]]]]]]]]]]]]])", auth).result() ==
          http::status::bad_request);
    CHECK(f.post(target, R"({"note":")" + std::string(5000, 'a') + "\"}", auth).result() == http::status::bad_request);
    CHECK(f.post(target, std::string(api_handler::default_body_limit + 1, ' '), auth).result() ==
          http::status::payload_too_large);
    CHECK(f.get(target).result() == http::status::method_not_allowed);
  }
}

TEST_CASE("readyz needs the ledger and a recent success on both sides") {
  api_fixture f;
  auto res = f.get("/readyz");
  CHECK(res.result() == http::status::service_unavailable);
  CHECK(json_of(res)["why"][0].get<std::string>().find("provincial") != std::string::npos);

  f.status.provincial.last_success = f.now - 10;
  f.status.national.last_success = f.now - 20;
  res = f.get("/readyz");
  CHECK(res.result() == http::status::ok);
  CHECK(json_of(res)["ready"] == true);

  f.status.national.last_success = f.now - f.cfg.ready_max_age_s() - 1;
  f.status.national.last_error = "national: HTTP 503";
  res = f.get("/readyz");
  CHECK(res.result() == http::status::service_unavailable);
  CHECK(json_of(res)["why"][0].get<std::string>().find("HTTP 503") != std::string::npos);

  CHECK(f.get("/healthz").result() == http::status::ok);
}

TEST_CASE("readyz is 503 naming the ledger when it does not exist") {
  temp_dir dir;
  const config cfg = make_config(dir);
  service_status status;
  status.provincial.last_success = status.national.last_success = as_of;
  const status_board board(status);
  api_handler handler(cfg, board, [] { return as_of; });
  api_request req{http::verb::get, "/readyz", 11};
  req.set(http::field::host, "localhost");
  const auto res = handler(req);
  CHECK(res.result() == http::status::service_unavailable);
  CHECK(res.body().find("does not exist") != std::string::npos);
  CHECK(!std::filesystem::exists(cfg.ledger));  // looking must not create it
}

TEST_CASE("sync-rates: the report's JSON, per unit and the province row") {
  api_fixture f;
  auto res = f.get("/api/sync-rates?period=2024-Q3");
  REQUIRE(res.result() == http::status::ok);
  const auto rows = json_of(res);
  REQUIRE(rows.size() == 3);
  for (const auto& r : rows) CHECK(r.size() == 13);
  CHECK(rows[0] == nlohmann::json{{"unit_code", unit_a},
                                  {"unit_name", "Sở Giao thông vận tải"},
                                  {"period", "2024-Q3"},
                                  {"current_code", nullptr},
                                  {"former_codes", nlohmann::json::array()},
                                  {"formerly", nullptr},
                                  {"total", 2},
                                  {"fully_synced", 1},
                                  {"not_evaluated", 0},
                                  {"rate", 0.5},
                                  {"target", 100.0},
                                  {"evaluated", true},
                                  {"rate_note", nullptr}});
  CHECK(rows[1]["unit_code"] == unit_b);
  CHECK(rows[1]["rate"] == 0.0);
  CHECK(rows[2]["unit_code"].is_null());
  CHECK(rows[2]["unit_name"] == "Toàn tỉnh");
  CHECK(rows[2]["total"] == 3);
  CHECK(rows[2]["fully_synced"] == 1);
  CHECK(json_of(f.get("/api/sync-rates?period=2024-07"))[2]["period"] == "2024-07");
  CHECK(json_of(f.get("/api/sync-rates?period=2024-Q1")).empty());
  CHECK(json_of(f.get("/api/sync-rates")) == rows);
}

TEST_CASE("indicators: national's view beside the strict rate, from the same table") {
  api_fixture f;
  const auto rows = json_of(f.get("/api/indicators?period=2024-Q3"));
  REQUIRE(rows.size() == 3);
  // Unit A: key_same on both sides, key_unpushed provincial only: 1 / max(2, 1); strict 1 of 2 without a finding.
  CHECK(rows[0]["unit_code"] == unit_a);
  CHECK(rows[0]["unit_name"] == "Sở Giao thông vận tải");
  CHECK(rows[0]["provincial"] == 2);
  CHECK(rows[0]["national"] == 1);
  CHECK(rows[0]["synced"] == 0.5);
  CHECK(rows[0]["strict"] == 0.5);
  CHECK(rows[0]["gap"] == 0.0);
  // Unit B: key_channel on both sides (channel differs), key_unknown national only: 2 / max(1, 2) = 1; strict 0 / 1.
  CHECK(rows[1]["synced"] == 1.0);
  CHECK(rows[1]["strict"] == 0.0);
  CHECK(rows[1]["gap"] == 1.0);
  // The province: 3 / max(3, 3) = 1 against a strict 1 / 3.
  CHECK(rows[2]["unit_code"].is_null());
  CHECK(rows[2]["synced"] == 1.0);
  CHECK(rows[2]["gap"].get<double>() == doctest::Approx(2.0 / 3));
  // Every dossier is due 30 days after receipt and unfinished ten days in: neither on time nor late yet.
  CHECK(rows[2]["on_time_national"] == nlohmann::json{{"on_time", 0}, {"late", 0}, {"unknown", 0}, {"rate", nullptr}});
  CHECK(rows[2]["on_time_gap"].is_null());
  CHECK(json_of(f.get("/api/indicators")) == rows);
  CHECK(json_of(f.get("/api/indicators?period=2024-07")).size() == 3);
  CHECK(json_of(f.get("/api/indicators?period=2024-Q1")).empty());
}

TEST_CASE("dossier: both sides compared, differing fields marked, findings with events") {
  api_fixture f;
  auto res = f.get(std::string("/api/dossiers/") + key_channel);
  REQUIRE(res.result() == http::status::ok);
  const auto d = json_of(res);
  CHECK(d["provincial"]["channel"] == 2);
  CHECK(d["national"]["channel"] == 1);
  std::vector<std::string> differing;
  for (const auto& field : d["fields"])
    if (field["differs"].get<bool>()) differing.push_back(field["field"]);
  CHECK(differing == std::vector<std::string>{"channel"});
  REQUIRE(d["findings"].size() == 1);
  CHECK(d["findings"][0]["events"].size() == 1);

  res = f.get(std::string("/api/dossiers/") + key_unknown);
  REQUIRE(res.result() == http::status::ok);
  CHECK(json_of(res)["provincial"].is_null());
  CHECK(f.get("/api/dossiers/000.00.12.H10-990101-9999").result() == http::status::not_found);
  // A key given in lower case with spaces is the same key (docs/wire-formats.md#codes).
  CHECK(f.get("/api/dossiers/%20000.00.13.h10-240703-0003").result() == http::status::ok);
}

TEST_CASE("runs: open findings after each run, for the trend chart") {
  api_fixture f;
  {
    auto db = ledger::open(f.cfg.ledger.string());
    auto world = first_world();
    world.push_back(make(side::national, key_unpushed, unit_a, "Sở Giao thông vận tải"));  // now pushed
    reconcile_into(db, world, as_of + 3600);
  }
  const auto runs = json_of(f.get("/api/runs"))["items"];
  REQUIRE(runs.size() == 2);
  CHECK(runs[0]["open_after"] == 3);
  CHECK(runs[1]["open_after"] == 2);
  CHECK(runs[1]["resolved"] == 1);
  CHECK(json_of(f.get("/api/runs?limit=1"))["items"].size() == 1);
}

TEST_CASE("metrics: the poll under way, with what is left only where the portal gave totals") {
  api_fixture f;
  f.status.provincial.records_read_total = 1700;
  f.status.provincial.poll = {true, 1000, 2, 10, 100, 4000, 40};
  f.status.national.poll = {true, 300, 1, 10, 30, std::nullopt, std::nullopt};
  std::string text = f.get("/metrics").body();
  CHECK(text.find("dvcrecon_records_read_total{side=\"provincial\"} 1700\n") != std::string::npos);
  CHECK(text.find("dvcrecon_poll_running{side=\"provincial\"} 1\n") != std::string::npos);
  CHECK(text.find("dvcrecon_poll_records_read{side=\"provincial\"} 1000\n") != std::string::npos);
  CHECK(text.find("dvcrecon_poll_pages_read{side=\"provincial\"} 2\n") != std::string::npos);
  CHECK(text.find("dvcrecon_poll_records_per_second{side=\"national\"} 30\n") != std::string::npos);
  CHECK(text.find("dvcrecon_poll_records_remaining{side=\"provincial\"} 4000\n") != std::string::npos);
  CHECK(text.find("dvcrecon_poll_remaining_seconds{side=\"provincial\"} 40\n") != std::string::npos);
  CHECK(text.find("dvcrecon_poll_records_remaining{side=\"national\"}") == std::string::npos);
  CHECK(text.find("dvcrecon_poll_remaining_seconds{side=\"national\"}") == std::string::npos);
  f.status.provincial.poll.running = false;
  text = f.get("/metrics").body();
  CHECK(text.find("dvcrecon_poll_running{side=\"provincial\"} 0\n") != std::string::npos);
}

TEST_CASE("metrics: look-ups by outcome and coverage, only when national is read by look-ups") {
  api_fixture f;
  CHECK(f.get("/metrics").body().find("dvcrecon_national_lookup") == std::string::npos);
  f.status.national_looked_up = true;
  f.status.lookups_by_outcome = {{"found", 900}, {"not_found", 40}, {"failed", 2}};
  f.status.lookup_provincial_dossiers = 1000;
  f.status.lookup_looked_up = 940;
  f.status.lookup_rolling_due = 60;
  const std::string text = f.get("/metrics").body();
  CHECK(text.find("dvcrecon_national_lookups_total{outcome=\"found\"} 900\n") != std::string::npos);
  CHECK(text.find("dvcrecon_national_lookups_total{outcome=\"failed\"} 2\n") != std::string::npos);
  CHECK(text.find("dvcrecon_national_lookup_dossiers{state=\"looked_up\"} 940\n") != std::string::npos);
  CHECK(text.find("dvcrecon_national_lookup_dossiers{state=\"rolling_due\"} 60\n") != std::string::npos);
}

TEST_CASE("metrics: Prometheus text with findings by kind and state and the quarter's sync rate") {
  api_fixture f;
  f.now = 1'722'000'000;  // 2024-07-26: the fixture's quarter is the current one
  f.status.started_at = f.now - 100;
  f.status.provincial.records_read_total = 42;
  f.status.national.http_errors_by_kind["timeout"] = 3;
  const auto res = f.get("/metrics");
  REQUIRE(res.result() == http::status::ok);
  CHECK(res[http::field::content_type].starts_with("text/plain; version=0.0.4"));
  const std::string& text = res.body();
  CHECK(text.find("# TYPE dvcrecon_findings gauge\n") != std::string::npos);
  CHECK(text.find("dvcrecon_findings{kind=\"missing_on_national\",state=\"open\"} 1\n") != std::string::npos);
  CHECK(text.find("dvcrecon_findings{kind=\"status_mismatch\",state=\"open\"} 0\n") != std::string::npos);
  CHECK(text.find("dvcrecon_records_read_total{side=\"provincial\"} 42\n") != std::string::npos);
  CHECK(text.find("dvcrecon_http_errors_total{side=\"national\",kind=\"timeout\"} 3\n") != std::string::npos);
  CHECK(text.find("dvcrecon_sync_rate_ratio{unit=\"000.00.12.H10\",period=\"2024-Q3\"} 0.5\n") != std::string::npos);
  CHECK(text.find("dvcrecon_sync_rate_ratio{unit=\"province\",period=\"2024-Q3\"} 0.33") != std::string::npos);
  CHECK(text.find("dvcrecon_ledger_up 1\n") != std::string::npos);
  CHECK(text.find("dvcrecon_up_seconds 100\n") != std::string::npos);
  CHECK(text.find("# TYPE dvcrecon_build_info gauge\n") != std::string::npos);
  CHECK(text.find("dvcrecon_build_info{version=\"" + std::string(build_version()) + "\",schema=\"" +
                  std::to_string(latest_schema_version()) + "\"} 1\n") != std::string::npos);
}

TEST_CASE("dashboard files are served from the binary; other methods are 405") {
  api_fixture f;
  auto res = f.get("/");
  REQUIRE(res.result() == http::status::ok);
  CHECK(res[http::field::content_type] == "text/html; charset=utf-8");
  CHECK(res.body().find("Cổng Dịch vụ công quốc gia") != std::string::npos);
  CHECK(res["Content-Security-Policy"].find("default-src 'self'") != std::string_view::npos);
  res = f.get("/chart.min.js");
  CHECK(res.result() == http::status::ok);
  CHECK(res.body().find("Chart.js v") != std::string::npos);
  for (const char* file : {"/dossier.html", "/dashboard.js", "/dossier.js", "/common.js", "/style.css"})
    CHECK_MESSAGE(f.get(file).result() == http::status::ok, file);
  CHECK(f.post("/", "{}").result() == http::status::method_not_allowed);
  CHECK(f.post("/", "{}")[http::field::allow] == "GET");
  CHECK(f.get("/../etc/passwd").result() == http::status::not_found);
}

TEST_CASE("acks and refused tokens are logged with the client's address and the finding") {
  api_fixture f;
  const auto id = std::to_string(id_of(f, key_unpushed));
  test::stderr_capture log;
  CHECK(f.post("/api/findings/" + id + "/ack", R"({"note":"x"})", "Bearer not-a-valid-token-of-anyone-at-all-0000")
            .result() == http::status::unauthorized);
  CHECK(f.post("/api/findings/" + id + "/ack", R"({"note":"x"})").result() == http::status::unauthorized);
  CHECK(f.post("/api/findings/" + id + "/ack", R"({"note":"x"})", reader_auth).result() == http::status::forbidden);
  CHECK(f.post("/api/findings/" + id + "/ack", R"({"note":"đã gọi"})", operator_auth).result() == http::status::ok);
  const std::string text = log.text();
  CHECK(text.find("warning api_auth_failed client=192.0.2.7 path=/api/findings/" + id + "/ack finding=" + id +
                  " token=\"\" reason=\"the bearer token is not in the tokens file\"") != std::string::npos);
  CHECK(text.find("finding=" + id + " token=\"\" reason=\"no token\"") != std::string::npos);
  CHECK(text.find("finding=" + id + " token=so-tttt reason=") != std::string::npos);
  CHECK(text.find("info api_ack finding=" + id + " actor=\"Lê Văn Cường\" client=192.0.2.7") != std::string::npos);
  CHECK(text.find(token) == std::string::npos);
}

TEST_CASE("a token must be 32 bytes of token characters: shorter ones are refused even when listed") {
  const std::string short_token = "short-but-listed";
  api_fixture f(true, [&](config& c) { c.http.tokens.push_back({"kort", sha256_hex(short_token), token_scope::ack}); });
  const auto id = std::to_string(id_of(f, key_unpushed));
  const auto res = f.post("/api/findings/" + id + "/ack", R"({"note":"x"})", "Bearer " + short_token);
  CHECK(res.result() == http::status::unauthorized);
  CHECK(json_of(res)["error"].get<std::string>().find("shorter than 32") != std::string::npos);
}

TEST_CASE("the open API masks applicants' phones and e-mails; a read or ack token sees them") {
  api_fixture f;
  {
    auto db = ledger::open(f.cfg.ledger.string());
    auto world = first_world();
    world[2].applicant_phone = "0912345678";
    world[2].applicant_email = "nguoidan@example.vn";
    reconcile_into(db, world, as_of + 60);
  }
  const std::string path = std::string("/api/dossiers/") + key_unpushed;
  const auto field = [](const nlohmann::json& d, const std::string& name) {
    for (const auto& row : d["fields"])
      if (row["field"] == name) return row["provincial"].get<std::string>();
    return std::string("(absent)");
  };
  auto d = json_of(f.get(path));
  CHECK(d["provincial"]["applicant_phone"] == "091*****78");
  CHECK(d["provincial"]["applicant_email"] == "n*******@example.vn");
  CHECK(field(d, "applicant_phone") == "091*****78");
  CHECK(field(d, "applicant_email") == "n*******@example.vn");
  CHECK(d["provincial"]["applicant_name"] == "Nguyễn Văn An");
  const auto body = f.get(path).body();
  CHECK(body.find("0912345678") == std::string::npos);
  CHECK(body.find("nguoidan@") == std::string::npos);

  for (const auto& auth : {reader_auth, operator_auth}) {
    d = json_of(f.get(path, auth));
    CHECK(d["provincial"]["applicant_phone"] == "0912345678");
    CHECK(field(d, "applicant_email") == "nguoidan@example.vn");
  }
}

TEST_CASE("with read_access token every /api/ request needs a token; health, metrics and the dashboard stay open") {
  api_fixture f(true, [](config& c) { c.http.reads = read_access::token; });
  for (const char* path : {"/api/findings", "/api/runs", "/api/sync-rates", "/api/findings/1"}) {
    const auto res = f.get(path);
    CHECK_MESSAGE(res.result() == http::status::unauthorized, path);
    CHECK_MESSAGE(f.get(path, reader_auth).result() == http::status::ok, path);
  }
  CHECK(f.get(std::string("/api/dossiers/") + key_same).result() == http::status::unauthorized);
  CHECK(f.get(std::string("/api/dossiers/") + key_same, operator_auth).result() == http::status::ok);
  for (const char* path : {"/healthz", "/metrics", "/", "/dashboard.js"})
    CHECK_MESSAGE(f.get(path).result() == http::status::ok, path);
}

TEST_CASE("the Host header must name this service: DNS rebinding is refused with 421") {
  api_fixture f(true, [](config& c) {
    c.http.listen = {"10.1.2.3", 8470};
    c.http.allowed_hosts = {"dvcrecon.so-tttt.example.vn"};
  });
  for (const char* host : {"localhost", "localhost:8470", "LOCALHOST.", "127.0.0.1:8470", "127.8.9.10", "[::1]:8470",
                           "10.1.2.3:8470", "dvcrecon.so-tttt.example.vn", "DVCRecon.so-tttt.example.vn:443"})
    CHECK_MESSAGE(f.get("/api/findings", {}, std::string(host)).result() == http::status::ok, host);
  for (const char* host : {"evil.example.com", "evil.example.com:8470", "10.1.2.4", "localhost.evil.example.com",
                           "dvcrecon.so-tttt.example.vn.evil.example.com", "[::2]:8470"}) {
    const auto res = f.get("/api/findings", {}, std::string(host));
    CHECK_MESSAGE(res.result() == http::status::misdirected_request, host);
  }
  CHECK(f.get("/healthz", {}, std::string("evil.example.com")).result() == http::status::misdirected_request);
  CHECK(f.get("/api/findings", {}, std::nullopt).result() == http::status::misdirected_request);  // HTTP/1.1, no Host
}

TEST_CASE("sync rates: any period is answered from the table of the last finished run, never a scan per request") {
  api_fixture f;
  CHECK(f.handler.sync_rate_computations() == 1);
  for (const char* p : {"2024-Q3", "2024-07", "2023-Q1", "2019-12", "2031-Q4", "2024-08", ""})
    CHECK(f.get(std::string("/api/sync-rates?period=") + p).result() == http::status::ok);
  f.get("/metrics");
  CHECK(f.handler.sync_rate_computations() == 1);
  CHECK_FALSE(f.handler.refresh_sync_rates());  // no run finished since: nothing to compute

  // A run that finishes makes the next refresh compute the table again, once.
  {
    auto db = ledger::open(f.cfg.ledger.string());
    auto world = first_world();
    world.push_back(make(side::national, key_unpushed, unit_a, "Sở Giao thông vận tải"));  // now pushed
    reconcile_into(db, world, as_of + 3600);
  }
  CHECK(json_of(f.get("/api/sync-rates?period=2024-Q3"))[0]["rate"] == 0.5);  // still the old table
  CHECK(f.handler.refresh_sync_rates());
  CHECK_FALSE(f.handler.refresh_sync_rates());
  CHECK(f.handler.sync_rate_computations() == 2);
  CHECK(json_of(f.get("/api/sync-rates?period=2024-Q3"))[0]["rate"] == 1.0);
}

TEST_CASE("sync rates before the first computation: 503 with Retry-After, never a scan on the request") {
  temp_dir dir;
  const config cfg = make_config(dir);
  build_ledger(cfg);
  const status_board board;
  api_handler handler(cfg, board, [] { return as_of; });
  api_request req{http::verb::get, "/api/sync-rates?period=2024-Q3", 11};
  req.set(http::field::host, "localhost");
  const auto res = handler(req);
  CHECK(res.result() == http::status::service_unavailable);
  CHECK(res[http::field::retry_after] == "5");
  CHECK(handler.sync_rate_computations() == 0);
}

TEST_CASE(
    "status: no notice while the figures are current; stale past the readiness age; partial after a partial run") {
  api_fixture f;
  auto j = json_of(f.get("/api/status"));
  CHECK(j["notice"].is_null());
  CHECK(j["last_evaluated_run"]["id"] == 1);
  CHECK(j["latest_run"]["status"] == "ok");

  f.now = as_of + f.cfg.ready_max_age_s() + 120;  // three poll intervals and two minutes later
  j = json_of(f.get("/api/status"));
  CHECK(j["notice"]["kind"] == "stale");
  CHECK(j["notice"]["message"].get<std::string>().find("Số liệu đã cũ") != std::string::npos);

  f.now = as_of + 60;
  {
    auto db = ledger::open(f.cfg.ledger.string());
    const auto run = db.begin_run(run_mode::service, as_of + 30, as_of + 30, 1800);
    run_summary s;
    s.ended_at = as_of + 40;
    s.status = run_status::partial;
    db.finish_run(run, s);
  }
  j = json_of(f.get("/api/status"));
  CHECK(j["notice"]["kind"] == "partial");
  CHECK(j["notice"]["message"].get<std::string>().find("#2") != std::string::npos);
  CHECK(j["last_evaluated_run"]["id"] == 1);
}

TEST_CASE("a brand-new ledger: every configured unit and the province 'not yet evaluated', never [] nor 100 %") {
  temp_dir dir;
  const config cfg = make_config(dir);
  status_board board;
  const instant now = as_of + 60;  // in 2024-07, 2024-Q3
  api_handler handler(cfg, board, [&] { return now; });
  const auto get = [&](const std::string& target) {
    api_request req{http::verb::get, target, 11};
    req.set(http::field::host, "localhost");
    return handler(req);
  };
  { ledger::open(cfg.ledger.string()); }  // created by the service at its start: no run, no record yet
  REQUIRE(handler.refresh_sync_rates());
  struct row {
    const char* target;
    const char* period;
  };
  for (const row& r :
       {row{"/api/sync-rates", "2024-Q3"}, row{"/api/sync-rates?period=2024-Q3", "2024-Q3"},
        row{"/api/sync-rates?period=2024-07", "2024-07"}, row{"/api/sync-rates?period=2024-Q1", "2024-Q1"},
        row{"/api/sync-rates?period=2023-11", "2023-11"}}) {
    CAPTURE(r.target);
    const auto res = get(r.target);
    REQUIRE(res.result() == http::status::ok);
    const auto rows = json_of(res);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0]["unit_code"] == unit_a);
    CHECK(rows[0]["unit_name"] == "Sở Giao thông vận tải");
    CHECK(rows[1]["unit_code"] == unit_b);
    CHECK(rows[2]["unit_code"].is_null());  // the province
    for (const auto& j : rows) {
      CAPTURE(j.dump());
      CHECK(j["period"] == r.period);
      CHECK(j["rate"].is_null());
      CHECK(j["evaluated"] == false);
      CHECK(j["rate_note"] == not_evaluated_label());
      CHECK(j["total"] == 0);
    }
  }
  const std::string metrics = get("/metrics").body();
  CHECK(metrics.find("dvcrecon_sync_rate_ratio{") == std::string::npos);
  CHECK(metrics.find("dvcrecon_sync_dossiers{unit=\"" + std::string(unit_a) + "\",period=\"2024-Q3\"} 0") !=
        std::string::npos);
}

TEST_CASE(
    "once a complete evaluation has run, rows are evaluated and carry no note; a unit without dossiers is left "
    "out") {
  api_fixture f;
  const auto rows = json_of(f.get("/api/sync-rates?period=2024-Q3"));
  REQUIRE_FALSE(rows.empty());
  for (const auto& j : rows) {
    CAPTURE(j.dump());
    CHECK(j["evaluated"] == true);
    CHECK(j["rate_note"].is_null());
  }
  CHECK(json_of(f.get("/api/sync-rates?period=2024-Q1")).empty());
}

TEST_CASE("the dashboard shows the API's words for a rate not yet evaluated: they are written once, in reports/") {
  const auto* script = find_dashboard_asset("/dashboard.js");
  REQUIRE(script != nullptr);
  CHECK(script->body.find(not_evaluated_label()) == std::string_view::npos);
  CHECK(script->body.find("r.rate_note") != std::string_view::npos);
  CHECK(script->body.find("r.evaluated") != std::string_view::npos);
}

TEST_CASE("during the first sync: a banner, and every unit 'not yet evaluated' instead of a rate nobody computed") {
  temp_dir dir;
  const config cfg = make_config(dir);
  status_board board;
  const instant now = as_of + 60;
  api_handler handler(cfg, board, [&] { return now; });
  const auto get = [&](const std::string& target) {
    api_request req{http::verb::get, target, 11};
    req.set(http::field::host, "localhost");
    return handler(req);
  };
  {
    // The first service run has stored both portals' records and not evaluated them yet.
    auto db = ledger::open(cfg.ledger.string());
    const auto run = db.begin_run(run_mode::service, as_of, as_of, 1800);
    auto batch = db.begin_batch(run, as_of);
    for (const auto& d : first_world()) batch.upsert_record(d, facts_of(d));
    batch.commit();
  }
  // What the sync-rate worker does when the API starts: one computation over the ledger as it is.
  REQUIRE(handler.refresh_sync_rates());
  auto j = json_of(get("/api/status"));
  CHECK(j["notice"]["kind"] == "first_sync");
  CHECK(j["notice"]["message"].get<std::string>().find("Đang đồng bộ lần đầu") != std::string::npos);
  CHECK(j["last_evaluated_run"].is_null());

  const auto rows = json_of(get("/api/sync-rates"));
  REQUIRE(rows.size() == 3);
  for (const auto& row : rows) {
    CAPTURE(row.dump());
    CHECK(row["rate"].is_null());
    CHECK(row["total"] == 0);
    CHECK(row["fully_synced"] == 0);
    CHECK(row["not_evaluated"].get<int>() > 0);
    CHECK(row["evaluated"] == false);
    CHECK(row["rate_note"] == not_evaluated_label());
  }
  CHECK(rows[2]["not_evaluated"] == 3);  // the three provincial dossiers
  CHECK(get("/metrics").body().find("dvcrecon_sync_rate_ratio{") == std::string::npos);
}

TEST_CASE("labels: the dashboard's Vietnamese words come from the one built-in table") {
  api_fixture f;
  const auto res = f.get("/api/labels");
  REQUIRE(res.result() == http::status::ok);
  const auto j = json_of(res);
  CHECK(j == vi_labels());
  CHECK(j["kinds"]["falsely_closed"]["label"] == "Kết thúc không đúng");
  CHECK(f.post("/api/labels", "{}").result() == http::status::method_not_allowed);
}

namespace {
std::string percent_encoded(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '.' || c == '-') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}
}  // namespace

TEST_CASE("findings search: unit name and procedure for everyone, the applicant's name only with a token") {
  api_fixture f;
  const auto total = [&](std::string_view q, std::optional<std::string> auth = {}) {
    return json_of(f.get("/api/findings?q=" + percent_encoded(q), std::move(auth)))["total"].get<int>();
  };
  CHECK(total("Tư pháp") == 2);           // unit name of unit_b's records
  CHECK(total("1.003560") == 3);          // procedure code
  CHECK(total("giấy phép lái xe") == 3);  // procedure name, from the stored body
  CHECK(total("Không có thủ tục này") == 0);
  CHECK(total("Nguyễn Văn An") == 0);  // personal data: not searched for an anonymous reader
  CHECK(total("Nguyễn Văn An", reader_auth) == 3);
}

TEST_CASE("monthly sync-rate trend: the province or one unit, oldest month first, rows as /api/sync-rates gives") {
  api_fixture f;
  auto res = f.get("/api/sync-rates/monthly");
  REQUIRE(res.result() == http::status::ok);
  auto j = json_of(res);
  CHECK(j["unit_code"].is_null());
  REQUIRE(!j["months"].empty());
  for (const auto& m : j["months"]) CHECK(m["unit_code"].is_null());
  const auto month = j["months"].back()["period"].get<std::string>();
  const auto same = json_of(f.get("/api/sync-rates?period=" + month));
  CHECK(same.back() == j["months"].back());  // the province row of that month, computed once

  j = json_of(f.get("/api/sync-rates/monthly?unit=000.00.13.h10"));
  CHECK(j["unit_code"] == "000.00.13.H10");
  REQUIRE(!j["months"].empty());
  for (const auto& m : j["months"]) CHECK(m["unit_code"] == "000.00.13.H10");
  CHECK(f.get("/api/sync-rates/monthly?unit=999").result() == http::status::bad_request);
}

TEST_CASE(
    "unit=: a unit neither configured nor in the ledger is a 400 naming it, on every route that filters by unit") {
  // Not configured, but the ledger holds its records: known, and filtered by.
  api_fixture f(true, [](config& c) { c.units.clear(); });
  CHECK(json_of(f.get("/api/findings?unit=000.00.13.h10"))["total"] == 2);
  CHECK(f.get("/api/findings/export?unit=000.00.13.H10").result() == http::status::ok);
  CHECK(f.get("/api/sync-rates/monthly?unit=000.00.13.H10").result() == http::status::ok);
  for (const char* route : {"/api/findings", "/api/findings/export", "/api/sync-rates/monthly"}) {
    const std::string target = std::string(route) + "?unit=000.00.99.H10";
    const auto res = f.get(target);
    CHECK_MESSAGE(res.result() == http::status::bad_request, target);
    CHECK_MESSAGE(json_of(res)["error"] ==
                      "parameter unit: \"000.00.99.H10\" is neither a unit of the configuration nor a unit of any "
                      "dossier or finding in the ledger",
                  target);
  }
}

TEST_CASE("alerts: the episodes open and those resolved last, as codes with their details") {
  api_fixture f;
  CHECK(json_of(f.get("/api/alerts")) ==
        nlohmann::json{{"open", nlohmann::json::array()}, {"open_total", 0}, {"recent", nlohmann::json::array()}});
  {
    auto db = ledger::open(f.cfg.ledger.string());
    alert_update fired;
    fired.conditions = {{"sync_rate_below_target", unit_a, true, {{"unit_code", unit_a}, {"rate_percent", 50.0}}},
                        {"poll_stale", "national", true, {{"side", "national"}}}};
    db.apply_alert_conditions(fired, as_of);
    alert_update cleared;
    cleared.conditions = {{"poll_stale", "national", false, {{"side", "national"}}}};
    db.apply_alert_conditions(cleared, as_of + 600);
  }
  const auto res = f.get("/api/alerts");
  REQUIRE(res.result() == http::status::ok);
  const auto j = json_of(res);
  CHECK(j["open_total"] == 1);
  REQUIRE(j["open"].size() == 1);
  CHECK(j["open"][0]["rule"] == "sync_rate_below_target");
  CHECK(j["open"][0]["subject"] == unit_a);
  CHECK(j["open"][0]["resolved_at"].is_null());
  CHECK(j["open"][0]["details"]["rate_percent"] == 50.0);
  REQUIRE(j["recent"].size() == 1);
  CHECK(j["recent"][0]["rule"] == "poll_stale");
  CHECK(j["recent"][0]["resolved_at"] == format_vietnam_iso(as_of + 600));
  CHECK(j["recent"][0]["opened_at"] == format_vietnam_iso(as_of));
  CHECK(f.get("/api/alerts?limit=0").result() == http::status::bad_request);
  CHECK(f.post("/api/alerts", "{}").result() == http::status::method_not_allowed);
}
