#pragma once
// The configuration file is JSON with `//` line comments and `/* */` block comments (docs/configuration.md). Comments
// are blanked out before the JSON parser sees the text; string literals are copied untouched, so
// "https://portal" keeps its slashes.
#include <optional>
#include <string>
#include <string_view>

namespace dvc {

struct stripped_json {
  // The text with every comment character replaced by a space and newlines kept, so byte offsets and line
  // numbers a parser reports still point into the original file.
  std::string text;
  // Set when a block comment never ends: "unterminated /* comment starting on line 12".
  std::optional<std::string> error;
};

stripped_json strip_json_comments(std::string_view text);

}  // namespace dvc
