#pragma once
// The findings export for a meeting (docs/cli.md#exports): one row per finding, with the unit's name, the latest
// acknowledgement, the procedure, and a column per compared field for each side — values, never JSON. Written by
// `mismatches export --format csv|xlsx` and GET /api/findings/export.
#include <map>
#include <string>
#include <vector>

#include "reports/table_export.hpp"
#include "schema/ledger.hpp"

namespace dvc {

// The columns in `lang`: with `vi`, kind, reason and state show their Vietnamese labels and their codes follow in
// kind_code, reason_code and state_code; with `en`, the codes are in kind, reason and state themselves, as in the
// finding object of docs/cli.md#findings, and there are no label columns.
std::vector<export_column> finding_export_columns(export_language lang);

// Every finding `filter` matches (limit and offset ignored), in key order, one row each. Unit names from
// `unit_names` (the configuration's), else from the unit's stored records. No applicant's contact details are
// exported.
void export_findings(const ledger& db, const finding_filter& filter,
                     const std::map<std::string, std::string>& unit_names, export_language lang, table_export& out);

}  // namespace dvc
