#include "reconcile/normalize.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

namespace dvc {
namespace {
bool ascii_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

std::string normalize_code(std::string_view code) {
  // NBSP (U+00A0, UTF-8 C2 A0) arrives in codes pasted from office documents; trim it with ASCII space.
  for (;;) {
    if (!code.empty() && ascii_space(static_cast<unsigned char>(code.front())))
      code.remove_prefix(1);
    else if (code.size() >= 2 && code.substr(0, 2) == "\xC2\xA0")
      code.remove_prefix(2);
    else
      break;
  }
  for (;;) {
    if (!code.empty() && ascii_space(static_cast<unsigned char>(code.back())))
      code.remove_suffix(1);
    else if (code.size() >= 2 && code.substr(code.size() - 2) == "\xC2\xA0")
      code.remove_suffix(2);
    else
      break;
  }
  std::string out(code);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string normalize_text(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  const icu::UnicodeString in =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString out = nfc->normalize(in, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string result;
  out.toUTF8String(result);
  return result;
}

}  // namespace dvc
