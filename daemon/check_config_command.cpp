#include "daemon/check_config_command.hpp"

#include <algorithm>
#include <iostream>

#include <CLI/CLI.hpp>

#include "daemon/config.hpp"

namespace dvc {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_usage = 2;

std::string summarize(const config& c) {
  std::string units;
  if (c.units.empty()) {
    units = "all units";
  } else {
    units = std::to_string(c.units.size()) + (c.units.size() == 1 ? " unit (" : " units (");
    for (std::size_t i = 0; i < c.units.size(); ++i) units += (i ? ", " : "") + c.units[i].code;
    units += ")";
  }
  return c.file.string() + ": ok; " + units + ", ledger " + c.ledger.string() + ", provincial " +
         to_string(c.provincial.base_url) + ", national " + to_string(c.national.base_url);
}

}  // namespace

int check_config_command(const std::vector<std::string>& args) {
  CLI::App app("Check a dvcrecon configuration file and the files it names.", "dvcrecon check-config");
  std::string path;
  app.add_option("--config", path, "configuration file (JSON with // comments)")->required();
  try {
    // CLI11 consumes a vector from its back.
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  }

  const auto loaded = load_config(path);
  if (!loaded.value) {
    for (const auto& problem : loaded.problems) std::cerr << path << ": " << describe(problem) << '\n';
    return exit_usage;
  }
  std::cout << summarize(*loaded.value) << '\n';
  return exit_ok;
}

}  // namespace dvc
