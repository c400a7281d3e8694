// dvcrecon: one binary, one subcommand per job (docs/cli.md).
#include <iostream>
#include <string>
#include <vector>

#include "cli/alerts_command.hpp"
#include "cli/backup_command.hpp"
#include "cli/check_config_command.hpp"
#include "cli/demo_command.hpp"
#include "cli/mismatches_command.hpp"
#include "cli/reconcile_command.hpp"
#include "cli/report_command.hpp"
#include "cli/run_command.hpp"
#include "cli/serve_api_command.hpp"
#include "cli/sim_command.hpp"
#include "cli/verify_ledger_command.hpp"
#include "reconcile/printable.hpp"
#include "service/build_info.hpp"
#include "service/exit_codes.hpp"
#include "service/log.hpp"

namespace {

struct command {
  const char* name;
  int (*run)(const std::vector<std::string>& args);
  const char* summary;
};

const std::vector<command>& commands() {
  static const std::vector<command> all = {
      {"reconcile", dvc::reconcile_command, "offline: reconcile a provincial and a national export"},
      {"check-config", dvc::check_config_command, "check a configuration file and report every problem"},
      {"mismatches", dvc::mismatches_command, "review findings in the ledger: list, show KEY, ack ID, export"},
      {"report", dvc::report_command, "report sync-rate: share of dossiers fully synchronised, per unit"},
      {"verify-ledger", dvc::verify_ledger_command, "check the ledger file and its audit chain for tampering"},
      {"backup", dvc::backup_command, "copy the ledger, consistent, while the service runs"},
      {"serve-api", dvc::serve_api_command, "serve the API and dashboard over a ledger, without polling"},
      {"alerts", dvc::alerts_command, "alerts test: send a sample alert to every configured target"},
      {"run", dvc::run_command, "the service: poll both portals, reconcile, record findings"},
      {"demo", dvc::demo_command, "simulator, service, API and dashboard on this machine, no set-up"},
      {"sim", dvc::sim::sim_command, "the two portals, simulated on loopback"},
  };
  return all;
}

void usage(std::ostream& out) {
  out << "usage: dvcrecon COMMAND [options]   (dvcrecon COMMAND --help for its options)\n"
      << "       dvcrecon --version\n\ncommands:\n";
  for (const auto& c : commands())
    out << "  " << c.name << std::string(16 - std::string(c.name).size(), ' ') << c.summary << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return dvc::exit_code::usage;
  }
  dvc::log::set_sink(dvc::log::detect_sink());
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(std::cout);
    return dvc::exit_code::ok;
  }
  if (name == "--version") {
    std::cout << "dvcrecon " << dvc::build_version() << " (ledger schema " << dvc::build_schema_version() << ")\n";
    return dvc::exit_code::ok;
  }
  for (const auto& c : commands()) {
    if (name != c.name) continue;
    try {
      return c.run(std::vector<std::string>(argv + 2, argv + argc));
    } catch (const std::exception& e) {
      std::cerr << "dvcrecon " << name << ": " << dvc::printable(e.what()) << "\n";
      return dvc::exit_code::runtime;
    }
  }
  std::cerr << "dvcrecon: unknown command \"" << dvc::printable(name) << "\"\n";
  usage(std::cerr);
  return dvc::exit_code::usage;
}
