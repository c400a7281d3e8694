#include "reports/finding_output.hpp"

#include <doctest/doctest.h>

#include <sstream>

#include "reports/text_table.hpp"

using namespace dvc;

namespace {
finding_view sample() {
  finding_view f;
  f.id = 7;
  f.key = "000.00.12.H10-240715-0001";
  f.kind = finding_kind::field_mismatch;
  f.reason = "differs";
  f.unit_code = "000.00.12.H10";
  f.state = "open";
  f.first_seen = f.last_seen = 1721000000;
  f.details = {{"fields", {"channel", "receipt_time"}}};
  f.provincial = nullptr;
  f.national = nullptr;
  return f;
}
}  // namespace

TEST_CASE("jsonl carries exactly the fields of docs/cli.md#findings") {
  std::ostringstream out;
  finding_writer w(out, output_format::jsonl);
  w.write(sample());
  w.finish();
  const auto j = nlohmann::json::parse(out.str());
  for (const char* k : {"id", "key", "kind", "reason", "unit_code", "state", "first_seen", "last_seen", "details",
                        "provincial", "national"})
    CHECK(j.contains(k));
  CHECK(j.size() == 11);
  CHECK(j["first_seen"] == "2024-07-15T06:33:20+07:00");
}

TEST_CASE("csv starts with a BOM and quotes fields that need it") {
  std::ostringstream out;
  finding_writer w(out, output_format::csv);
  w.write(sample());
  w.finish();
  const std::string s = out.str();
  CHECK(s.rfind("\xEF\xBB\xBFid,key,kind,reason,unit_code,state,first_seen,last_seen,details,provincial,national\r\n",
                0) == 0);
  CHECK(s.find("\"{\"\"fields\"\":[\"\"channel\"\",\"\"receipt_time\"\"]}\"") != std::string::npos);
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("plain") == "plain");
}

TEST_CASE("an empty csv export still has its header") {
  std::ostringstream out;
  finding_writer w(out, output_format::csv);
  w.finish();
  CHECK(out.str() ==
        "\xEF\xBB\xBFid,key,kind,reason,unit_code,state,first_seen,last_seen,details,provincial,national\r\n");
}

TEST_CASE("table widths count Vietnamese letters, not bytes, in NFC and NFD") {
  CHECK(display_width("Sở Giao thông vận tải") == 21);
  CHECK(display_width("So\xCC\x9B\xCC\x89") == 2);  // "Sở" in NFD: o + horn + hook above
  std::ostringstream out;
  finding_writer w(out, output_format::table, {{"000.00.12.H10", "Sở Giao thông vận tải"}});
  w.write(sample());
  w.finish();
  CHECK(out.str().find("Sở Giao thông vận tải") != std::string::npos);
  CHECK(out.str().find("channel, receipt_time") != std::string::npos);
}
