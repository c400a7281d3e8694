#include <doctest/doctest.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "sim_client.hpp"

using namespace dvc::sim;
using namespace dvc::sim::test;
using nlohmann::json;

namespace {

constexpr const char* window_start = "20240101000000";
constexpr const char* window_end = "20240801000000";

json list_body(const std::string& session, int trang, int sobanghi, const std::string& from = window_start) {
  return {{"service", "LayDanhSachHoSo"}, {"session", session}, {"madonvi", "000.00.00.H10"}, {"tungay", from},
          {"denngay", window_end},        {"trang", trang},     {"sobanghi", sobanghi}};
}

constexpr std::array both_shapes{wire_shape::contract, wire_shape::b};

// A look-up: it needs a session in both shapes.
json national_lookup(const std::string& session, const std::string& code = "000.00.12.H10-240101-0001") {
  return {{"service", "TraCuuHoSo"}, {"session", session}, {"madonvi", "000.00.00.H10"}, {"mahoso", code}};
}

}  // namespace

TEST_CASE("contract shape: both portals serve pages and refuse out-of-range parameters") {
  running_sim s(small_province());
  const auto token = s.token();
  auto ok = s.provincial("/provincial/api/dossiers?updatedFrom=2024-03-01T00:00:00%2B07:00&page=1&size=50", token);
  REQUIRE(ok.status == 200);
  const auto page = json::parse(ok.body);
  CHECK(page["content"].size() == 50);
  CHECK(page["page"] == 1);
  CHECK(page["totalPages"] == (page["totalElements"].get<int>() + 49) / 50);

  CHECK(s.provincial("/provincial/api/dossiers?size=1001", token).status == 400);
  CHECK(s.provincial("/provincial/api/dossiers?size=0", token).status == 400);
  CHECK(s.provincial("/provincial/api/dossiers?page=-1", token).status == 400);
  const auto bad_time = s.provincial("/provincial/api/dossiers?updatedFrom=yesterday", token);
  CHECK(bad_time.status == 400);
  CHECK(bad_time.body.find("updatedFrom") != std::string::npos);
  CHECK(s.provincial("/provincial/api/dossiers", "not-a-token").status == 401);
  CHECK(s.provincial("/provincial/api/dossiers/000.00.12.H10-990101-0001", token).status == 404);

  const auto code = page["content"][0]["code"].get<std::string>();
  const auto one = s.provincial("/provincial/api/dossiers/" + code, token);
  REQUIRE(one.status == 200);
  CHECK(json::parse(one.body)["code"] == code);

  const auto session = s.session();
  const auto listed = json::parse(s.national(list_body(session, 1, 1000)).body);
  CHECK(listed["error_code"] == 0);
  CHECK(listed["result"].size() == std::min<std::size_t>(1000, listed["tongso"].get<std::size_t>()));
  CHECK(json::parse(s.national(list_body(session, 1, 1001)).body)["error_code"] == "3");
  CHECK(json::parse(s.national(list_body(session, 0, 10)).body)["error_code"] == "3");
  CHECK(json::parse(s.national(list_body(session, 1, 10, "2024-01-01")).body)["error_code"] == "3");
  auto other_unit = list_body(session, 1, 10);
  other_unit["madonvi"] = "000.00.99.H10";
  CHECK(json::parse(s.national(other_unit).body)["error_code"] == "3");

  const auto mahoso = listed["result"][0]["MaHoSo"].get<std::string>();
  const auto found = json::parse(
      s.national({{"service", "TraCuuHoSo"}, {"session", session}, {"madonvi", "000.00.00.H10"}, {"mahoso", mahoso}})
          .body);
  CHECK(found["result"].size() == 1);
  const auto wrong_dst =
      call(s.port(), http::verb::post, "/national", list_body(session, 1, 10).dump(), {{"dstcode", "XYZ"}});
  CHECK(json::parse(wrong_dst.body)["error_code"] == "3");

  // Request bodies are flat: nesting beyond eight levels is refused before the parser sees it; brackets inside
  // strings do not count.
  json deep = list_body(session, 1, 10);
  deep["x"] = json::parse("[[[[[[[[1]]]]]]]]");
  const auto refused = json::parse(s.national(deep).body);
  CHECK(refused["error_code"] == "3");
  CHECK(refused["message"] == "body: JSON nested too deeply");
  deep["x"] = "[[[[[[[[[[[[";
  CHECK(json::parse(s.national(deep).body)["error_code"] == 0);
}

