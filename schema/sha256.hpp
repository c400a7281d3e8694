#pragma once
// SHA-256 through OpenSSL's EVP interface, as lower-case hex: record content hashes and the event chain.
#include <string>
#include <string_view>

namespace dvc {

std::string sha256_hex(std::string_view data);

}  // namespace dvc
