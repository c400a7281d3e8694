#include "reconcile/record_reader.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace dvc;

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("dvc_reader_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

struct read_all {
  std::vector<std::pair<std::size_t, std::string>> ok;      // line, compact JSON
  std::vector<std::pair<std::size_t, std::string>> errors;  // line, message
};

read_all drain(const std::string& path) {
  record_reader r(path);
  read_all out;
  while (auto it = r.next()) {
    if (it->record)
      out.ok.emplace_back(it->line, it->record->dump());
    else
      out.errors.emplace_back(it->line, it->error);
  }
  return out;
}
}  // namespace

TEST_CASE("JSON lines: records, blank lines, malformed lines with their line numbers") {
  const auto r = drain(write_temp("a.jsonl", "{\"a\":1}\n\n{bad json\n{\"a\":2}\r\n  \n42\n{\"a\":3}"));
  REQUIRE(r.ok.size() == 4);
  CHECK(r.ok[0] == std::pair<std::size_t, std::string>{1, "{\"a\":1}"});
  CHECK(r.ok[1] == std::pair<std::size_t, std::string>{4, "{\"a\":2}"});
  CHECK(r.ok[2] == std::pair<std::size_t, std::string>{6, "42"});  // a scalar parses; mapping rejects it
  CHECK(r.ok[3] == std::pair<std::size_t, std::string>{7, "{\"a\":3}"});
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].first == 3);
}

TEST_CASE("JSON array: elements with line numbers, brackets inside strings, BOM") {
  const auto r = drain(write_temp("a.json", "\xEF\xBB\xBF[\n  {\"a\":\"]\"},\n  {\"b\":[1,\n2]},\n  7\n]\n"));
  REQUIRE(r.ok.size() == 3);
  CHECK(r.ok[0] == std::pair<std::size_t, std::string>{2, "{\"a\":\"]\"}"});
  CHECK(r.ok[1] == std::pair<std::size_t, std::string>{3, "{\"b\":[1,2]}"});
  CHECK(r.ok[2] == std::pair<std::size_t, std::string>{5, "7"});
  CHECK(r.errors.empty());
}

TEST_CASE("JSON array: a broken element is reported and the rest read") {
  const auto r = drain(write_temp("b.json", "[{\"a\":1},{\"a\": },{\"a\":3}]"));
  CHECK(r.ok.size() == 2);
  REQUIRE(r.errors.size() == 1);
}

TEST_CASE("JSON array without its closing bracket ends with an error") {
  const auto r = drain(write_temp("c.json", "[{\"a\":1},\n{\"a\":2"));
  CHECK(r.ok.size() == 1);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].second.find("unterminated") != std::string::npos);
}

TEST_CASE("records larger than the read chunk are read whole") {
  std::string big = "{\"s\":\"" + std::string(3 << 20, 'x') + "\"}";
  json_limits limits;
  limits.max_string = 4 << 20;
  record_reader r(write_temp("big.jsonl", big + "\n" + big + "\n"), limits);
  int n = 0;
  while (auto it = r.next()) {
    REQUIRE(it->record);
    CHECK(it->record->at("s").get_ref<const std::string&>().size() == (3u << 20));
    ++n;
  }
  CHECK(n == 2);
}

TEST_CASE("a missing file is a file_error naming it") {
  CHECK_THROWS_WITH_AS(record_reader("/nonexistent/p.jsonl"), doctest::Contains("/nonexistent/p.jsonl"), file_error);
}

TEST_CASE("empty files hold no records") {
  CHECK(drain(write_temp("e.jsonl", "")).ok.empty());
  CHECK(drain(write_temp("e.json", "[]")).ok.empty());
}

TEST_CASE("a record with a key twice is malformed and named by its line; the records around it are read") {
  for (const char* name : {"dup.jsonl", "dup.json"}) {
    CAPTURE(name);
    const bool array = std::string(name).ends_with(".json");
    const std::string records[] = {R"({"id":"1","a":1})", R"({"id":"2","a":1,"b":{"c":1,"c":2}})",
                                   R"({"id":"3","a":1,"a":2})", R"({"id":"4","b":{"c":1},"c":2})"};
    std::string text = array ? "[" : "";
    for (std::size_t i = 0; i < 4; ++i) text += records[i] + std::string(array ? (i < 3 ? ",\n" : "]") : "\n");
    const auto r = drain(write_temp(name, text));
    REQUIRE(r.ok.size() == 2);
    CHECK(r.ok[0].first == 1);
    CHECK(r.ok[1].first == 4);
    REQUIRE(r.errors.size() == 2);
    CHECK(r.errors[0].first == 2);
    CHECK(r.errors[0].second.find("duplicate key \"c\"") != std::string::npos);
    CHECK(r.errors[1].first == 3);
    CHECK(r.errors[1].second.find("duplicate key \"a\"") != std::string::npos);
  }
}
