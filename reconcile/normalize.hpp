#pragma once
// Normalisation (docs/wire-formats.md#codes): codes are compared trimmed and ASCII-upper-cased; free text after NFC.
#include <string>
#include <string_view>

namespace dvc {

// Trim Unicode-agnostic ASCII whitespace (and NBSP) at both ends, upper-case ASCII letters.
std::string normalize_code(std::string_view code);
// Unicode NFC; invalid UTF-8 is replaced with U+FFFD so it can be stored and shown.
std::string normalize_text(std::string_view text);

}  // namespace dvc
