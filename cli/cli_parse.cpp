#include "cli/cli_parse.hpp"

#include <iostream>

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
