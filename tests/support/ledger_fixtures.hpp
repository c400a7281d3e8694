#pragma once
// Shared helpers for the schema and service tests: temporary ledger files and small dossiers.
#include <filesystem>
#include <string>

#include "reconcile/dossier.hpp"
#include "reconcile/finding.hpp"
#include "schema/ledger.hpp"
#include "tests/support/temp_dir.hpp"

namespace dvc::test {

inline dossier make_dossier(side s, const std::string& key, int status = 4) {
  dossier d;
  d.origin = s;
  d.key = key;
  d.code = key;
  d.id = s == side::provincial ? "id-" + key : "";
  d.status = status;
  d.status_code = s == side::provincial ? (status == 9 ? "COMPLETED" : "PROCESSING") : std::to_string(status);
  d.procedure_code = "1.003560";
  d.unit_code = "000.00.12.H10";
  d.unit_name = "Sở Giao thông vận tải";
  d.channel = 2;
  d.online_payment = false;
  d.digitized = true;
  d.received = 1'720'000'000;
  d.due = 1'721'000'000;
  d.updated = 1'720'500'000;
  return d;
}

inline finding make_finding(const std::string& key, finding_kind kind, std::string_view why) {
  finding f;
  f.key = key;
  f.kind = kind;
  f.reason = std::string(why);
  f.unit_code = "000.00.12.H10";
  f.details = {{"why", std::string(why)}};
  return f;
}

inline std::pair<std::string, evaluation> raised(const std::string& key, std::vector<finding> findings) {
  evaluation e;
  e.findings = std::move(findings);
  return {key, std::move(e)};
}

inline std::pair<std::string, evaluation> pending(const std::string& key, std::vector<finding> findings = {}) {
  evaluation e;
  e.pending = true;
  e.findings = std::move(findings);
  return {key, std::move(e)};
}

}  // namespace dvc::test
