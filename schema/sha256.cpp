#include "schema/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace dvc {

std::string sha256_hex(std::string_view data) {
  // Fetched once: OpenSSL 3 looks the algorithm up in its provider registry on every implicit use, which costs
  // more than hashing a 1 KB record.
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (md == nullptr || EVP_Digest(data.data(), data.size(), digest, &length, md, nullptr) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0x0f]);
  }
  return out;
}

}  // namespace dvc
