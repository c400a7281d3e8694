#include "cli/mismatches_recheck.hpp"

#include <iostream>

#include "connectors/wall_clock.hpp"
#include "reconcile/printable.hpp"
#include "service/exit_codes.hpp"
#include "service/recheck.hpp"

namespace dvc {
namespace {

void print_side(std::string_view name, const side_recheck& s) {
  std::cout << "  " << name << ": " << outcome_name(s.result) << " (code " << printable(s.code) << ")";
  if (!s.message.empty()) std::cout << " - " << printable(s.message);
  std::cout << "\n";
}

void print_findings(std::string_view when, const std::vector<finding_row>& rows) {
  if (rows.empty()) std::cout << "  " << when << ": no findings\n";
  for (const auto& f : rows)
    std::cout << "  " << when << ": #" << f.id << " " << kind_name(f.kind) << " (" << printable(f.reason) << ") "
              << printable(f.state) << "\n";
}

}  // namespace

int recheck(operator_ledger& ol, const std::string& key, const std::string& format) {
  recheck_report r;
  try {
    r = recheck_now(ol.cfg, ol.db, key, wall_clock_now());
  } catch (const std::exception& e) {
    std::cerr << "dvcrecon mismatches recheck: " << printable(key) << ": " << e.what() << "\n";
    return exit_code::runtime;
  }
  if (format == "json") {
    std::cout << recheck_json(r).dump() << "\n";
  } else {
    std::cout << "recheck of " << r.key << " (run " << r.run_id << ")\n";
    print_side("provincial", r.provincial);
    print_side("national", r.national);
    print_findings("before", r.before);
    if (!r.evaluated) {
      std::cout << "  not re-evaluated: a portal could not be read; the findings are unchanged\n";
    } else {
      print_findings("after", r.after);
      if (r.pending) std::cout << "  pending: updated within the grace period, so nothing was raised or resolved yet\n";
      std::cout << "  raised " << r.counts.raised << ", resolved " << r.counts.resolved << ", reopened "
                << r.counts.reopened << "\n";
    }
  }
  return r.evaluated ? exit_code::ok : exit_code::runtime;
}

}  // namespace dvc
