#include "reconcile/printable.hpp"

#include <doctest/doctest.h>

using namespace dvc;

TEST_CASE("printable escapes every control character and keeps Vietnamese text") {
  CHECK(printable("Sở Tư pháp") == "Sở Tư pháp");
  CHECK(is_printable("Sở Tư pháp"));
  CHECK(printable("a\nb") == "a\\nb");
  CHECK(printable("a\rb\tc") == "a\\rb\\tc");
  CHECK(printable("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(printable(std::string("nul\0here", 8)) == "nul\\x00here");
  CHECK(printable("del\x7f") == "del\\x7f");
  CHECK(printable("csi\xC2\x9B"
                  "2J") == "csi\\u009b2J");  // U+009B, the one-character control sequence introducer
  CHECK(printable("nel\xC2\x85") == "nel\\u0085");
  CHECK(printable("\xC2\xA0") == "\xC2\xA0");               // U+00A0 is printable
  CHECK(printable("lone \x9B byte") == "lone \\x9b byte");  // not UTF-8: escaped byte by byte
  CHECK(printable("cut \xE1\xBB") == "cut \\xe1\\xbb");
  CHECK(printable("\xC0\xAF") == "\\xc0\\xaf");  // overlong '/'
  CHECK(printable("back\\slash") == "back\\slash");
  for (const char* bad : {"a\nb", "\x1b", "x\xC2\x9B", "\xFF"}) CHECK_FALSE(is_printable(bad));
}
