#include "tests/connectors/test_pki.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>

namespace dvc::test {
namespace {

using key_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using cert_ptr = std::unique_ptr<X509, decltype(&X509_free)>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

key_ptr make_key() {
  key_ptr key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  check(key != nullptr, "EC key generation");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "building an extension");
  check(X509_add_ext(cert, ext, -1) == 1, "adding an extension");
  X509_EXTENSION_free(ext);
}

struct cert_spec {
  std::string common_name;
  std::string san;  // empty for a CA, and for a leaf named by its CN alone
  long not_before_s = -3600;
  long not_after_s = 86400;
  bool ca = false;
};

// Signed by `issuer_key`/`issuer`, or by itself when they are null.
cert_ptr make_cert(EVP_PKEY* key, const cert_spec& spec, EVP_PKEY* issuer_key, X509* issuer) {
  static std::mt19937_64 serials{std::random_device{}()};
  cert_ptr cert(X509_new(), X509_free);
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serials() >> 2);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.not_before_s);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.not_after_s);
  check(X509_set_pubkey(cert.get(), key) == 1, "setting the public key");
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(spec.common_name.c_str()),
                             -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  add_extension(cert.get(), signer, NID_basic_constraints, spec.ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_extension(cert.get(), signer, NID_key_usage,
                spec.ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyAgreement");
  add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (issuer) add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  if (!spec.ca) {
    add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    if (!spec.san.empty()) add_extension(cert.get(), signer, NID_subject_alt_name, spec.san.c_str());
  }
  check(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "signing");
  return cert;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string cert_pem(X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  check(PEM_write_bio_X509(bio.get(), cert) == 1, "writing a certificate");
  return bio_text(bio.get());
}

std::string key_pem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "writing a key");
  return bio_text(bio.get());
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  check(static_cast<bool>(out), "writing a PEM file");
}

constexpr const char* right_names = "DNS:localhost,IP:127.0.0.1";

}  // namespace

test_pki::test_pki() {
  dir_ = std::filesystem::temp_directory_path() /
         ("dvc-pki-" + std::to_string(std::random_device{}()) + "-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir_);

  const key_ptr ca_key = make_key();
  const cert_ptr ca = make_cert(ca_key.get(), {"dvcrecon test CA", "", -3600, 86400 * 30, true}, nullptr, nullptr);
  const key_ptr other_key = make_key();
  const cert_ptr other =
      make_cert(other_key.get(), {"unrelated test CA", "", -3600, 86400 * 30, true}, nullptr, nullptr);

  const auto leaf = [&](const cert_spec& spec, bool self) {
    const key_ptr key = make_key();
    const cert_ptr cert =
        self ? make_cert(key.get(), spec, nullptr, nullptr) : make_cert(key.get(), spec, ca_key.get(), ca.get());
    return pem_identity{cert_pem(cert.get()), key_pem(key.get())};
  };
  good = leaf({"localhost", right_names}, false);
  expired = leaf({"localhost", right_names, -2 * 86400, -86400}, false);
  wrong_host = leaf({"wrong.example", "DNS:wrong.example"}, false);
  self_signed = leaf({"localhost", right_names}, true);
  common_name_only = leaf({"localhost", ""}, false);

  ca_file = dir_ / "ca.pem";
  other_ca_file = dir_ / "other-ca.pem";
  write_file(ca_file, cert_pem(ca.get()));
  write_file(other_ca_file, cert_pem(other.get()));
}

test_pki::~test_pki() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace dvc::test
