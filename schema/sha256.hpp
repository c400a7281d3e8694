#pragma once
// SHA-256 through OpenSSL's EVP interface, as lower-case hex: record content hashes and the event chain.
#include <memory>
#include <string>
#include <string_view>

namespace dvc {

std::string sha256_hex(std::string_view data);

// SHA-256 of data given in pieces, for digests over more rows than should be held at once.
class sha256_stream {
 public:
  sha256_stream();
  ~sha256_stream();
  sha256_stream(const sha256_stream&) = delete;
  sha256_stream& operator=(const sha256_stream&) = delete;
  void update(std::string_view data);
  std::string hex_digest();  // ends the stream

 private:
  struct context;
  std::unique_ptr<context> ctx_;
};

}  // namespace dvc
