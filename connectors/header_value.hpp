#pragma once
// What may be sent in an HTTP header. A value taken from a portal's answer (an access token, a session) is
// checked before it is sent: a CR or LF in it would end the header and let the portal (or whoever poses as it)
// write headers of its own into our next request.
#include <string_view>

namespace dvc {

// RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
bool is_b64token(std::string_view text);

// RFC 9110 field-name: a token (letters, digits and !#$%&'*+-.^_`|~), not empty.
bool is_header_name(std::string_view text);

// RFC 9110 field-value: visible characters, spaces, tabs and bytes ≥ 0x80; no other control character.
bool is_header_value(std::string_view text);

}  // namespace dvc