TEST_CASE("rate429 answers 429 with Retry-After in seconds, then as an HTTP-date of the wall clock, in both shapes") {
  for (const auto shape : both_shapes) {
    INFO(shape_name(shape));
    manual_clock clock(1722445200, 1'900'000'000);  // the wall clock: 2030-03-17T17:46:40Z
    auto options = small_province(500, "rate429=1,retry_after=3", shape);
    options.clock = clock.clock();
    running_sim s(options);
    const auto first = call(s.port(), http::verb::post, "/provincial/oauth/token", "grant_type=password");
    CHECK(first.status == 429);
    CHECK(first.headers[http::field::retry_after] == "3");
    const auto second = s.national(json::object());
    CHECK(second.status == 429);
    CHECK(second.headers[http::field::retry_after] == "Sun, 17 Mar 2030 17:46:43 GMT");
  }
}

TEST_CASE("error5xx answers a server error in both shapes") {
  for (const auto shape : both_shapes) {
    INFO(shape_name(shape));
    running_sim s(small_province(500, "error5xx=1", shape));
    for (const auto& r : {s.national(json::object()), s.provincial(s.list_target(0, 5), "t")}) {
      CHECK(r.status >= 500);
      CHECK(r.status <= 503);
    }
  }
}

TEST_CASE("truncate sends less body than Content-Length promises, then closes, in both shapes") {
  for (const auto shape : both_shapes) {
    INFO(shape_name(shape));
    running_sim s(small_province(500, "truncate=1", shape));
    const auto got = exchange(s.port(), "POST /provincial/oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                              std::chrono::seconds(5));
    CHECK_FALSE(got.timed_out);
    const auto split = got.data.find("\r\n\r\n");
    REQUIRE(split != std::string::npos);
    const auto head = got.data.substr(0, split);
    const auto at = head.find("Content-Length: ");
    REQUIRE(at != std::string::npos);
    const auto promised = std::stoul(head.substr(at + 16));
    const auto sent = got.data.size() - split - 4;
    CHECK(promised > 0);
    CHECK(sent < promised);
    // A Beast client sees the cut as an error, never as a complete response.
    CHECK_FALSE(call(s.port(), http::verb::get, s.list_target(0, 5)).error.empty());
    CHECK_FALSE(s.national(json::object()).error.empty());
  }
}

TEST_CASE("hang accepts the request and never answers, in both shapes") {
  for (const auto shape : both_shapes) {
    INFO(shape_name(shape));
    running_sim s(small_province(500, "hang=1", shape));
    const auto got = exchange(s.port(), "GET " + s.list_target(0, 5) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                              std::chrono::milliseconds(400));
    CHECK(got.timed_out);
    CHECK(got.data.empty());
  }
}

TEST_CASE("latency delays every portal answer, in both shapes") {
  for (const auto shape : both_shapes) {
    INFO(shape_name(shape));
    running_sim s(small_province(500, "latency=150ms", shape));
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = call(s.port(), http::verb::get, s.list_target(0, 5));
    CHECK(r.status == 401);
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(150));
  }
}

TEST_CASE("tokens and sessions expire after N requests: 401 and error_code 2, in both shapes") {
  for (const auto shape : both_shapes) {
    INFO(shape_name(shape));
    running_sim s(small_province(500, "token_ttl=2r,session_ttl=1r", shape));
    const auto token = s.token();
    CHECK(s.provincial(s.list_target(0, 1), token).status == 200);
    CHECK(s.provincial(s.list_target(0, 1), token).status == 200);
    CHECK(s.provincial(s.list_target(0, 1), token).status == 401);
    CHECK(s.provincial(s.list_target(0, 1), s.token()).status == 200);
    const auto session = s.session();
    CHECK(error_code(s.national(national_lookup(session))) == "0");
    CHECK(error_code(s.national(national_lookup(session))) == "2");
  }
}

TEST_CASE("tokens and sessions expire after N seconds of the simulator's clock, in both shapes") {
  for (const auto shape : both_shapes) {
    INFO(shape_name(shape));
    manual_clock clock(1722445200);
    auto options = small_province(500, "token_ttl=60,session_ttl=90", shape);
    options.clock = clock.clock();
    running_sim s(options);
    const auto token = s.token();
    const auto session = s.session();
    clock.advance(59);
    CHECK(s.provincial(s.list_target(0, 1), token).status == 200);
    CHECK(error_code(s.national(national_lookup(session))) == "0");
    clock.advance(1);
    CHECK(s.provincial(s.list_target(0, 1), token).status == 401);
    CHECK(error_code(s.national(national_lookup(session))) == "0");
    clock.advance(30);
    CHECK(error_code(s.national(national_lookup(session))) == "2");
  }
}

TEST_CASE("expires_in gives the token's lifetime in seconds") {
  running_sim s(small_province(500, "token_ttl=60"));
  const auto& c = s.sim().options().creds;
  const auto r = call(s.port(), http::verb::post, "/provincial/oauth/token",
                      "grant_type=client_credentials&client_id=" + c.client_id + "&client_secret=" + c.client_secret);
  CHECK(json::parse(r.body)["expires_in"] == 60);
}

TEST_CASE("drift moves records already served to the end of the order") {
  running_sim s(small_province(2000, "drift=1"));
  const auto token = s.token();
  std::set<std::string> first_page;
  const auto page0 = json::parse(s.provincial("/provincial/api/dossiers?page=0&size=20", token).body);
  for (const auto& r : page0["content"]) {
    first_page.insert(r["id"].get<std::string>());
  }
  REQUIRE(s.provincial("/provincial/api/dossiers?page=1&size=20", token).status == 200);
  // The drifted records now carry an updatedDate at the simulated present, after all the seeded data.
  const auto moved = json::parse(
      s.provincial("/provincial/api/dossiers?page=0&size=20&updatedFrom=2024-08-01T00:00:00%2B07:00", token).body);
  REQUIRE(moved["content"].size() >= 1);
  for (const auto& r : moved["content"]) CHECK(first_page.count(r["id"].get<std::string>()) == 1);

  const auto session = s.session();
  std::set<std::string> national_first;
  const auto trang1 = json::parse(s.national(list_body(session, 1, 20)).body);
  for (const auto& r : trang1["result"]) {
    national_first.insert(r["MaHoSo"].get<std::string>());
  }
  REQUIRE(json::parse(s.national(list_body(session, 2, 20)).body)["error_code"] == 0);
  auto late = list_body(session, 1, 20, "20240801000000");
  late["denngay"] = "20991231000000";
  const auto national_moved = json::parse(s.national(late).body)["result"];
  REQUIRE(national_moved.size() >= 1);
  for (const auto& r : national_moved) {
    const auto code = r["MaHoSo"].get<std::string>();
    // Provincial drift already moved some to the end on that side only; national moves are from its first page.
    CHECK(national_first.count(code) == 1);
  }
}

TEST_CASE("the control endpoint mutates a share of the dossiers") {
  running_sim s(small_province(2000));
  const auto r = call(s.port(), http::verb::post, "/sim/mutate?percent=1");
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body)["changed"] == 20);
  CHECK(call(s.port(), http::verb::post, "/sim/mutate?percent=abc").status == 400);
  CHECK(call(s.port(), http::verb::post, "/sim/mutate?percent=150").status == 400);
}

TEST_CASE("HTTPS with a certificate for 127.0.0.1 serves the same portals") {
  const auto dir = std::filesystem::temp_directory_path() / ("dvc-sim-tls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  const auto command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext "
      "subjectAltName=IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  auto options = small_province(300);
  options.tls_cert = cert;
  options.tls_key = key;
  running_sim s(options);
  CHECK(s.sim().base_url().starts_with("https://127.0.0.1:"));

  namespace asio = boost::asio;
  namespace beast = boost::beast;
  asio::io_context io;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.load_verify_file(cert);
  asio::ssl::stream<beast::tcp_stream> stream(io, ctx);
  stream.set_verify_mode(asio::ssl::verify_peer);
  stream.set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
  beast::get_lowest_layer(stream).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port()));
  stream.handshake(asio::ssl::stream_base::client);
  http::request<http::string_body> req{http::verb::get, "/sim/status", 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  CHECK(res.result_int() == 200);
  CHECK(json::parse(res.body())["dossiers"] == 300);
  std::filesystem::remove_all(dir);
}
