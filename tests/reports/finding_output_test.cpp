#include "reports/finding_output.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "reconcile/status.hpp"
#include "reports/csv_cell.hpp"
#include "reports/finding_export.hpp"
#include "reports/labels.hpp"
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
  return f;
}

// Both sides of the sample: the channel differs.
finding_view with_sides() {
  finding_view f = sample();
  dossier_facts p;
  p.code = "000.00.12.H10-240715-0001";
  p.unit_code = "000.00.12.H10";
  p.status_code = "PROCESSING";
  p.status = 4;
  p.channel = 2;
  dossier_facts n = p;
  n.origin = side::national;
  n.status_code = "4";
  n.channel = 1;
  f.provincial = p;
  f.national = n;
  return f;
}

// The CSV's rows, split on CRLF, the BOM removed.
std::vector<std::string> csv_lines(const std::string& s) {
  REQUIRE(s.rfind("\xEF\xBB\xBF", 0) == 0);
  std::vector<std::string> lines;
  for (std::size_t i = 3; i < s.size();) {
    const auto end = s.find("\r\n", i);
    REQUIRE(end != std::string::npos);
    lines.push_back(s.substr(i, end - i));
    i = end + 2;
  }
  return lines;
}

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ",") + csv_field(n);
  return s;
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

TEST_CASE("csv has the findings export's columns: Vietnamese headers, codes kept, a column per field and side") {
  std::ostringstream out;
  finding_writer w(out, output_format::csv, {{"000.00.12.H10", "Sở Giao thông vận tải"}});
  w.write(with_sides());
  w.write(sample());  // no side known: its side columns are empty
  w.finish();
  const auto lines = csv_lines(out.str());
  REQUIRE(lines.size() == 3);
  const auto columns = finding_export_columns(export_language::vi);
  CHECK(lines[0] == joined(export_header(columns, export_language::vi)));
  CHECK(lines[0].rfind("Số phát hiện,Mã hồ sơ (khoá đối soát),", 0) == 0);
  // Cells by column code.
  const auto cells = [&](const std::string& line) {
    std::map<std::string, std::string> by_code;
    std::size_t i = 0;
    for (const auto& c : columns) {
      const auto comma = std::min(line.find(',', i), line.size());
      by_code[c.code] = line.substr(i, comma - i);
      i = comma + 1;
    }
    return by_code;
  };
  auto row = cells(lines[1]);
  CHECK(row["id"] == "7");
  CHECK(row["unit_name"] == "Sở Giao thông vận tải");
  CHECK(row["kind_code"] == "field_mismatch");
  CHECK(row["kind"] == vi_label("kinds", "field_mismatch"));
  CHECK(row["reason_code"] == "differs");
  CHECK(row["state_code"] == "open");
  CHECK(row["channel_provincial"] == "2");
  CHECK(row["channel_national"] == "1");
  CHECK(row["status_provincial"] == "PROCESSING (" + std::string(national_status_label(4)) + ")");
  row = cells(lines[2]);
  CHECK(row["channel_provincial"].empty());
  CHECK(row["code"].empty());
  // No JSON in any cell.
  for (const auto& line : lines) CHECK_MESSAGE(line.find('{') == std::string::npos, line);
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("plain") == "plain");
}

TEST_CASE("an empty csv still has its header") {
  std::ostringstream out;
  finding_writer w(out, output_format::csv);
  w.finish();
  CHECK(out.str() == "\xEF\xBB\xBF" +
                         joined(export_header(finding_export_columns(export_language::vi), export_language::vi)) +
                         "\r\n");
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
  CHECK(s.find(",\"'@SUM(1)\",") != std::string::npos);
  CHECK(s.find(",\"'+cmd\",\"'+cmd\",") != std::string::npos);  // reason: no label, the code shown twice
  CHECK(s.find(",\"'-1\",\"'-1\",") != std::string::npos);
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
