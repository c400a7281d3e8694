#include "schema/audit_key.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace dvc {

struct audit_key::context {
  EVP_MAC_CTX* ctx = nullptr;
  ~context() { EVP_MAC_CTX_free(ctx); }
};

namespace {

// Fetched once: OpenSSL 3 looks algorithms up in its provider registry on every implicit use.
EVP_MAC* hmac() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

std::string hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[bytes[i] >> 4]);
    out.push_back(digits[bytes[i] & 0x0f]);
  }
  return out;
}

}  // namespace

audit_key::audit_key(std::string key) : key_(std::move(key)) {
  if (key_.empty()) throw std::invalid_argument("the audit key is empty");
  set_up();
  id_ = mac_hex("dvcrecon audit key id").substr(0, 16);
}

void audit_key::set_up() {
  auto c = std::make_unique<context>();
  if (hmac() == nullptr || (c->ctx = EVP_MAC_CTX_new(hmac())) == nullptr)
    throw std::runtime_error("OpenSSL cannot provide HMAC");
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(c->ctx, reinterpret_cast<const unsigned char*>(key_.data()), key_.size(), params) != 1)
    throw std::runtime_error("OpenSSL cannot key HMAC-SHA-256");
  ctx_ = std::move(c);
}

audit_key::audit_key(const audit_key& other) : key_(other.key_), id_(other.id_) { set_up(); }
audit_key& audit_key::operator=(const audit_key& other) {
  if (this != &other) {
    key_ = other.key_;
    id_ = other.id_;
    set_up();
  }
  return *this;
}
audit_key::audit_key(audit_key&&) noexcept = default;
audit_key& audit_key::operator=(audit_key&&) noexcept = default;
audit_key::~audit_key() = default;

std::string audit_key::mac_hex(std::string_view data) const {
  context run;
  run.ctx = EVP_MAC_CTX_dup(ctx_->ctx);
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (run.ctx == nullptr ||
      EVP_MAC_update(run.ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(run.ctx, out, &length, sizeof out) != 1)
    throw std::runtime_error("OpenSSL HMAC-SHA-256 failed");
  return hex(out, length);
}

}  // namespace dvc
