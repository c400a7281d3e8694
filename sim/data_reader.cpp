#include "sim/data_reader.hpp"

namespace dvc::sim {

nlohmann::json parse_data(std::string_view text, const std::string& source) {
  try {
    auto value = nlohmann::json::parse(text, nullptr, true, true);
    if (!value.is_object()) throw data_error(source + ": a JSON object is expected");
    return value;
  } catch (const nlohmann::json::parse_error& e) {
    throw data_error(source + ": not valid JSON: " + e.what());
  }
}

data_object::data_object(const nlohmann::json& value, std::string source, std::string path)
    : value_(value), source_(std::move(source)), path_(std::move(path)) {
  if (!value_.is_object())
    throw data_error(source_ + ": " + (path_.empty() ? "the file" : path_) + ": an object is expected");
}

std::string data_object::where(std::string_view key) const {
  return source_ + ": " + (path_.empty() ? "" : path_ + ".") + std::string(key);
}

void data_object::fail(std::string_view key, std::string_view why) const {
  throw data_error(where(key) + ": " + std::string(why));
}

const nlohmann::json& data_object::member(std::string_view key) {
  const auto it = value_.find(key);
  if (it == value_.end()) fail(key, "missing");
  read_.emplace(key);
  return *it;
}

bool data_object::has(std::string_view key) const { return value_.contains(key); }

std::string data_object::text(std::string_view key) {
  auto value = text_or_empty(key);
  if (value.empty()) fail(key, "must not be empty");
  return value;
}

std::string data_object::text_or_empty(std::string_view key) {
  const auto& v = member(key);
  if (!v.is_string()) fail(key, "a string is expected");
  return v.get<std::string>();
}

std::int64_t data_object::whole(std::string_view key, std::int64_t low, std::int64_t high) {
  const auto& v = member(key);
  if (!v.is_number_integer() || v.get<std::int64_t>() < low || v.get<std::int64_t>() > high) {
    fail(key, "a whole number from " + std::to_string(low) + " to " + std::to_string(high) + " is expected");
  }
  return v.get<std::int64_t>();
}

data_object data_object::object(std::string_view key) {
  const auto& v = member(key);
  if (!v.is_object()) fail(key, "an object is expected");
  return data_object(v, source_, (path_.empty() ? "" : path_ + ".") + std::string(key));
}

std::vector<data_object> data_object::objects(std::string_view key) {
  const auto& v = member(key);
  if (!v.is_array() || v.empty()) fail(key, "a list of objects, not empty, is expected");
  std::vector<data_object> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto path = (path_.empty() ? "" : path_ + ".") + std::string(key) + "[" + std::to_string(i) + "]";
    if (!v[i].is_object()) throw data_error(source_ + ": " + path + ": an object is expected");
    out.emplace_back(v[i], source_, path);
  }
  return out;
}

std::vector<std::string> data_object::texts(std::string_view key) {
  const auto& v = member(key);
  if (!v.is_array() || v.empty()) fail(key, "a list of strings, not empty, is expected");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string() || v[i].get_ref<const std::string&>().empty()) {
      fail(std::string(key) + "[" + std::to_string(i) + "]", "a non-empty string is expected");
    }
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

void data_object::finish() const {
  for (const auto& [key, value] : value_.items()) {
    if (!read_.contains(key)) fail(key, "unknown key");
  }
}

}  // namespace dvc::sim
