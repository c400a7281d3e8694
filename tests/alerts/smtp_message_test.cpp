// The message an alert e-mail carries: RFC 2047 subject, base64 UTF-8 body, CRLF lines (alerts/smtp_client.hpp).
#include <doctest/doctest.h>

#include "alerts/smtp_client.hpp"

using namespace dvc;

TEST_CASE("an alert e-mail keeps Vietnamese intact through any server") {
  email_target t;
  t.from = "dvcrecon@example.gov.vn";
  t.to = {"a@example.gov.vn", "b@example.gov.vn"};
  const mail_text mail{"Tỷ lệ đồng bộ của Sở Giao thông vận tải thấp hơn chỉ tiêu, kỳ 2024-Q3", "Dòng một\nDòng hai\n"};
  const std::string m = mail_message(t, mail, 1'720'000'000, "1.2@dvcrecon");
  CHECK(m.find("Date: Wed, 03 Jul 2024 09:46:40 +0000\r\n") == 0);
  CHECK(m.find("\r\nTo: a@example.gov.vn, b@example.gov.vn\r\n") != std::string::npos);
  CHECK(m.find("\r\nSubject: =?UTF-8?B?") != std::string::npos);
  CHECK(m.find("?=\r\n =?UTF-8?B?") != std::string::npos);  // a long subject folds into several encoded words
  CHECK(m.find("Content-Transfer-Encoding: base64\r\n\r\n") != std::string::npos);
  // Only ASCII leaves, every line under 78 characters, none a lone dot.
  std::size_t start = 0;
  while (start < m.size()) {
    const auto end = m.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    CHECK(end - start <= 78);
    CHECK(m.substr(start, end - start) != ".");
    start = end + 2;
  }
  for (const char c : m) CHECK(static_cast<unsigned char>(c) < 0x80);
}
