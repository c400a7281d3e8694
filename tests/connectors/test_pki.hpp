#pragma once
// Certificates made at test time with the OpenSSL API: a CA and leaves it signs (good, expired, wrong host),
// a self-signed leaf, and a second CA the good leaf does not chain to. Written as PEM files in a fresh
// temporary directory removed on destruction.
#include <filesystem>
#include <string>

namespace dvc::test {

struct pem_identity {
  std::string certificate;
  std::string private_key;
};

class test_pki {
 public:
  test_pki();
  ~test_pki();
  test_pki(const test_pki&) = delete;
  test_pki& operator=(const test_pki&) = delete;

  pem_identity good;                    // CA-signed, SAN localhost and 127.0.0.1, valid now
  pem_identity expired;                 // CA-signed, right names, expired yesterday
  pem_identity wrong_host;              // CA-signed, valid now, only for wrong.example
  pem_identity self_signed;             // right names and dates, signed by itself
  pem_identity common_name_only;        // CA-signed, valid now, CN localhost and no subject alternative name
  std::filesystem::path ca_file;        // the CA that signed the above
  std::filesystem::path other_ca_file;  // a CA that signed none of them

 private:
  std::filesystem::path dir_;
};

}  // namespace dvc::test
