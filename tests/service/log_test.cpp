#include "service/log.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace dvc;

TEST_CASE("a log line is one line whatever its values hold") {
  const std::string forged = "x\ninfo cycle_end run=99 status=ok\r\x1b[2K";
  const std::string line = log::format_line(log_level::warning, "data_error", {{"source", forged}, {"key", "K-1"}});
  CHECK(std::count(line.begin(), line.end(), '\n') == 1);
  CHECK(line.back() == '\n');
  CHECK(line.find('\r') == std::string::npos);
  CHECK(line.find('\x1b') == std::string::npos);
  CHECK(line == "warning data_error source=\"x\\ninfo cycle_end run=99 status=ok\\r\\x1b[2K\" key=K-1\n");
}

TEST_CASE("log values: bare when unambiguous, quoted with quotes and backslashes escaped otherwise") {
  CHECK(log::format_line(log_level::info, "e", {{"a", "plain"}}) == "info e a=plain\n");
  CHECK(log::format_line(log_level::info, "e", {{"a", ""}}) == "info e a=\"\"\n");
  CHECK(log::format_line(log_level::info, "e", {{"a", "two words"}}) == "info e a=\"two words\"\n");
  CHECK(log::format_line(log_level::info, "e", {{"a", "say \"hi\""}}) == "info e a=\"say \\\"hi\\\"\"\n");
  CHECK(log::format_line(log_level::info, "e", {{"a", "k=v"}}) == "info e a=\"k=v\"\n");
  // A literal backslash-n is quoted and its backslash doubled, so it never reads like an escaped line end.
  CHECK(log::format_line(log_level::info, "e", {{"a", "a\\nb"}}) == "info e a=\"a\\\\nb\"\n");
  CHECK(log::format_line(log_level::info, "e", {{"a", "tab\there"}}) == "info e a=\"tab\\there\"\n");
  CHECK(log::format_line(log_level::info, "e", {{"a", "Sở\xC2\x9B"}}) == "info e a=\"Sở\\u009b\"\n");
}
