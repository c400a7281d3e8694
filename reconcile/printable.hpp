#pragma once
// Text from outside (portal values, file contents, notes) made safe to print on a terminal or in a log line: a
// value holding a line end or an escape sequence must not start a new log line, rewrite the screen or recolour
// it. Every control character is written as a visible escape; the rest of the text, Vietnamese included, is
// kept as it is.
#include <string>
#include <string_view>

namespace dvc {

// C0 controls and DEL as `\n`, `\r`, `\t` or `\xNN`; C1 controls (U+0080–U+009F) as `\u0085`; a byte that is not
// part of valid UTF-8 as `\xNN` (a lone 0x9B is a control sequence introducer to some terminals). Backslashes
// are left alone: the result is for reading, not for parsing back.
std::string printable(std::string_view text);

// True when printable(text) would change nothing.
bool is_printable(std::string_view text);

}  // namespace dvc
