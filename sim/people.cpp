#include "sim/people.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <array>

#include "sim/mix.hpp"

namespace dvc::sim {
namespace {

enum tag : std::uint64_t { tag_person = 101, tag_staff, tag_contact = 104 };

template <class T>
const T& pick(draw& g, const std::vector<T>& pool) {
  return pool[g.below(static_cast<std::uint32_t>(pool.size()))];
}

std::string person(const name_pools& names, std::uint64_t h) {
  draw g(h);
  std::string name = pick(g, names.family).text;
  name += ' ';
  name += pick(g, names.middle);
  name += ' ';
  name += pick(g, names.given).text;
  return name;
}

}  // namespace

applicant applicant_of(const world& w, std::uint32_t idx) {
  const auto seed = w.config().seed;
  const auto& names = w.province().names();
  const auto type = w.traits_of(idx).applicant_type;
  draw g(mix({seed, tag_person, idx}));
  applicant a;
  const auto& family = pick(g, names.family);
  const auto& middle = pick(g, names.middle);
  const auto& given = pick(g, names.given);
  if (type == 2) {
    a.name = pick(g, names.businesses);
  } else if (type == 3) {
    a.name = pick(g, names.organisations);
  } else {
    a.name = family.text + ' ' + middle + ' ' + given.text;
  }
  draw c(mix({seed, tag_contact, idx, w.state(idx).version}));
  static constexpr std::array<std::string_view, 12> prefixes{"090", "091", "093", "094", "096", "097",
                                                             "098", "086", "032", "035", "077", "083"};
  a.phone = prefixes[c.below(static_cast<std::uint32_t>(prefixes.size()))];
  for (int i = 0; i < 7; ++i) a.phone.push_back(static_cast<char>('0' + c.below(10)));
  if (c.chance(0.7)) {
    if (type == 1 || type == 4) {
      a.email = given.ascii + family.ascii + std::to_string(10 + c.below(90)) + "@gmail.com";
    } else {
      a.email = "lienhe" + std::to_string(100 + c.below(900)) + "@gmail.com";
    }
  }
  return a;
}

std::string official(const world& w, std::uint32_t idx, std::uint16_t unit, step_role role) {
  const auto seed = w.config().seed;
  const auto who = mix({seed, idx, static_cast<std::uint64_t>(role)}) % 3;
  return person(w.province().names(), mix({seed, tag_staff, unit, static_cast<std::uint64_t>(role), who}));
}

std::string department_of(const world& w, step_role role, std::uint16_t unit, std::uint16_t procedure) {
  const auto& u = w.province().units()[unit];
  switch (role) {
    case step_role::reception:
    case step_role::amend:
      return u.desk;
    case step_role::sign:
      return vocabulary::get().leadership() + u.name;
    case step_role::verify:
    case step_role::appraise:
    case step_role::review:
      break;
  }
  return w.province().procedures()[procedure].department;
}

std::string position_of(const world& w, step_role role, std::uint16_t unit) {
  if (role == step_role::sign) return w.province().units()[unit].leader;
  return vocabulary::get().step(role).position;
}

std::string decompose(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const auto* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  const auto out = nfd->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size()))), status);
  if (U_FAILURE(status)) return std::string(text);
  std::string result;
  out.toUTF8String(result);
  return result;
}

}  // namespace dvc::sim
