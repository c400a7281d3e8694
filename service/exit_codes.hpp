#pragma once
// Exit statuses (docs/cli.md#exit-status-and-errors), one place for every command.
namespace dvc::exit_code {
inline constexpr int ok = 0;
inline constexpr int findings_failure = 1;  // e.g. verify-ledger found tampering
inline constexpr int usage = 2;             // usage or configuration error
inline constexpr int runtime = 3;           // runtime failure
}  // namespace dvc::exit_code
