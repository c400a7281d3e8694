#pragma once
// Reads a file of records, either a JSON array or one JSON record per line (auto-detected), one record at a
// time so memory does not grow with the file. Each record comes with the line it starts on, so errors can be
// reported as `file:line: reason`.
#include <cstddef>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "reconcile/bounded_json.hpp"

namespace dvc {

struct file_error : std::runtime_error {  // the file as a whole is unusable: exit 2
  using std::runtime_error::runtime_error;
};

class record_reader {
 public:
  // Throws file_error when the file cannot be opened or its first byte is neither `[` nor `{`. A record with a
  // key twice in one object is malformed, whatever `limits` says.
  explicit record_reader(const std::string& path, json_limits limits = {});

  struct item {
    std::size_t line = 0;
    std::optional<nlohmann::json> record;  // empty when the record was malformed
    std::string error;                     // why, when malformed
  };
  // Next record, or nullopt at the end. Malformed records come back as items with `error` set; a broken array
  // (unterminated) ends with one such item.
  std::optional<item> next();

  const std::string& path() const { return path_; }

 private:
  bool read_more();
  std::optional<item> next_line();
  std::optional<item> next_element();
  // Moves past white space and commas between elements; false at the end of the file.
  bool skip_separators();
  // Where the element at pos_ ends (one past its last byte), or why it cannot be read.
  std::variant<std::size_t, std::string> element_end();
  item parsed(std::size_t line, std::string_view text) const;
  // An error that ends the file: nothing after it can be read.
  item last_error(std::size_t line, std::string error);
  std::string path_;
  json_limits limits_;
  std::ifstream in_;
  bool array_ = false;
  bool done_ = false;
  std::string buf_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace dvc
