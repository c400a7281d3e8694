#include "reconcile/json_writer.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using dvc::append_json_string;
using dvc::json_writer;

namespace {

std::string as_json(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

}  // namespace

TEST_CASE("the writer places commas between members and elements at every depth") {
  std::string out;
  json_writer w(out);
  w.begin_object();
  w.key("a").num(-12).key("b").str("x").key("c").begin_array().num(1).boolean(true).null().end_array();
  w.key("d").begin_object().end_object().key("e").begin_array().begin_object().key("f").raw("[1,2]").end_object();
  w.begin_object().end_object().end_array();
  w.end_object();
  CHECK(out == R"({"a":-12,"b":"x","c":[1,true,null],"d":{},"e":[{"f":[1,2]},{}]})");
  CHECK(nlohmann::json::parse(out)["e"][0]["f"][1] == 2);
}

TEST_CASE("strings are escaped as JSON requires and read back unchanged") {
  CHECK(as_json("plain") == R"("plain")");
  CHECK(as_json("a\"b\\c") == R"("a\"b\\c")");
  CHECK(as_json("line\nfeed\r\ttab") == R"("line\nfeed\r\ttab")");
  CHECK(as_json(std::string_view("\x01\x1f\0", 3)) == R"("\u0001\u001f\u0000")");
  const std::string vietnamese = "Sở Giao thông vận tải – Đồng Xoài 🚗";
  CHECK(as_json(vietnamese) == "\"" + vietnamese + "\"");
  CHECK(nlohmann::json::parse(as_json(vietnamese)) == vietnamese);
}

TEST_CASE("bytes that are not well-formed UTF-8 become U+FFFD, one per byte") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(as_json("a\xFFz") == "\"a" + fffd + "z\"");
  CHECK(as_json("\xC3") == "\"" + fffd + "\"");                                   // cut short at the end
  CHECK(as_json("\xC3(") == "\"" + fffd + "(\"");                                 // continuation byte missing
  CHECK(as_json("\xC0\xAF") == "\"" + fffd + fffd + "\"");                        // overlong form of '/'
  CHECK(as_json("\xE0\x80\xAF") == "\"" + fffd + fffd + fffd + "\"");             // overlong three-byte form
  CHECK(as_json("\xED\xA0\x80") == "\"" + fffd + fffd + fffd + "\"");             // a UTF-16 surrogate
  CHECK(as_json("\xF4\x90\x80\x80") == "\"" + fffd + fffd + fffd + fffd + "\"");  // above U+10FFFF
  CHECK(as_json("\xF0\x9F\x9A\x97") == "\"\xF0\x9F\x9A\x97\"");
  for (const std::string bad : {"\xFF", "\xC3", "\xE0\x80\xAF", "\xED\xA0\x80", "x\xF4\x90\x80\x80y"}) {
    CHECK(nlohmann::json::accept(as_json(bad)));
  }
}
