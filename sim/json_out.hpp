#pragma once
// A minimal streaming JSON writer: records are written straight into the response buffer, which is what makes a
// 500-record page cost a few milliseconds rather than a DOM per record.
#include <cstdint>
#include <string>
#include <string_view>

namespace dvc::sim {

class json_out {
 public:
  explicit json_out(std::string& out) : out_(out) {}
  json_out& begin_object() { return open('{'); }
  json_out& end_object() { return close('}'); }
  json_out& begin_array() { return open('['); }
  json_out& end_array() { return close(']'); }
  json_out& key(std::string_view k) {
    comma();
    quoted(k);
    out_.push_back(':');
    need_comma_ = false;
    return *this;
  }
  json_out& str(std::string_view v) {
    comma();
    quoted(v);
    need_comma_ = true;
    return *this;
  }
  json_out& num(std::int64_t v) {
    comma();
    out_ += std::to_string(v);
    need_comma_ = true;
    return *this;
  }
  json_out& boolean(bool v) { return raw(v ? "true" : "false"); }
  json_out& null() { return raw("null"); }
  // Text that is already valid JSON (a value produced elsewhere).
  json_out& raw(std::string_view v) {
    comma();
    out_ += v;
    need_comma_ = true;
    return *this;
  }
  std::string& buffer() { return out_; }

 private:
  json_out& open(char c) {
    comma();
    out_.push_back(c);
    need_comma_ = false;
    return *this;
  }
  json_out& close(char c) {
    out_.push_back(c);
    need_comma_ = true;
    return *this;
  }
  void comma() {
    if (need_comma_) out_.push_back(',');
  }
  void quoted(std::string_view v) {
    static constexpr char hex[] = "0123456789abcdef";
    out_.push_back('"');
    std::size_t run = 0;  // start of the stretch that needs no escaping, appended in one go
    for (std::size_t i = 0; i < v.size(); ++i) {
      const auto u = static_cast<unsigned char>(v[i]);
      if (u >= 0x20 && v[i] != '"' && v[i] != '\\') continue;
      out_.append(v.data() + run, i - run);
      run = i + 1;
      if (u >= 0x20) {
        out_.push_back('\\');
        out_.push_back(v[i]);
      } else {
        out_ += "\\u00";
        out_.push_back(hex[u >> 4]);
        out_.push_back(hex[u & 15]);
      }
    }
    out_.append(v.data() + run, v.size() - run);
    out_.push_back('"');
  }

  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace dvc::sim
