#pragma once
// Running a CLI11 parser over a command's words with the project's conventions: usage errors print one sentence
// naming the command and exit 2; --help prints help and exits 0.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace dvc {

// Returns an exit status when the command must stop here (help shown or bad usage), nullopt to go on.
std::optional<int> parse_cli(CLI::App& app, const std::vector<std::string>& args);

// Parses an ISO 8601 instant given on the command line; nullopt (and a message on stderr) when it is not one.
std::optional<long long> parse_cli_time(const std::string& command, const std::string& flag, const std::string& text);

}  // namespace dvc
