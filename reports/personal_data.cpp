#include "reports/personal_data.hpp"

#include <vector>

namespace dvc {
namespace {

constexpr std::string_view phone_field = "applicant_phone";
constexpr std::string_view email_field = "applicant_email";

// Splits UTF-8 text into code points (as byte strings), so masking never cuts a character in two.
std::vector<std::string_view> code_points(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = 1;
    while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string keep_ends(std::string_view s, std::size_t head, std::size_t tail) {
  const auto cps = code_points(s);
  std::string out;
  for (std::size_t i = 0; i < cps.size(); ++i) out += i < head || i + tail >= cps.size() ? std::string(cps[i]) : "*";
  return out;
}

}  // namespace

bool is_masked_field(std::string_view field) { return field == phone_field || field == email_field; }

std::string mask_phone(std::string_view phone) {
  if (phone.empty()) return "";
  return code_points(phone).size() >= 7 ? keep_ends(phone, 3, 2) : keep_ends(phone, 0, 0);
}

std::string mask_email(std::string_view email) {
  if (email.empty()) return "";
  const auto at = email.rfind('@');
  if (at == std::string_view::npos || at == 0) return keep_ends(email, 0, 0);
  return keep_ends(email.substr(0, at), 1, 0) + std::string(email.substr(at));
}

std::string mask_field(std::string_view field, std::string_view value) {
  if (field == phone_field) return mask_phone(value);
  if (field == email_field) return mask_email(value);
  return std::string(value);
}

void mask_personal_data(nlohmann::json& body) {
  if (!body.is_object()) return;
  for (const auto field : {phone_field, email_field}) {
    const auto it = body.find(std::string(field));
    if (it != body.end() && it->is_string()) *it = mask_field(field, it->get<std::string>());
  }
}

}  // namespace dvc
