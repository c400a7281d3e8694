#pragma once
// The key of the ledger's audit trail (audit.key_file): HMAC-SHA-256 over every event and every stored record, so
// that whoever can write the ledger file but does not hold the key cannot rewrite its history and recompute the
// chain. The key bytes never leave this object; it prints as nothing and is compared by its id only.
#include <memory>
#include <string>
#include <string_view>

namespace dvc {

class audit_key {
 public:
  // Throws std::invalid_argument for an empty key, std::runtime_error when OpenSSL cannot set up HMAC-SHA-256.
  explicit audit_key(std::string key);
  audit_key(const audit_key& other);
  audit_key& operator=(const audit_key& other);
  audit_key(audit_key&&) noexcept;
  audit_key& operator=(audit_key&&) noexcept;
  ~audit_key();

  // HMAC-SHA-256 of `data` as 64 lower-case hexadecimal digits.
  std::string mac_hex(std::string_view data) const;
  // Names the key without revealing it (a MAC of a fixed text, 16 hex digits): recorded where the chain was keyed,
  // so a wrong key is told apart from tampering.
  const std::string& id() const { return id_; }

 private:
  struct context;
  void set_up();
  std::string key_;
  std::string id_;
  std::unique_ptr<context> ctx_;  // a keyed HMAC context each computation starts from a copy of
};

}  // namespace dvc
