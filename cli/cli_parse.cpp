#include "cli/cli_parse.hpp"

#include <charconv>
#include <cmath>
#include <iostream>
#include <sstream>

#include "reconcile/instant.hpp"
#include "service/exit_codes.hpp"

namespace dvc {

std::optional<int> parse_cli(CLI::App& app, const std::vector<std::string>& args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 consumes a reversed vector
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return exit_code::ok;
  } catch (const CLI::ParseError& e) {
    std::cerr << "dvcrecon " << app.get_name() << ": " << e.what() << " (see --help)\n";
    return exit_code::usage;
  }
  return std::nullopt;
}

namespace {

std::optional<std::int64_t> whole_of(const std::string& text) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::string number_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

CLI::Validator whole_number(std::int64_t lo, std::int64_t hi) {
  const std::string rule = "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  return CLI::Validator(
      [=](std::string& text) {
        const auto v = whole_of(text);
        return v && *v >= lo && *v <= hi ? std::string() : "must be " + rule + ", not \"" + text + "\"";
      },
      std::to_string(lo) + " to " + std::to_string(hi));
}

CLI::Validator whole_number_from(std::int64_t lo) {
  const std::string rule = "a whole number, " + std::to_string(lo) + " or more";
  return CLI::Validator(
      [=](std::string& text) {
        const auto v = whole_of(text);
        return v && *v >= lo ? std::string() : "must be " + rule + ", not \"" + text + "\"";
      },
      std::to_string(lo) + " or more");
}

CLI::Validator number_between(double lo, double hi) {
  const std::string rule = "a number from " + number_text(lo) + " to " + number_text(hi);
  return CLI::Validator(
      [=](std::string& text) {
        double v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        const bool ok = !text.empty() && ec == std::errc() && end == text.data() + text.size() && std::isfinite(v) &&
                        v >= lo && v <= hi;
        return ok ? std::string() : "must be " + rule + ", not \"" + text + "\"";
      },
      number_text(lo) + " to " + number_text(hi));
}

CLI::Validator one_of(std::vector<std::string> allowed) {
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  return CLI::Validator(
      [=](std::string& text) {
        for (const auto& a : allowed)
          if (text == a) return std::string();
        return "must be one of " + list + ", not \"" + text + "\"";
      },
      list);
}

std::optional<long long> parse_cli_time(const std::string& command, const std::string& flag, const std::string& text) {
  try {
    if (const auto t = parse_iso_time(text)) return *t;
  } catch (const std::invalid_argument& e) {
    std::cerr << "dvcrecon " << command << ": " << flag << ": " << e.what() << "\n";
    return std::nullopt;
  }
  std::cerr << "dvcrecon " << command << ": " << flag << " is empty\n";
  return std::nullopt;
}

}  // namespace dvc
