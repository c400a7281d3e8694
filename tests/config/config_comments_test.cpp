#include "config/config_comments.hpp"

#include <doctest/doctest.h>

using dvc::strip_json_comments;

TEST_CASE("line and block comments become spaces, newlines and offsets kept") {
  const std::string text = "{ // note\n  \"a\": /* x\ny */ 1 }";
  const auto out = strip_json_comments(text);
  REQUIRE_FALSE(out.error);
  CHECK(out.text == "{        \n  \"a\":     \n     1 }");
  CHECK(out.text.size() == text.size());
}

TEST_CASE("comment markers inside strings are kept") {
  const std::string text = R"({"u": "http://127.0.0.1//x", "b": "/* not */", "q": "say \"//hi\"", "e": "\\"}// end)";
  const auto out = strip_json_comments(text);
  REQUIRE_FALSE(out.error);
  CHECK(out.text == R"({"u": "http://127.0.0.1//x", "b": "/* not */", "q": "say \"//hi\"", "e": "\\"}      )");
}

TEST_CASE("a string broken by a newline does not hide the comments after it") {
  const auto out = strip_json_comments("{\"a\": \"open\n// c\n}");
  REQUIRE_FALSE(out.error);
  CHECK(out.text == "{\"a\": \"open\n    \n}");
}

TEST_CASE("an unterminated block comment is an error naming its line") {
  const auto out = strip_json_comments("{\n\n  /* open\n}");
  REQUIRE(out.error);
  CHECK(*out.error == "unterminated /* comment starting on line 3");
}
