#include <doctest/doctest.h>

#include "reconcile/bounded_json.hpp"
#include "tests/reconcile/fixtures.hpp"

using namespace dvc;
using namespace dvc::test;

TEST_CASE("provincial mapping") {
  const auto d = parse_provincial(provincial_base(), {}).value;
  CHECK(d.key == "000.00.12.H10-240715-0001");
  CHECK(d.status == 10);
  CHECK(d.channel == 2);  // applyMethod 1 (online) is national channel 2
  CHECK(d.digitized == true);
  CHECK(d.online_payment == false);
  CHECK(d.results.size() == 1);
  REQUIRE(d.steps.size() == 2);
  CHECK(d.steps[1].end == parse_iso_time("2024-07-18T10:00:00+07:00"));
  CHECK(d.unit_name == "Sở Giao thông vận tải");
}

TEST_CASE("national mapping") {
  const auto d = parse_national(national_base()).value;
  CHECK(d.key == "000.00.12.H10-240715-0001");
  CHECK(d.status == 10);
  CHECK(d.channel == 2);
  CHECK(d.digitized == true);
  CHECK(d.online_payment == false);
  CHECK(d.steps.size() == 2);
  const auto f = facts_of(d);
  CHECK(f.steps_ended == 2);
  CHECK_FALSE(f.step_open);
}

TEST_CASE("canonical JSON round-trips") {
  for (const auto& d : {parse_provincial(provincial_base(), {}).value, parse_national(national_base()).value}) {
    const auto back = dossier_from_json(to_json(d));
    CHECK(to_json(back) == to_json(d));
  }
}

TEST_CASE("direct JSON text equals the nlohmann rendering, escapes and bad UTF-8 included") {
  auto d = parse_provincial(provincial_base(), {}).value;
  CHECK(json::parse(to_json_text(d)) == to_json(d));
  d.applicant_name = "quote\" back\\ nl\n tab\t ctl\x01 Vi\xE1\xBB\x87t";
  d.summary = std::string("bad \xC3 end \xFF \xE1\x80", 14);
  d.steps.clear();
  d.results.clear();
  const auto parsed = json::parse(to_json_text(d));
  CHECK(parsed["applicant_name"] == d.applicant_name);
  CHECK(parsed["summary"] == "bad \xEF\xBF\xBD end \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(to_json(dossier_from_json(parsed)) == to_json(dossier_from_json(parsed)));
  const auto n = parse_national(national_base()).value;
  CHECK(json::parse(to_json_text(n)) == to_json(n));
}

TEST_CASE("broken records name the field at fault") {
  const auto fails_on = [](json p, const char* field) {
    try {
      parse_provincial(p, {});
      FAIL("accepted");
    } catch (const record_error& e) {
      CHECK(e.field == field);
    }
  };
  json p = provincial_base();
  p["appliedDate"] = "15/07/2024";
  fails_on(p, "appliedDate");
  p = provincial_base();
  p["steps"][1]["endDate"] = "soon";
  fails_on(p, "steps[1].endDate");
  p = provincial_base();
  p["applyMethod"]["id"] = 7;
  fails_on(p, "applyMethod.id");
  p = provincial_base();
  p["procedure"] = "1.003560";
  fails_on(p, "procedure");
  p = provincial_base();
  p.erase("code");
  p["nationCode"] = nullptr;
  fails_on(p, "code");
  CHECK_THROWS_AS(parse_national(json::array()), record_error);
  json n = national_base();
  n["KenhThucHien"] = "9";
  CHECK_THROWS_WITH_AS(parse_national(n), "KenhThucHien: unknown value 9", record_error);
}

TEST_CASE("bounded JSON refuses deep nesting, huge strings and bad text") {
  json_limits limits;
  limits.max_depth = 4;
  limits.max_string = 16;
  CHECK_NOTHROW(parse_bounded(R"({"a":[{"b":1}]})", limits));
  CHECK_THROWS_AS(parse_bounded(R"([[[[[1]]]]])", limits), json_error);
  CHECK_THROWS_AS(parse_bounded(R"({"a":"0123456789abcdefg"})", limits), json_error);
  CHECK_THROWS_AS(parse_bounded(R"({"a":)", limits), json_error);
  // Brackets inside strings do not count as nesting.
  CHECK_NOTHROW(parse_bounded(R"({"a":"[[[[[["})", limits));
  limits.max_bytes = 3;
  CHECK_THROWS_AS(parse_bounded("[1,2]", limits), json_error);
}
