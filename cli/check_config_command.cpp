#include "cli/check_config_command.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/cli_parse.hpp"
#include "config/config.hpp"
#include "service/exit_codes.hpp"

namespace dvc {

namespace {

// Units, ledger and both portals: what an operator checks at a glance. Secrets are not members it reads.
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
         c.provincial.portal.base_url + ", national " + c.national.portal.base_url;
}

}  // namespace

int check_config_command(const std::vector<std::string>& args) {
  CLI::App app("Check a dvcrecon configuration file and the files it names.", "check-config");
  std::string path;
  app.add_option("--config", path, "configuration file (JSON with // comments)")->required();
  if (const auto stop = parse_cli(app, args)) return *stop;

  const auto loaded = load_config(path);
  for (const auto& warning : loaded.warnings) std::cerr << path << ": warning: " << describe(warning) << '\n';
  if (!loaded.value) {
    for (const auto& problem : loaded.problems) std::cerr << path << ": " << describe(problem) << '\n';
    return exit_code::usage;
  }
  std::cout << summarize(*loaded.value) << '\n';
  return exit_code::ok;
}

}  // namespace dvc
