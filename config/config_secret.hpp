#pragma once
// A secret read from a file (client secret, portal password, API token). It is printed as `***` however it is
// printed, so a log line, an error message or a debug dump cannot leak it; the value itself is reached only
// through `reveal()`, which makes every use visible in review.
#include <ostream>
#include <string>
#include <utility>

namespace dvc {

class secret {
 public:
  secret() = default;
  explicit secret(std::string value) : value_(std::move(value)) {}

  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

  friend std::ostream& operator<<(std::ostream& out, const secret&) { return out << "***"; }

 private:
  std::string value_;
};

inline std::string to_string(const secret&) { return "***"; }

}  // namespace dvc
