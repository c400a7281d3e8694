#pragma once
// Running a CLI11 parser over a command's words with the project's conventions: usage errors print one sentence
// naming the command and exit 2; --help prints help and exits 0.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dvc {

// Returns an exit status when the command must stop here (help shown or bad usage), nullopt to go on.
std::optional<int> parse_cli(CLI::App& app, const std::vector<std::string>& args);

// Option checks whose messages say what is allowed, in words (docs/cli.md#exit-status-and-errors): CLI11's own
// range checks print the bounds of the option's type, such as a 309-digit largest double.
// A whole number from lo to hi: "must be a whole number from 1 to 10000, not \"0\"".
CLI::Validator whole_number(std::int64_t lo, std::int64_t hi);
// A whole number, lo or more: "must be a whole number, 0 or more, not \"-5\"".
CLI::Validator whole_number_from(std::int64_t lo);
// A number (decimals allowed) from lo to hi: "must be a number from 0 to 100, not \"200\"".
CLI::Validator number_between(double lo, double hi);
// One of `allowed`: "must be one of table, jsonl, csv, not \"xml\"".
CLI::Validator one_of(std::vector<std::string> allowed);

// Parses an ISO 8601 instant given on the command line; nullopt (and a message on stderr) when it is not one.
std::optional<long long> parse_cli_time(const std::string& command, const std::string& flag, const std::string& text);

}  // namespace dvc
