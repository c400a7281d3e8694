#pragma once
// Findings as operators and scripts read them (docs/cli.md#findings): JSON lines, CSV (UTF-8 with BOM so spreadsheet
// software shows Vietnamese correctly) and a readable table. Shared by `reconcile`, `mismatches` and the API.
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "reconcile/dossier.hpp"
#include "reconcile/finding.hpp"
#include "reports/table_export.hpp"

namespace dvc {

enum class output_format { jsonl, csv, table };
// "jsonl" / "csv" / "table"; nullopt for anything else.
std::optional<output_format> output_format_from(std::string_view name);

struct finding_view {
  std::int64_t id = 0;
  std::string key;
  finding_kind kind{};
  std::string reason;
  std::string unit_code;
  std::string state;
  instant first_seen = 0;
  instant last_seen = 0;
  nlohmann::json details = nlohmann::json::object();
  std::optional<dossier_facts> provincial, national;  // each side's facts; none where it has no record
  std::optional<std::string> ack_note, ack_by;
  maybe_instant ack_at;
};

// The finding object (docs/cli.md#findings): {"id","key","kind","reason","unit_code","state","first_seen",
// "last_seen","details","provincial","national"} (each side summarize()d, or null), plus "ack" when acknowledged.
nlohmann::json to_json(const finding_view& f);

// JSON lines of finding objects; CSV with the columns of the findings export (reports/finding_export.hpp, Vietnamese
// headers, codes kept, one column per compared field and side, no JSON in a cell); or a table.
class finding_writer {
 public:
  // `unit_names` maps unit codes to Vietnamese names for the table and the CSV.
  finding_writer(std::ostream& out, output_format format, std::map<std::string, std::string> unit_names = {});
  ~finding_writer();
  void write(const finding_view& f);
  void finish();  // the table is laid out once all rows are known

 private:
  const std::string& unit_name(const std::string& code) const;
  std::ostream& out_;
  output_format format_;
  std::map<std::string, std::string> unit_names_;
  std::vector<std::vector<std::string>> table_rows_;
  std::unique_ptr<table_export> csv_;  // opened (header written) with the first row, or by finish()
};

}  // namespace dvc
