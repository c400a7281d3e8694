#include "cli/verify_ledger_command.hpp"

#include <iostream>

#include "cli/cli_parse.hpp"
#include "cli/operator_ledger.hpp"
#include "reconcile/printable.hpp"
#include "service/exit_codes.hpp"

namespace dvc {

int verify_ledger_command(const std::vector<std::string>& args) {
  CLI::App app("Check the ledger file, its audit chain, its findings and its records for damage or tampering",
               "verify-ledger");
  std::string config_path, expect_head_text;
  app.add_option("--config", config_path, "configuration file naming the ledger (and audit.key_file)")->required();
  app.add_option("--expect-head", expect_head_text,
                 "a chain head ID:HASH kept from an earlier log line or metric: the chain must still hold it");
  if (const auto stop = parse_cli(app, args)) return *stop;
  std::optional<chain_head_ref> expected;
  if (!expect_head_text.empty()) {
    expected = chain_head_ref::parse(expect_head_text);
    if (!expected) {
      std::cerr << "dvcrecon verify-ledger: --expect-head must be EVENT_ID:HASH (64 hex digits), as the "
                   "audit_chain_head log line gives it, not \""
                << printable(expect_head_text) << "\"\n";
      return exit_code::usage;
    }
  }

  int status = exit_code::ok;
  auto opened = open_operator_ledger("verify-ledger", config_path, status, config_use::ledger_audit);
  if (!opened) return status;
  const std::string where = opened->cfg.ledger.string();
  const auto failed = [&](const std::string& what) {
    std::cerr << "dvcrecon verify-ledger: " << where << ": " << printable(what) << "\n";
    return exit_code::findings_failure;
  };
  try {
    const std::optional<audit_key> key =
        opened->cfg.audit.key ? std::optional<audit_key>(audit_key(opened->cfg.audit.key->reveal())) : std::nullopt;
    const integrity_report integrity = opened->db.integrity_check();
    if (!integrity.ok) return failed("SQLite integrity check failed: " + integrity.message);

    const chain_report chain = opened->db.verify_chain(key ? &*key : nullptr);
    if (chain.needs_key) {
      std::cerr << "dvcrecon verify-ledger: " << where << ": " << chain.message << "; " << config_path
                << " names no audit.key_file\n";
      return exit_code::usage;
    }
    if (!chain.ok)
      return failed(chain.message +
                    (chain.first_broken_event_id
                         ? " (first broken event id " + std::to_string(*chain.first_broken_event_id) + ")"
                         : ""));
    const chain_report findings = opened->db.verify_findings();
    if (!findings.ok)
      return failed(findings.message +
                    (findings.first_broken_finding_id
                         ? " (first differing finding id " + std::to_string(*findings.first_broken_finding_id) + ")"
                         : ""));
    const records_report records = opened->db.verify_records(key ? &*key : nullptr);
    if (!records.ok)
      return failed(std::to_string(records.mismatched) + " stored record(s) altered; the first, " +
                    records.first_mismatch.value_or("?") + ": " + records.first_reason);
    if (expected && !opened->db.chain_contains(*expected))
      return failed("the chain does not hold the expected head " + expected->text() +
                    ": events up to it were altered or deleted, or the chain was rewritten");

    std::cout << where << ": integrity ok; " << chain.message << "; " << findings.message << "; "
              << records.records_checked << " records verified, " << records.bodies_removed
              << " bodies removed by retention" << (expected ? "; holds the expected head " + expected->text() : "")
              << "\n";
    std::cout << "chain head " << opened->db.chain_head().text() << "\n";
    return exit_code::ok;
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon verify-ledger: " << where << ": " << printable(e.what()) << "\n";
    return exit_code::runtime;
  }
}

}  // namespace dvc
