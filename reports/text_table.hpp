#pragma once
// A plain-text table whose columns line up for Vietnamese text: widths count code points, not bytes. Cells are
// printed through dvc::printable, so a control character in a value shows as an escape and cannot move the cursor.
#include <ostream>
#include <string>
#include <vector>

namespace dvc {

// Display width of UTF-8 text in terminal columns (combining marks take none).
std::size_t display_width(std::string_view s);
// How a column lines up: numbers to the right, so digits of one weight stand in one column.
enum class align { left, right };
// `aligns` gives each column's alignment (missing ones are left-aligned).
void write_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows, std::size_t max_cell = 60,
                 const std::vector<align>& aligns = {});

}  // namespace dvc
