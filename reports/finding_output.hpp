#pragma once
// Findings as operators and scripts read them (docs/cli.md#findings): JSON lines, CSV (UTF-8 with BOM so spreadsheet
// software shows Vietnamese correctly) and a readable table. Shared by `reconcile`, `mismatches` and the API.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "reconcile/finding.hpp"

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
  nlohmann::json provincial;  // summarize(facts) or null
  nlohmann::json national;
  std::optional<std::string> ack_note, ack_by;
  maybe_instant ack_at;
};

// The finding object (docs/cli.md#findings): {"id","key","kind","reason","unit_code","state","first_seen",
// "last_seen","details","provincial","national"}, plus "ack" when acknowledged.
nlohmann::json to_json(const finding_view& f);

class finding_writer {
 public:
  // `unit_names` maps unit codes to Vietnamese names for the table.
  finding_writer(std::ostream& out, output_format format, std::map<std::string, std::string> unit_names = {});
  void write(const finding_view& f);
  void finish();  // the table is laid out once all rows are known

 private:
  std::ostream& out_;
  output_format format_;
  std::map<std::string, std::string> unit_names_;
  std::vector<std::vector<std::string>> table_rows_;
  bool header_done_ = false;
};

}  // namespace dvc
