#include "sim/record_parts.hpp"

#include "sim/mix.hpp"
#include "sim/people.hpp"
#include "sim/render.hpp"

namespace dvc::sim {
namespace {

void hex(std::string& out, std::uint64_t v, int digits) {
  static constexpr char h[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out.push_back(h[(v >> (i * 4)) & 15]);
}

std::uint64_t text_hash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

}  // namespace

std::string provincial_id(const world& w, std::uint32_t idx) {
  std::string id;
  hex(id, static_cast<std::uint64_t>(w.unix_of(w.state(idx).applied)), 8);
  hex(id, idx, 16);
  return id;
}

std::string catalog_id(std::string_view kind, std::string_view code) {
  std::string id;
  hex(id, mix({text_hash(kind), text_hash(code)}) >> 32, 8);
  hex(id, mix({text_hash(code), text_hash(kind)}), 16);
  return id;
}

std::string national_code(const world& w, std::uint32_t idx) {
  std::string code = dossier_code(w, idx);
  const auto unit_length = w.province().units()[w.state(idx).unit].code.size();
  switch (w.traits_of(idx).code) {
    case code_quirk::national_lower_case:
      for (std::size_t i = 0; i < unit_length; ++i) {
        if (code[i] >= 'A' && code[i] <= 'Z') code[i] = static_cast<char>(code[i] + 32);
      }
      break;
    case code_quirk::national_trailing_space:
      code += ' ';
      break;
    case code_quirk::national_leading_space:
      code.insert(0, " ");
      break;
    case code_quirk::none:
    case code_quirk::nation_code_spaced:
      break;
  }
  return code;
}

std::string nation_code(const world& w, std::uint32_t idx) {
  auto code = dossier_code(w, idx);
  if (w.traits_of(idx).code == code_quirk::nation_code_spaced) code += ' ';
  return code;
}

std::string national_procedure_code(const world& w, const dossier_view& v, bool suffixed) {
  auto code = w.province().procedures()[v.procedure].code;
  if (suffixed) code += '.' + w.province().province().code;
  return code;
}

std::string payment_value(const world& w, std::uint32_t idx, const dossier_view& v) {
  const auto& words = vocabulary::get();
  const auto t = w.traits_of(idx);
  // A planted payment difference must stay visible: national never hides it behind an unknown value.
  if (t.payment_unknown && w.state(idx).flaw != defect::field_payment) return words.payment_unknown();
  const auto& values = v.paid_online ? words.paid() : words.not_paid();
  return values[t.payment_variant % values.size()];
}

std::string result_code(const world& w, std::uint32_t idx) { return "KQ." + dossier_code(w, idx); }

std::string result_url(const world& w, std::uint32_t idx) {
  return "https://" + w.province().province().portal_host + "/files/ket-qua/" + provincial_id(w, idx) + ".pdf";
}

std::string text_for(const world& w, std::uint32_t idx, portal side, std::string_view text) {
  const auto quirk = w.traits_of(idx).text;
  const bool decomposed = (quirk == text_quirk::national_decomposed && side == portal::national) ||
                          (quirk == text_quirk::provincial_decomposed && side == portal::provincial);
  return decomposed ? decompose(text) : std::string(text);
}

void national_number(json_writer& j, const world& w, std::uint32_t idx, int value) {
  if (w.traits_of(idx).numeric) {
    j.num(value);
  } else {
    j.str(std::to_string(value));
  }
}

}  // namespace dvc::sim
