// Exports as files (reports/table_export.hpp, reports/xlsx_writer.hpp) and the alignment of text tables. The .xlsx
// files are read back by tests/e2e/operators_exports.sh (pandas, openpyxl); here, what can be seen without them.
#include "reports/table_export.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "reports/finding_export.hpp"
#include "reports/labels.hpp"
#include "reports/sync_rates.hpp"
#include "reports/text_table.hpp"
#include "reports/xlsx_writer.hpp"
#include "tests/support/temp_dir.hpp"

using namespace dvc;

namespace {
const std::vector<export_column> columns = {{"key", export_column::kind::text, 20},
                                            {"total", export_column::kind::whole, 10},
                                            {"rate_percent", export_column::kind::percent, 10}};

std::string csv_of(export_language lang, const std::vector<std::vector<xlsx_cell>>& rows) {
  std::ostringstream out;
  table_export t(out, columns, lang);
  for (const auto& r : rows) t.row(r);
  t.close();
  return out.str();
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("the header row is the columns' Vietnamese labels, or their codes with --lang en") {
  CHECK(export_header(columns, export_language::en) == std::vector<std::string>{"key", "total", "rate_percent"});
  const auto vi = export_header(columns, export_language::vi);
  REQUIRE(vi.size() == 3);
  CHECK(vi[0] == vi_labels()["columns"]["key"].get<std::string>());
  CHECK(vi[2] == "Tỷ lệ (%)");
}

TEST_CASE("a CSV export: whole numbers as digits, percentages with two decimals, nothing as an empty cell") {
  const auto csv = csv_of(export_language::en, {{std::string("K-1"), 12.0, 75.0}, {std::string("K-2"), {}, {}}});
  CHECK(csv == "\xEF\xBB\xBFkey,total,rate_percent\r\nK-1,12,75.00\r\nK-2,,\r\n");
}

TEST_CASE("a CSV export neutralises every text cell a spreadsheet would run as a formula") {
  for (const std::string hostile : {"=1+2", "+cmd", "-1", "@SUM(A1)", "\tx", "\rx", "  =1"}) {
    CAPTURE(hostile);
    const auto csv = csv_of(export_language::en, {{hostile, 1.0, 1.0}});
    const auto row = csv.substr(csv.find("\r\n") + 2);
    CHECK(row.rfind("\"'", 0) == 0);
  }
}

TEST_CASE("every column of the findings and sync-rate exports has a Vietnamese label") {
  // vi_label gives the code back when the table lacks it: a header equal to its code is a missing label.
  for (const auto& cols : {finding_export_columns(export_language::vi), sync_rate_export_columns()})
    for (const auto& c : cols) {
      CAPTURE(c.code);
      CHECK(vi_label("columns", c.code) != c.code);
    }
}

TEST_CASE("the Vietnamese findings export keeps each code in a column beside its label; --lang en has codes only") {
  std::vector<std::string> vi, en;
  for (const auto& c : finding_export_columns(export_language::vi)) vi.push_back(c.code);
  for (const auto& c : finding_export_columns(export_language::en)) en.push_back(c.code);
  for (const std::string coded : {"kind", "reason", "state"}) {
    const auto at = std::find(vi.begin(), vi.end(), coded);
    REQUIRE(at != vi.end());
    CHECK(*(at + 1) == coded + "_code");
    CHECK(std::find(en.begin(), en.end(), coded + "_code") == en.end());
  }
  CHECK(vi.size() == en.size() + 3);
  // One column per compared field and side; no column of JSON.
  for (const std::string field : {"status", "procedure_code", "unit_code", "channel", "online_payment", "digitised",
                                  "receipt_time", "due", "completion_time", "results", "steps_ended"})
    for (const std::string side : {"_provincial", "_national"}) {
      CAPTURE(field + side);
      CHECK(std::find(en.begin(), en.end(), field + side) != en.end());
    }
  for (const std::string json : {"details", "provincial", "national"})
    CHECK(std::find(en.begin(), en.end(), json) == en.end());
}

TEST_CASE("an export file is written whole under its name, or not at all") {
  test::temp_dir dir;
  const std::string path = dir.file("rates.csv");
  write_export_file(
      path, export_format::csv,
      [](table_export& t) {
        t.row({std::string("K-1"), 1.0, 50.0});
      },
      columns, export_language::en, "Sheet");
  CHECK(file_text(path) == "\xEF\xBB\xBFkey,total,rate_percent\r\nK-1,1,50.00\r\n");
  CHECK_THROWS_AS(write_export_file(
                      path, export_format::csv, [](table_export&) { throw std::runtime_error("ledger gone"); }, columns,
                      export_language::en, "Sheet"),
                  std::runtime_error);
  CHECK(file_text(path) == "\xEF\xBB\xBFkey,total,rate_percent\r\nK-1,1,50.00\r\n");  // the earlier export stays
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 1);  // no temporary file left behind
}

TEST_CASE("an .xlsx export is a zip holding the sheet, and its bytes are what the API sends") {
  test::temp_dir dir;
  const std::string path = dir.file("f.xlsx");
  write_export_file(
      path, export_format::xlsx,
      [](table_export& t) {
        t.row({std::string("=1+2"), 3.0, 75.0});
      },
      columns, export_language::vi, "Phát hiện");
  const auto bytes = file_text(path);
  CHECK(bytes.rfind("PK\x03\x04", 0) == 0);
  const auto same = export_bytes(
      export_format::xlsx,
      [](table_export& t) {
        t.row({std::string("=1+2"), 3.0, 75.0});
      },
      columns, export_language::vi, "Phát hiện");
  CHECK(same.rfind("PK\x03\x04", 0) == 0);
  CHECK(same.size() > 1000);
}

TEST_CASE("xlsx_text keeps valid UTF-8, replaces invalid bytes and stops at a cell's 32 767 characters") {
  CHECK(xlsx_text("Sở Tư pháp") == "Sở Tư pháp");
  CHECK(xlsx_text("a\xFF"
                  "b") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(xlsx_text("\xC3") == "\xEF\xBF\xBD");
  CHECK(xlsx_text(std::string(40000, 'x')).size() == 32767);
  std::string vietnamese;
  for (int i = 0; i < 20000; ++i) vietnamese += "ở";
  CHECK(xlsx_text(vietnamese) == vietnamese);  // 20 000 characters of three bytes each: whole
}

TEST_CASE("a text table right-aligns the columns it is told hold numbers, header included") {
  std::ostringstream out;
  write_table(out, {"Đơn vị", "Tổng"}, {{"Sở Tư pháp", "7"}, {"A", "1234"}}, 60, {align::left, align::right});
  CHECK(out.str() ==
        "Đơn vị      Tổng\n"
        "----------  ----\n"
        "Sở Tư pháp     7\n"
        "A           1234\n");
}
