#pragma once
// The project's one streaming JSON writer. Values go straight into the caller's buffer, with no tree per record:
// a 500-record page of the simulator or a million ledger bodies cost little more than the bytes they hold.
// Whatever a string holds, the output is valid JSON: bytes that are not well-formed UTF-8 become U+FFFD.
#include <cstdint>
#include <string>
#include <string_view>

namespace dvc {

// Appends `text` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view text);

// Commas are placed by the writer: members and array elements are written one after another, in order.
class json_writer {
 public:
  explicit json_writer(std::string& out) : out_(out) {}
  json_writer& begin_object() { return open('{'); }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }
  json_writer& key(std::string_view name);
  json_writer& str(std::string_view value);
  json_writer& num(std::int64_t value);
  json_writer& boolean(bool value) { return raw(value ? "true" : "false"); }
  json_writer& null() { return raw("null"); }
  // Text that is already one JSON value.
  json_writer& raw(std::string_view json);
  std::string& buffer() { return out_; }

 private:
  json_writer& open(char c);
  json_writer& close(char c);
  void separate() {
    if (need_comma_) out_.push_back(',');
  }

  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace dvc
