// Shape B's endpoints as a client of that shape sees them (docs/simulator.md).
#include <doctest/doctest.h>

#include <set>

#include "sim/civil_time.hpp"
#include "sim_client.hpp"

using namespace dvc::sim;
using namespace dvc::sim::test;
using nlohmann::json;

namespace {

raw_response token_call(running_sim& s, const std::string& form) {
  return call(s.port(), http::verb::post, "/provincial/oauth/token", form,
              {{"Content-Type", "application/x-www-form-urlencoded"}});
}

raw_response login(running_sim& s, const json& body, const std::string& dstcode = "H10") {
  return call(s.port(), http::verb::post, "/national/login", body.dump(), {{"dstcode", dstcode}});
}

json look_up(running_sim& s, const std::string& session, const std::string& code) {
  const auto r =
      s.national({{"service", "TraCuuHoSo"}, {"session", session}, {"madonvi", "000.00.00.H10"}, {"mahoso", code}});
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

std::int64_t platform_time(const json& value) {
  const auto t = read_iso(value.get<std::string>());
  REQUIRE(t);
  return *t;
}

}  // namespace

TEST_CASE("shape B: the token is a password grant; the client secret is optional but checked when sent") {
  running_sim s(small_province(300, "", wire_shape::b));
  const auto& c = s.sim().options().creds;
  const std::string grant =
      "grant_type=password&client_id=" + c.client_id + "&username=" + c.provincial_username + "&password=";
  const auto ok = token_call(s, grant + c.provincial_password);
  REQUIRE(ok.status == 200);
  const auto body = json::parse(ok.body);
  CHECK(body["token_type"] == "bearer");
  CHECK(body["expires_in"] == 300);
  CHECK(token_call(s, grant + c.provincial_password + "&client_secret=" + c.client_secret).status == 200);
  CHECK(token_call(s, grant + c.provincial_password + "&client_secret=wrong").status == 401);
  const auto bad_password = token_call(s, grant + "wrong");
  CHECK(bad_password.status == 400);
  CHECK(json::parse(bad_password.body)["error"] == "invalid_grant");
  const auto client_credentials =
      token_call(s, "grant_type=client_credentials&client_id=" + c.client_id + "&client_secret=" + c.client_secret);
  CHECK(client_credentials.status == 400);
  CHECK(json::parse(client_credentials.body)["error"] == "unsupported_grant_type");
}

TEST_CASE("shape B: the search lists every dossier newest first, in slices with `last` and no totals") {
  running_sim s(small_province(1200, "", wire_shape::b));
  const auto token = s.token();
  std::set<std::string> ids;
  std::pair<std::int64_t, std::string> previous{INT64_MAX, "~"};
  bool last = false;
  int page = 0;
  for (; !last; ++page) {
    const auto r = s.provincial(s.list_target(page, 250), token);
    REQUIRE(r.status == 200);
    const auto slice = json::parse(r.body);
    CHECK(slice["number"] == page);
    CHECK(slice["size"] == 250);
    CHECK(slice["numberOfElements"] == slice["content"].size());
    CHECK_FALSE(slice.contains("totalElements"));
    CHECK_FALSE(slice.contains("totalPages"));
    for (const auto& record : slice["content"]) {
      const std::pair<std::int64_t, std::string> key{platform_time(record["updatedDate"]), record["id"]};
      CHECK(key < previous);  // updatedDate then id, both descending
      previous = key;
      ids.insert(record["id"].get<std::string>());
    }
    last = slice["last"].get<bool>();
    if (!last) CHECK(slice["content"].size() == 250);
  }
  CHECK(page == static_cast<int>((ids.size() + 249) / 250));
  CHECK(ids.size() > 1100);
  const auto beyond = json::parse(s.provincial(s.list_target(page, 250), token).body);
  CHECK(beyond["content"].empty());
  CHECK(beyond["last"] == true);

  const auto unit = json::parse(s.provincial(s.list_target(0, 1000) + "&agency-code=000.00.12.H10", token).body);
  REQUIRE(unit["content"].size() > 10);
  for (const auto& record : unit["content"]) CHECK(record["agency"]["code"] == "000.00.12.H10");
  CHECK(json::parse(s.provincial(s.list_target(0, 10) + "&agency-code=000.00.99.H10", token).body)["content"].empty());
}

TEST_CASE("shape B: the search refuses what the platform does not offer, naming the parameter") {
  running_sim s(small_province(300, "", wire_shape::b));
  const auto token = s.token();
  const std::string search = "/provincial/api/pa/dossier/search?page=0&size=10";
  const auto no_spec = s.provincial(search + "&sort=updatedDate,desc", token);
  CHECK(no_spec.status == 400);
  CHECK(no_spec.body.find("spec") != std::string::npos);
  const auto ascending = s.provincial(search + "&spec=slice&sort=updatedDate,asc", token);
  CHECK(ascending.status == 400);
  CHECK(ascending.body.find("sort") != std::string::npos);
  CHECK(s.provincial(s.list_target(0, 1001), token).status == 400);
  CHECK(s.provincial(s.list_target(-1, 10), token).status == 400);
  CHECK(s.provincial(s.list_target(0, 10), "not-a-token").status == 401);
  // The contract shape's endpoints do not exist here, and the other way round.
  CHECK(s.provincial("/provincial/api/dossiers?page=0&size=10", token).status == 404);
  CHECK(call(s.port(), http::verb::post, "/national", "{}", {{"dstcode", "H10"}}).status == 404);
  running_sim contract(small_province(300));
  CHECK(contract.provincial(s.list_target(0, 10), contract.token()).status == 404);
  CHECK(call(contract.port(), http::verb::post, "/national/login", "{}", {{"dstcode", "H10"}}).status == 404);
}

TEST_CASE("shape B: one dossier by its code at /--by-code, or 404") {
  running_sim s(small_province(300, "", wire_shape::b));
  const auto token = s.token();
  const auto first = json::parse(s.provincial(s.list_target(0, 1), token).body)["content"][0];
  const auto code = first["code"].get<std::string>();
  const auto one = s.provincial(s.one_target(code), token);
  REQUIRE(one.status == 200);
  CHECK(json::parse(one.body) == first);
  CHECK(s.provincial(s.one_target("000.00.12.H10-990101-0001"), token).status == 404);
  CHECK(s.provincial("/provincial/api/pa/dossier/" + code, token).status == 404);
}

TEST_CASE("shape B provincial records: nested, coded and translated as the platform writes them") {
  running_sim s(small_province(3000, "", wire_shape::b));
  const auto slice = json::parse(s.provincial(s.list_target(0, 1000), s.token()).body)["content"];
  std::set<int> statuses, methods;
  std::size_t english_first = 0, unpushed = 0, with_steps = 0;
  for (const auto& r : slice) {
    CHECK(r["id"].is_string());
    statuses.insert(r["dossierStatus"]["id"].get<int>());
    methods.insert(r["applyMethod"]["id"].get<int>());
    CHECK(r["agency"]["code"].is_string());
    CHECK(r["agency"]["id"].get<std::string>().size() == 24);
    const auto& translate = r["procedure"]["translate"];
    REQUIRE(translate.size() == 2);
    std::set<int> languages{translate[0]["languageId"].get<int>(), translate[1]["languageId"].get<int>()};
    CHECK(languages == std::set<int>{228, 46});
    english_first += translate[0]["languageId"] == 46;
    CHECK(r["procedure"]["sector"]["code"].is_string());
    CHECK(r["applicant"]["data"]["fullname"].is_string());
    CHECK(r["applicant"]["data"]["type"].is_number_integer());
    CHECK((r["isDigitized"] == 0 || r["isDigitized"] == 1));
    CHECK((r["paymentMethod"]["id"] == 0 || r["paymentMethod"]["id"] == 1));
    // yyyy-MM-ddTHH:mm:ss.SSS+0700
    const auto applied = r["appliedDate"].get<std::string>();
    CHECK(applied.size() == 28);
    CHECK(applied.substr(19, 1) == ".");
    CHECK(applied.substr(23) == "+0700");
    unpushed += !r.contains("nationCode") || r["nationCode"].is_null() || r["nationCode"] == "";
    for (const auto& task : r["task"]) {
      ++with_steps;
      CHECK(task["assignee"]["fullname"].is_string());
      CHECK(task["agency"]["name"].is_string());
      CHECK(task["isCurrent"] == (task["completedDate"].is_null() ? 1 : 0));
    }
    for (const auto& file : r["outputFile"]) CHECK(file["url"].get<std::string>().starts_with("https://"));
  }
  CHECK(statuses.size() >= 5);
  CHECK(statuses.count(17) == 1);  // processing, at the signature
  CHECK(methods == std::set<int>{0, 1, 2});
  CHECK(english_first > 0);
  CHECK(english_first < slice.size());
  CHECK(unpushed > 0);
  CHECK(with_steps > slice.size());
}

TEST_CASE("shape B national: /login, then look-ups only at /g") {
  running_sim s(small_province(1500, "", wire_shape::b));
  const auto& c = s.sim().options().creds;
  const auto logged_in = login(s, {{"username", c.username}, {"password", c.password}});
  REQUIRE(logged_in.status == 200);
  CHECK(json::parse(logged_in.body)["error_code"] == 0);
  CHECK(error_code(login(s, {{"username", c.username}, {"password", "wrong"}})) == "3");
  CHECK(error_code(login(s, {{"username", c.username}, {"password", c.password}}, "XYZ")) == "3");
  const auto session = json::parse(logged_in.body)["session"].get<std::string>();

  const auto list = s.national({{"service", "LayDanhSachHoSo"},
                                {"session", session},
                                {"madonvi", "000.00.00.H10"},
                                {"tungay", "20240101000000"},
                                {"denngay", "20240801000000"},
                                {"trang", 1},
                                {"sobanghi", 10}});
  CHECK(error_code(list) == "3");
  CHECK(json::parse(list.body)["message"].get<std::string>().find("LayDanhSachHoSo") != std::string::npos);
  CHECK(error_code(s.national({{"service", "DangNhap"}, {"username", c.username}, {"password", c.password}})) == "3");
  CHECK(error_code(s.national({{"service", "TraCuuHoSo"}, {"session", "stale"}, {"mahoso", "x"}})) == "2");

  const auto token = s.token();
  const auto provincial = json::parse(s.provincial(s.list_target(0, 1000), token).body)["content"];
  std::size_t found = 0, missing = 0;
  for (const auto& p : provincial) {
    const auto answer = look_up(s, session, p["code"].get<std::string>());
    CHECK(answer["error_code"] == 0);
    REQUIRE(answer["data"].is_array());
    const bool pushed = p.contains("nationCode") && p["nationCode"].is_string() && p["nationCode"] != "";
    CHECK(answer["data"].size() == (pushed ? 1u : 0u));
    (pushed ? found : missing) += 1;
  }
  CHECK(found > 900);
  CHECK(missing > 0);
}

TEST_CASE("shape B national records: codes, status code and label, unit name and code, dd/MM/yyyy times") {
  running_sim s(small_province(3000, "", wire_shape::b));
  const auto session = s.session();
  const auto provincial = json::parse(s.provincial(s.list_target(0, 1000), s.token()).body)["content"];
  std::set<std::string> payments;
  std::size_t without_completion = 0, completion_left_out = 0, other_procedure = 0;
  for (const auto& p : provincial) {
    const auto data = look_up(s, session, p["code"].get<std::string>())["data"];
    if (data.empty()) continue;
    const auto& n = data[0];
    for (const char* key : {"MaHoSo", "MaTTHC", "TrangThaiHoSo", "DonViXuLy", "MaDonViXuLy", "NgayNop", "NgayTiepNhan",
                            "NgayHenTra", "DuocThanhToanTrucTuyen"}) {
      INFO(key);
      CHECK(n[key].is_string());
    }
    for (const char* key : {"QuaTrinhXuLy", "DanhSachGiayToKetQua", "NgayCapNhat", "HoSoCoThanhPhanSoHoa"}) {
      CHECK_FALSE(n.contains(key));
    }
    CHECK(n["MaTTHC"].get<std::string>().ends_with(".000.00.00.H10"));
    // Equal to the provincial procedure once the suffix is dropped, but for the few planted differences.
    other_procedure += !n["MaTTHC"].get<std::string>().starts_with(p["procedure"]["code"].get<std::string>() + ".");
    const auto status =
        n["MaTrangThai"].is_string() ? std::stoi(n["MaTrangThai"].get<std::string>()) : n["MaTrangThai"].get<int>();
    CHECK(status >= 1);
    CHECK(status <= 10);
    CHECK(n["TrangThaiHoSo"].get<std::string>().find_first_of("0123456789") == std::string::npos);
    CHECK(n["MaDonViXuLy"].get<std::string>().ends_with(".H10"));
    CHECK(n["DonViXuLy"].get<std::string>().find(".H10") == std::string::npos);
    CHECK(read_day_first(n["NgayTiepNhan"].get<std::string>()));
    CHECK(n["NgayNop"] == n["NgayTiepNhan"]);
    payments.insert(n["DuocThanhToanTrucTuyen"].get<std::string>());
    if (!n.contains("NgayKetThucXuLy") || n["NgayKetThucXuLy"] == "") {
      ++without_completion;
      completion_left_out += !n.contains("NgayKetThucXuLy");
    } else {
      CHECK(read_day_first(n["NgayKetThucXuLy"].get<std::string>()));
    }
  }
  CHECK(payments == std::set<std::string>{"", "0", "1", "2", "3"});
  CHECK(other_procedure < provincial.size() / 50);
  CHECK(completion_left_out > 0);
  CHECK(completion_left_out < without_completion);
}
