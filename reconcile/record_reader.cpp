#include "reconcile/record_reader.hpp"

#include <cstring>

#include "reconcile/json_nesting.hpp"

namespace dvc {
namespace {
constexpr std::size_t chunk_size = 1 << 20;
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
std::string_view trimmed(std::string_view text) {
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  return text;
}
}  // namespace

record_reader::record_reader(const std::string& path, json_limits limits)
    : path_(path), limits_(limits), in_(path, std::ios::binary) {
  // A record naming one field twice holds two values for it; which one counts would be a guess.
  limits_.reject_duplicate_keys = true;
  if (!in_) throw file_error(path + ": cannot open: " + std::strerror(errno));
  // Auto-detect: a file whose first significant byte is '[' is a JSON array, anything else one record per line.
  for (;;) {
    if (pos_ >= buf_.size() && !read_more()) {
      done_ = true;
      return;
    }
    if (buf_.compare(0, utf8_bom.size(), utf8_bom) == 0 && pos_ == 0) pos_ = utf8_bom.size();
    while (pos_ < buf_.size() && space(buf_[pos_])) {
      if (buf_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ < buf_.size()) break;
  }
  if (buf_[pos_] == '[') {
    array_ = true;
    ++pos_;
  }
}

bool record_reader::read_more() {
  if (!in_) return false;
  if (pos_ > chunk_size) {  // drop what has been consumed so the buffer stays about one record plus a chunk
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  const std::size_t old = buf_.size();
  buf_.resize(old + chunk_size);
  in_.read(buf_.data() + old, static_cast<std::streamsize>(chunk_size));
  buf_.resize(old + static_cast<std::size_t>(in_.gcount()));
  if (in_.bad()) throw file_error(path_ + ": read error: " + std::strerror(errno));
  return buf_.size() > old;
}

std::optional<record_reader::item> record_reader::next() {
  if (done_) return std::nullopt;
  return array_ ? next_element() : next_line();
}

record_reader::item record_reader::parsed(std::size_t line, std::string_view text) const {
  item it;
  it.line = line;
  try {
    it.record = parse_bounded(text, limits_);
  } catch (const json_error& e) {
    it.error = e.what();
  }
  return it;
}

record_reader::item record_reader::last_error(std::size_t line, std::string error) {
  done_ = true;
  item it;
  it.line = line;
  it.error = std::move(error);
  return it;
}

std::optional<record_reader::item> record_reader::next_line() {
  for (;;) {
    std::size_t nl = buf_.find('\n', pos_);
    while (nl == std::string::npos) {
      const std::size_t scanned = buf_.size() - pos_;
      if (!read_more()) break;
      nl = buf_.find('\n', pos_ + scanned);
    }
    const std::size_t end = nl == std::string::npos ? buf_.size() : nl;
    std::string_view text(buf_.data() + pos_, end - pos_);
    const std::size_t line = line_;
    pos_ = nl == std::string::npos ? buf_.size() : nl + 1;
    ++line_;
    if (nl == std::string::npos) done_ = true;
    text = trimmed(text);
    if (!text.empty()) return parsed(line, text);
    if (done_) return std::nullopt;
  }
}

bool record_reader::skip_separators() {
  for (;;) {
    while (pos_ < buf_.size() && (space(buf_[pos_]) || buf_[pos_] == ',')) {
      if (buf_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ < buf_.size()) return true;
    if (!read_more()) return false;
  }
}

std::variant<std::size_t, std::string> record_reader::element_end() {
  // Tracks strings and nesting from pos_, reading more as needed, until the element's last byte.
  json_nesting scan;
  std::size_t i = pos_;
  for (;; ++i) {
    if (i >= buf_.size()) {
      const std::size_t offset = i - pos_;
      if (!read_more()) return std::string("unterminated JSON array: the last record is cut off");
      i = pos_ + offset;  // read_more may have compacted the buffer
    }
    if (i - pos_ > limits_.max_bytes)
      return "record exceeds " + std::to_string(limits_.max_bytes) + " bytes; the rest of the array is not read";
    const char c = buf_[i];
    if (c == '\n') ++line_;
    switch (scan.step(c)) {
      case json_nesting::token::close:
        if (scan.depth() == 0) return i + 1;
        break;
      case json_nesting::token::stray_close:
        // The array's own ']' ends a scalar element. A stray '}' stays in this (malformed) element: stopping
        // before it would yield an empty element without moving, and read it again forever.
        if (c == ']') return i;
        break;
      case json_nesting::token::other:
        if (c == ',' && scan.depth() == 0) return i;
        break;
      default:
        break;
    }
  }
}

std::optional<record_reader::item> record_reader::next_element() {
  if (!skip_separators()) return last_error(line_, "unterminated JSON array (no closing ']')");
  if (buf_[pos_] == ']') {
    done_ = true;
    return std::nullopt;
  }
  const std::size_t start_line = line_;
  auto end = element_end();
  if (auto* error = std::get_if<std::string>(&end)) return last_error(start_line, std::move(*error));
  const std::size_t stop = std::get<std::size_t>(end);
  const std::string_view text(buf_.data() + pos_, stop - pos_);
  pos_ = stop;
  return parsed(start_line, trimmed(text));
}

}  // namespace dvc
