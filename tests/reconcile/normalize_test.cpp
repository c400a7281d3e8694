#include "reconcile/normalize.hpp"

#include <doctest/doctest.h>

#include "reconcile/status.hpp"

using namespace dvc;

TEST_CASE("codes are trimmed and ASCII-upper-cased") {
  CHECK(normalize_code("  000.00.12.h10-240715-0001\t") == "000.00.12.H10-240715-0001");
  CHECK(normalize_code("\xC2\xA0"
                       "1.003560"
                       "\xC2\xA0") == "1.003560");  // NBSP
  CHECK(normalize_code("completed") == "COMPLETED");
  CHECK(normalize_code("") == "");
}

TEST_CASE("free text is compared after NFC") {
  const std::string nfc = "Sở Giao thông vận tải";
  const std::string nfd = "So\xCC\x9B\xCC\x89 Giao tho\xCC\x82ng va\xCC\xA3\xCC\x82n ta\xCC\x89i";
  CHECK(nfc != nfd);
  CHECK(normalize_text(nfd) == nfc);
  CHECK(normalize_text(nfc) == nfc);
}

TEST_CASE("status table: default, lookups normalised, done") {
  const status_map m;
  CHECK(m.map("COMPLETED") == 9);
  CHECK(m.map(" returned ") == 10);
  CHECK(m.map("NEW") == 1);
  CHECK_FALSE(m.map("DANG_XU_LY"));
  CHECK(is_done(9));
  CHECK(is_done(10));
  CHECK_FALSE(is_done(8));
  CHECK(m.table().size() == 10);
}
