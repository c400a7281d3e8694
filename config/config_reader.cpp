#include "config/config_reader.hpp"

#include <algorithm>
#include <sstream>

namespace dvc {

namespace {
const nlohmann::json& empty_object() {
  static const nlohmann::json empty = nlohmann::json::object();
  return empty;
}
}  // namespace

std::string join_path(std::string_view parent, std::string_view key) {
  std::string out(parent);
  if (!out.empty()) out += '.';
  // A key comes from the file and may hold any character: control characters are shown escaped (`\u000a`), so a
  // problem naming the key stays one line and cannot forge another line in a log.
  static constexpr char hex[] = "0123456789abcdef";
  for (const char c : key) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

std::string wrong_type(std::string_view expected, const nlohmann::json& got) {
  std::string out = "expected ";
  out += expected;
  out += ", got ";
  out += got.type_name();
  return out;
}

config_object::config_object(const nlohmann::json& value, std::string path, config_problems& problems)
    : path_(std::move(path)), problems_(&problems) {
  if (value.is_object()) {
    object_ = &value;
  } else {
    problems.add(path_, wrong_type("an object", value));
  }
}

const nlohmann::json* config_object::member(std::string_view key, presence p) {
  if (!object_) return nullptr;
  known_.emplace(key);
  const auto it = object_->find(key);
  if (it == object_->end()) {
    if (p == presence::required) problems_->add(path_of(key), "required key is missing");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> config_object::text(std::string_view key, presence p) {
  const nlohmann::json* v = member(key, p);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    problems_->add(path_of(key), wrong_type("a string", *v));
    return std::nullopt;
  }
  const auto& s = v->get_ref<const std::string&>();
  if (s.find_first_not_of(" \t\r\n") == std::string::npos) {
    problems_->add(path_of(key), "must not be empty");
    return std::nullopt;
  }
  // A NUL would cut a path short at the system call (`a.secret\0x` opens `a.secret`); a newline would forge
  // log lines. No value of the configuration needs either.
  if (std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    problems_->add(path_of(key), "must not contain control characters");
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> config_object::integer(std::string_view key, std::int64_t min, std::int64_t max,
                                                   presence p) {
  const nlohmann::json* v = member(key, p);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    problems_->add(path_of(key), wrong_type("an integer", *v));
    return std::nullopt;
  }
  // Unsigned values beyond int64 compare as out of range rather than wrapping.
  const bool too_big = v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max);
  const std::int64_t n = too_big ? max : v->get<std::int64_t>();
  if (too_big || n < min || n > max) {
    problems_->add(path_of(key),
                   "must be within " + std::to_string(min) + ".." + std::to_string(max) + " (got " + v->dump() + ")");
    return std::nullopt;
  }
  return n;
}

std::optional<double> config_object::number(std::string_view key, double min, double max, presence p) {
  const nlohmann::json* v = member(key, p);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    problems_->add(path_of(key), wrong_type("a number", *v));
    return std::nullopt;
  }
  const double n = v->get<double>();
  if (!(n >= min && n <= max)) {
    std::ostringstream range;
    range << "must be within " << min << ".." << max;
    problems_->add(path_of(key), range.str());
    return std::nullopt;
  }
  return n;
}

config_object config_object::object(std::string_view key, presence p) {
  const nlohmann::json* v = member(key, p);
  if (!v) return config_object(path_of(key), *problems_);
  return config_object(*v, path_of(key), *problems_);
}

nlohmann::json::const_iterator config_object::begin() const { return (object_ ? *object_ : empty_object()).cbegin(); }
nlohmann::json::const_iterator config_object::end() const { return (object_ ? *object_ : empty_object()).cend(); }

void config_object::report_unknown_keys(std::string_view hint) {
  if (!object_) return;
  const std::string message = hint.empty() ? "unknown key" : "unknown key (" + std::string(hint) + ")";
  for (const auto& [key, value] : object_->items()) {
    if (!known_.contains(key)) problems_->add(path_of(key), message);
  }
}

}  // namespace dvc
