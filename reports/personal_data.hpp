#pragma once
// Applicants' contact details as the API shows them to a reader without a token: masked, so that the open read
// API (and anyone able to enumerate dossier keys through it) does not hand out phone numbers and e-mail addresses.
// The applicant's name stays: operators identify a dossier by it.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace dvc {

// The canonical fields (dvc::to_json of a dossier, and the compared fields of a dossier page) that are masked.
bool is_masked_field(std::string_view field);

// "0912345678" → "091*****78": the first three and last two characters kept when at least seven are given, every
// character masked otherwise. Counts code points, so the result stays valid UTF-8.
std::string mask_phone(std::string_view phone);
// "nguoidan@example.vn" → "n*******@example.vn": the domain says which provider, not who.
std::string mask_email(std::string_view email);
// Masks the value of a masked field by its name; other fields are returned as they are.
std::string mask_field(std::string_view field, std::string_view value);

// Masks the masked fields of a canonical dossier body in place (null stays null).
void mask_personal_data(nlohmann::json& body);

}  // namespace dvc
