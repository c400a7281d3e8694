// Splitting an answer into its envelope and records: each record is bounded and parsed on its own, so one bad
// record is an error of its own (named by position and id) and the rest of the page is used; a page whose
// structure is broken fails as a whole.
#include "connectors/page_records.hpp"

#include <doctest/doctest.h>

using namespace dvc;
using nlohmann::json;

namespace {

page_limits limits() {
  page_limits l;
  l.record.max_bytes = 1 << 20;
  return l;
}

result<page_content> split(std::string_view body, const json_path& records = {"content"},
                           const json_path& id = {"id"}) {
  return split_page(body, records, id, limits(), "GET test");
}

std::string nested(int depth) { return std::string(depth, '[') + "1" + std::string(depth, ']'); }

}  // namespace

TEST_CASE("page records: a page's records come back parsed, in order, and its envelope without them") {
  const auto page = split(R"({"page":0,"content":[{"id":"a","n":[1,{"x":"]"}]} , {"id":"b"},7,"s,t"],"last":true})");
  REQUIRE_MESSAGE(page.ok(), (page.ok() ? "" : page.error().message));
  CHECK(page.value().envelope == json{{"page", 0}, {"content", json::array()}, {"last", true}});
  const auto& r = page.value().records;
  REQUIRE(r.size() == 4);
  CHECK(*r[0].value == json{{"id", "a"}, {"n", {1, {{"x", "]"}}}}});
  CHECK(*r[1].value == json{{"id", "b"}});
  CHECK(*r[2].value == 7);
  CHECK(*r[3].value == "s,t");
  for (std::size_t i = 0; i < r.size(); ++i) CHECK(r[i].position == i);
}

TEST_CASE("page records: the record array is found under a nested path, or as the answer itself") {
  const auto nested_page =
      split(R"({"data":{"items":[{"id":1}],"total":1},"items":[{"id":2}]})", json_path{"data", "items"});
  REQUIRE(nested_page.ok());
  REQUIRE(nested_page.value().records.size() == 1);
  CHECK(*nested_page.value().records[0].value == json{{"id", 1}});
  CHECK(nested_page.value().envelope["items"] == json::array({{{"id", 2}}}));
  const auto root = split(R"([{"id":1},{"id":2}])", json_path{});
  REQUIRE(root.ok());
  CHECK(root.value().records.size() == 2);
  const auto empty = split(R"({"content":[]})");
  REQUIRE(empty.ok());
  CHECK(empty.value().records.empty());
}

TEST_CASE("page records: each kind of bad record is an error of its own, named by position and id") {
  struct bad {
    std::string text;
    std::string reason;
  };
  const std::vector<bad> kinds{
      {"{\"id\":\"utf8\",\"name\":\"a\xC3\x28z\"}", "UTF-8"},
      {R"({"id":"long","fileUrl":"data:)" + std::string(70 * 1024, 'A') + R"("})", "exceeds 65536 bytes"},
      {R"({"id":"deep","x":)" + nested(40) + "}", "nested deeper than 32"},
      {R"({"id":"huge","n":1e400})", "number"},
      {R"({"id":"twice","status":"1","status":"2"})", "duplicate key \"status\""},
      {R"({"id":17,"a":tru})", "parse error"},
  };
  std::string body = R"({"content":[{"id":"first"})";
  for (const auto& k : kinds) body += "," + k.text + R"(,{"id":"good"})";
  body += "]}";
  const auto page = split(body);
  REQUIRE_MESSAGE(page.ok(), (page.ok() ? "" : page.error().message));
  const auto& r = page.value().records;
  REQUIRE(r.size() == 1 + 2 * kinds.size());
  CHECK(*r[0].value == json{{"id", "first"}});
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    CAPTURE(kinds[i].reason);
    const auto& rec = r[1 + 2 * i];
    CHECK_FALSE(rec.value);
    CHECK(rec.position == 1 + 2 * i);
    CHECK_MESSAGE(rec.error.find(kinds[i].reason) != std::string::npos, rec.error);
    CHECK(*r[2 + 2 * i].value == json{{"id", "good"}});
  }
  CHECK(r[1].id == "utf8");
  CHECK(r[5].id == "deep");
  CHECK(r[9].id == "twice");
  CHECK(r[11].id == "17");
}

TEST_CASE("page records: a page whose structure is broken fails as a whole") {
  for (const char* body : {R"({"content":[{"id":"a"},{"id":"b")", R"({"content":[{"id":"a"}]})}", R"({"content":{}})",
                           R"({"other":[]})", R"({"content":[{"id":"a"},,{"id":"b"}]})", R"({"content":[1]},)",
                           R"({"content":[1],"page":tru})", R"({"content":[1],"content":[2]})", ""}) {
    CAPTURE(body);
    const auto page = split(body);
    REQUIRE_FALSE(page.ok());
    CHECK(page.error().kind == error_kind::malformed);
    CHECK(page.error().message.find("GET test: ") == 0);
  }
}

TEST_CASE("page records: nesting outside the records is bounded too") {
  const auto page = split(R"({"content":[],"x":)" + nested(40) + "}");
  REQUIRE_FALSE(page.ok());
  CHECK(page.error().message.find("nested deeper") != std::string::npos);
}
