#pragma once
// The findings export for a meeting (docs/cli.md#exports): one row per finding, with the unit's name, the latest
// acknowledgement, the procedure, and a column per compared field for each side — values, never JSON. Written by
// `mismatches export --format csv|xlsx`, GET /api/findings/export, and as the CSV of `mismatches list` and
// `reconcile`.
#include <map>
#include <string>
#include <vector>

#include "reports/finding_output.hpp"
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

// The same rows for the findings `rows`, in their order (a page of `mismatches list`).
void export_finding_rows(const ledger& db, const std::vector<finding_row>& rows,
                         const std::map<std::string, std::string>& unit_names, export_language lang, table_export& out);

// One finding's cells, as finding_export_columns(lang) lays them out; `unit_name` and `procedure` empty when not
// known.
std::vector<xlsx_cell> finding_export_cells(const finding_view& f, const std::string& unit_name,
                                            const std::string& procedure, export_language lang);

}  // namespace dvc
