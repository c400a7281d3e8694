#include "reports/finding_output.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "reports/csv_cell.hpp"
#include "reports/sync_rates.hpp"
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

TEST_CASE("csv cells a spreadsheet would run as formulas are neutralised with a leading quote") {
  for (const char* formula :
       {"=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1+2", "\r=1+2", " =1+2", "\n@SUM(A1)",
        "\xEF\xBC\x9D"
        "1+2"}) {
    const std::string cell = csv_field(formula);
    CHECK_MESSAGE(cell.rfind("\"'", 0) == 0, cell);
  }
  CHECK(csv_field("=A1") == "\"'=A1\"");
  CHECK(csv_field("@x,y") == "\"'@x,y\"");
  CHECK(csv_field("\"=1\"") == "\"\"\"=1\"\"\"");  // starts with a quote, not a sign: quoted only
  CHECK(csv_field("a=b") == "a=b");
  CHECK(csv_field("000.00.12.H10") == "000.00.12.H10");
  CHECK(csv_field("") == "");
}

TEST_CASE("every column of the findings csv goes through the neutralising cell writer") {
  finding_view f = sample();
  f.key = "=HYPERLINK(\"http://evil\",\"bấm\")";
  f.reason = "+cmd";
  f.unit_code = "@SUM(1)";
  f.state = "-1";
  std::ostringstream out;
  finding_writer w(out, output_format::csv);
  w.write(f);
  w.finish();
  const std::string s = out.str();
  CHECK(s.find(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"bấm\"\")\",") != std::string::npos);
  CHECK(s.find(",\"'+cmd\",\"'@SUM(1)\",\"'-1\",") != std::string::npos);
}

TEST_CASE("the sync-rate csv neutralises unit codes and names and gives rate and target in percent") {
  sync_rate_row r;
  r.unit_code = "-000.00.12.H10";
  r.unit_name = "=cmd|' /C calc'!A0";
  r.period = "2024-Q3";
  r.total = 4;
  r.fully_synced = 3;
  r.rate = 0.75;
  r.target = 100;
  std::ostringstream out;
  table_export t(out, sync_rate_export_columns(), export_language::en);
  export_sync_rates({r}, t);
  t.close();
  CHECK(out.str() ==
        "\xEF\xBB\xBFunit_code,unit_name,period,total,synced,not_synced,not_evaluated,rate_percent,target_percent,"
        "rate_note,current_code,former_codes,formerly\r\n"
        "\"'-000.00.12.H10\",\"'=cmd|' /C calc'!A0\",2024-Q3,4,3,1,0,75.00,100.00,,,,\r\n");
}

TEST_CASE("a table shows control characters in cells as escapes, so a value cannot move the cursor or add a line") {
  finding_view f = sample();
  f.key = "K-1\n0  forged_kind  ok";
  f.reason = "\x1b[2J\x1b[Hcleared";
  std::ostringstream out;
  finding_writer w(out, output_format::table, {{"000.00.12.H10", "Sở\rTư pháp"}});
  w.write(f);
  w.finish();
  const std::string s = out.str();
  CHECK(s.find('\x1b') == std::string::npos);
  CHECK(s.find('\r') == std::string::npos);
  CHECK(std::count(s.begin(), s.end(), '\n') == 3);  // header, rule, one row
  CHECK(s.find("K-1\\n0  forged_kind  ok") != std::string::npos);
  CHECK(s.find("\\x1b[2J\\x1b[Hcleared") != std::string::npos);
  CHECK(s.find("Sở\\rTư pháp") != std::string::npos);
}
