#include "reconcile/json_nesting.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using namespace dvc;

namespace {

// One letter per byte: o other, s string byte, q quote, ( open, ) close, ! stray close.
std::string tokens(std::string_view text) {
  json_nesting scan;
  std::string out;
  for (const char c : text) {
    switch (scan.step(c)) {
      case json_nesting::token::other:
        out += 'o';
        break;
      case json_nesting::token::string_byte:
        out += 's';
        break;
      case json_nesting::token::quote:
        out += 'q';
        break;
      case json_nesting::token::open:
        out += '(';
        break;
      case json_nesting::token::close:
        out += ')';
        break;
      case json_nesting::token::stray_close:
        out += '!';
        break;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the nesting scanner tells strings, brackets and stray closes apart") {
  CHECK(tokens(R"({"a":[1,2]})") == "(qsqo(ooo))");
  // Brackets and escaped quotes inside strings are string bytes.
  CHECK(tokens(R"("[{\"}]")") == "qssssssq");
  CHECK(tokens(R"("\\")") == "qssq");
  // A close with nothing open is stray and leaves the depth at 0.
  CHECK(tokens("]}[") == "!!(");
  json_nesting scan;
  for (const char c : std::string_view("[[{\"]\"")) scan.step(c);
  CHECK(scan.depth() == 3);
  CHECK_FALSE(scan.in_string());
  scan.step('"');
  CHECK(scan.in_string());
}
