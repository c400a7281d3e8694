#include "cli/check_config_command.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
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
  std::string provincial;
  for (const auto& source : c.provincial) {
    provincial += provincial.empty() ? ", provincial " : "; ";
    if (!source.name.empty()) provincial += source.name + " ";
    provincial += source.portal.base_url;
    if (source.moved_to) provincial += " (moved to " + *source.moved_to + ")";
  }
  return c.file.string() + ": ok; " + units + ", ledger " + c.ledger.string() + provincial + ", national " +
         c.national.portal.base_url;
}

}  // namespace

int check_config_command(const std::vector<std::string>& args) {
  CLI::App app(
      "Check a dvcrecon configuration file and what it names on this host. Problems of the file fail the check "
      "(exit 2); problems of this host (a state directory systemd has not created yet, a secret that exists only "
      "inside the service) are reported and fail it only with --strict.",
      "check-config");
  std::string path, credentials;
  bool strict = false;
  app.add_option("--config", path, "configuration file (JSON with // comments)")->required();
  app.add_option("--credentials", credentials,
                 "read ${CREDENTIALS_DIRECTORY}/NAME secrets from this directory (where LoadCredential= takes them)");
  app.add_flag("--strict", strict, "problems of this host fail the check too");
  if (const auto stop = parse_cli(app, args)) return *stop;

  config_options options;
  if (!credentials.empty()) {
    // Relative to where the command runs, as any path given on a command line; messages name it without `..`.
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(credentials, ec).lexically_normal();
    options.variable = [dir =
                            ec ? credentials : absolute.string()](std::string_view name) -> std::optional<std::string> {
      if (name == "CREDENTIALS_DIRECTORY") return dir;
      return environment_variable(name);
    };
  }
  const auto loaded = load_config(path, options);
  for (const auto& warning : loaded.warnings) std::cerr << path << ": warning: " << describe(warning) << '\n';
  std::size_t host = 0;
  for (const auto& problem : loaded.problems) {
    const bool of_host = problem.origin == problem_origin::host;
    host += of_host ? 1 : 0;
    std::cerr << path << ": " << (of_host ? "[host] " : "[file] ") << describe(problem) << '\n';
  }
  if (!loaded.file_ok()) {
    std::cerr << path << ": " << loaded.problems.size() - host << " problem(s) of the file"
              << (host ? " and " + std::to_string(host) + " of this host" : "") << '\n';
    return exit_code::usage;
  }
  std::cout << summarize(loaded.value ? *loaded.value : *loaded.as_written) << '\n';
  if (host == 0) return exit_code::ok;
  std::cerr << path << ": the file is right; " << host
            << " problem(s) of this host remain, and the service cannot start until they are fixed"
            << (strict ? "" : " (--strict fails the check on them)") << '\n';
  return strict ? exit_code::usage : exit_code::ok;
}

}  // namespace dvc
