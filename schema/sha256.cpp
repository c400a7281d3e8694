#include "schema/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace dvc {

namespace {

// Fetched once: OpenSSL 3 looks the algorithm up in its provider registry on every implicit use, which costs
// more than hashing a 1 KB record.
const EVP_MD* sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

std::string hex(const unsigned char* digest, unsigned int length) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(digits[digest[i] >> 4]);
    out.push_back(digits[digest[i] & 0x0f]);
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (sha256() == nullptr || EVP_Digest(data.data(), data.size(), digest, &length, sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return hex(digest, length);
}

struct sha256_stream::context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~context() { EVP_MD_CTX_free(ctx); }
};

sha256_stream::sha256_stream() : ctx_(std::make_unique<context>()) {
  if (ctx_->ctx == nullptr || sha256() == nullptr || EVP_DigestInit_ex(ctx_->ctx, sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL SHA-256 failed");
}
sha256_stream::~sha256_stream() = default;

void sha256_stream::update(std::string_view data) {
  if (EVP_DigestUpdate(ctx_->ctx, data.data(), data.size()) != 1) throw std::runtime_error("OpenSSL SHA-256 failed");
}

std::string sha256_stream::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx_->ctx, digest, &length) != 1) throw std::runtime_error("OpenSSL SHA-256 failed");
  return hex(digest, length);
}

}  // namespace dvc
