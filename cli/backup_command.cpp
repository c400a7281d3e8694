#include "cli/backup_command.hpp"

#include <iostream>

#include "cli/cli_parse.hpp"
#include "cli/operator_ledger.hpp"
#include "service/exit_codes.hpp"

namespace dvc {

int backup_command(const std::vector<std::string>& args) {
  CLI::App app(
      "Copy the ledger, consistent as of one moment, while the service goes on running (SQLite online backup). The "
      "copy is checked and created readable by its owner only; an existing file is never overwritten.",
      "backup");
  std::string config_path, to;
  app.add_option("--config", config_path, "configuration file naming the ledger")->required();
  app.add_option("--to", to, "the new file to write the copy to")->required();
  if (const auto stop = parse_cli(app, args)) return *stop;

  int status = exit_code::ok;
  auto opened = open_operator_ledger("backup", config_path, status);
  if (!opened) return status;
  try {
    const auto report = opened->db.backup_to(to);
    std::cout << "backed up " << opened->cfg.ledger.string() << " to " << to << " (" << report.bytes
              << " bytes, schema version " << opened->db.schema_version() << ")\n";
    return exit_code::ok;
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon backup: " << e.what() << "\n";
    return exit_code::runtime;
  }
}

}  // namespace dvc
