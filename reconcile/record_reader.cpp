#include "reconcile/record_reader.hpp"

#include <cstring>

namespace dvc {
namespace {
constexpr std::size_t chunk_size = 1 << 20;
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

record_reader::record_reader(const std::string& path, json_limits limits)
    : path_(path), limits_(limits), in_(path, std::ios::binary) {
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
  const auto parse = [this](std::size_t line, std::string_view text) {
    item it;
    it.line = line;
    try {
      it.record = parse_bounded(text, limits_);
    } catch (const json_error& e) {
      it.error = e.what();
    }
    return it;
  };

  if (!array_) {
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
      while (!text.empty() && space(text.back())) text.remove_suffix(1);
      while (!text.empty() && space(text.front())) text.remove_prefix(1);
      if (text.empty()) {
        if (nl == std::string::npos) {
          done_ = true;
          return std::nullopt;
        }
        continue;
      }
      if (nl == std::string::npos) done_ = true;
      return parse(line, text);
    }
  }

  // Array mode: find the next element's extent by tracking strings and nesting, then parse just that element.
  for (;;) {
    while (pos_ < buf_.size() && (space(buf_[pos_]) || buf_[pos_] == ',')) {
      if (buf_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ < buf_.size()) break;
    if (!read_more()) {
      done_ = true;
      item it;
      it.line = line_;
      it.error = "unterminated JSON array (no closing ']')";
      return it;
    }
  }
  if (buf_[pos_] == ']') {
    done_ = true;
    return std::nullopt;
  }
  const std::size_t start_line = line_;
  std::size_t i = pos_, depth = 0;
  bool in_string = false, escaped = false;
  for (;;) {
    if (i >= buf_.size()) {
      const std::size_t offset = i - pos_;
      if (!read_more()) {
        done_ = true;
        item it;
        it.line = start_line;
        it.error = "unterminated JSON array: the last record is cut off";
        return it;
      }
      i = pos_ + offset;  // read_more may have compacted the buffer
      continue;
    }
    const char c = buf_[i];
    if (c == '\n') ++line_;
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0 && c == ']') break;  // the array's own ']' ends a scalar element
      // A stray '}' at the top stays in this (malformed) element: stopping before it would yield an empty
      // element without moving, and read it again forever.
      if (depth > 0 && --depth == 0) {
        ++i;
        break;
      }
    } else if (c == ',' && depth == 0) {
      break;
    }
    ++i;
    if (i - pos_ > limits_.max_bytes) {
      done_ = true;
      item it;
      it.line = start_line;
      it.error = "record exceeds " + std::to_string(limits_.max_bytes) + " bytes; the rest of the array is not read";
      return it;
    }
  }
  std::string_view text(buf_.data() + pos_, i - pos_);
  pos_ = i;
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return parse(start_line, text);
}

}  // namespace dvc
