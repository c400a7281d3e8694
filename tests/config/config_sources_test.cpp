// `provincial` as a list of sources (docs/sources.md, docs/configuration.md#provincial): read with each source's own
// settings, and refused with the key and the sources at fault.
#include <doctest/doctest.h>

#include "config/config.hpp"
#include "tests/support/config_test_support.hpp"

using namespace dvc;
using dvc::test::has_problem;
using dvc::test::temp_dir;

namespace {

// Đồng Nai's one-stop system and Bình Phước's legacy one, which moved its open dossiers to Đồng Nai's.
nlohmann::json two_sources(const temp_dir& dir) {
  auto j = test::valid_config(dir);
  auto dong_nai = j["provincial"], binh_phuoc = j["provincial"];
  dong_nai["name"] = "dong-nai";
  binh_phuoc["name"] = "binh-phuoc";
  binh_phuoc["moved_to"] = "dong-nai";
  binh_phuoc["base_url"] = "https://dvc.binhphuoc.example/legacy";
  binh_phuoc["page_size"] = 50;
  j["provincial"] = {dong_nai, binh_phuoc};
  return j;
}

}  // namespace

TEST_CASE("provincial may list sources, each with its own settings, name and move") {
  temp_dir dir;
  const auto loaded = test::parse(two_sources(dir), dir);
  INFO(test::all_messages(loaded.problems));
  REQUIRE(loaded.value);
  const config& c = *loaded.value;
  REQUIRE(c.provincial.size() == 2);
  CHECK(c.provincial[0].name == "dong-nai");
  CHECK_FALSE(c.provincial[0].moved_to);
  CHECK(c.provincial[1].label() == "binh-phuoc");
  CHECK(c.provincial[1].moved_to == "dong-nai");
  CHECK(c.provincial[1].portal.base_url == "https://dvc.binhphuoc.example/legacy");
  CHECK(c.provincial[1].portal.page_size == 50);
  CHECK(c.provincial[0].portal.page_size != 50);
  CHECK(c.sources.claim("binh-phuoc", "dong-nai") == source_claim::moved_in);
}

TEST_CASE("one provincial object is one unnamed source, as before sources were listed") {
  temp_dir dir;
  const auto loaded = test::parse(test::valid_config(dir), dir);
  REQUIRE(loaded.value);
  REQUIRE(loaded.value->provincial.size() == 1);
  CHECK(loaded.value->provincial.front().name.empty());
  CHECK(loaded.value->provincial.front().label() == "provincial");
  CHECK(loaded.value->sources.empty());
}

TEST_CASE("a list of sources is refused naming the source and key at fault") {
  struct bad_case {
    const char* name;
    std::function<void(nlohmann::json&)> edit;
    std::string path, message;
  };
  const std::vector<bad_case> cases = {
      {"a source without a name", [](nlohmann::json& j) { j["provincial"][1].erase("name"); }, "provincial[1].name",
       "required key is missing"},
      {"a name that is no label", [](nlohmann::json& j) { j["provincial"][0]["name"] = "Đồng Nai"; },
       "provincial[0].name", "is 1 to 40 lower-case letters, digits, '-' or '_' (got Đồng Nai)"},
      {"a name given twice", [](nlohmann::json& j) { j["provincial"][1]["name"] = "dong-nai"; }, "provincial",
       "source dong-nai is named twice"},
      {"a move to no source", [](nlohmann::json& j) { j["provincial"][1]["moved_to"] = "ha-noi"; }, "provincial",
       "source binh-phuoc moves its dossiers to ha-noi, which is not a source"},
      {"a cycle of moves", [](nlohmann::json& j) { j["provincial"][0]["moved_to"] = "binh-phuoc"; }, "provincial",
       "the moves of sources form a cycle: dong-nai → binh-phuoc → dong-nai"},
      {"an empty list", [](nlohmann::json& j) { j["provincial"] = nlohmann::json::array(); }, "provincial",
       "lists from 1 to 16 sources (got 0)"},
      {"a source's own setting", [](nlohmann::json& j) { j["provincial"][1].erase("base_url"); },
       "provincial[1].base_url", "required key is missing"},
      {"a name on a single object", [](nlohmann::json& j) { j["provincial"] = j["provincial"][0]; }, "provincial.name",
       "belongs to a source listed in an array: write `provincial` as a list of sources to name them "
       "(docs/sources.md)"},
  };
  for (const auto& c : cases) {
    INFO("case: ", std::string(c.name));
    temp_dir dir;
    auto j = two_sources(dir);
    c.edit(j);
    const auto loaded = test::parse(j, dir);
    INFO(test::all_messages(loaded.problems));
    CHECK_FALSE(loaded.value);
    CHECK(has_problem(loaded.problems, c.path, c.message));
  }
}
