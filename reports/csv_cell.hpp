#pragma once
// One CSV cell, for every CSV dvcrecon writes (findings, exports, sync-rate reports). Operators open these files
// in spreadsheet software, which runs a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return as a
// formula (OWASP "CSV injection"); dossier codes, unit names and notes come from the portals or from people, so
// any of them could.
#include <string>
#include <string_view>

namespace dvc {

// RFC 4180 quoting, and a cell a spreadsheet would take for a formula neutralised: prefixed with `'` and quoted.
// The test looks at the cell as given and at its first character after leading blanks (spaces, tabs, line ends),
// since spreadsheets trim those before deciding; the full-width forms of the four signs count too.
std::string csv_field(std::string_view s);

}  // namespace dvc
