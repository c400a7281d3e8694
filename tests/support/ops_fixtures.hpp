#pragma once
// A small ledger for the operator tests, filled through the ledger API and the real rules: two units, four
// dossiers, three findings (missing_on_national, field_mismatch, missing_on_provincial), all in 2024-Q3.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "reconcile/finding.hpp"
#include "schema/ledger.hpp"
#include "schema/sha256.hpp"
#include "tests/support/temp_dir.hpp"

namespace dvc::ops_test {

inline constexpr const char* unit_a = "000.00.12.H10";
inline constexpr const char* unit_b = "000.00.13.H10";
inline constexpr const char* key_same = "000.00.12.H10-240703-0001";      // identical on both sides
inline constexpr const char* key_unpushed = "000.00.12.H10-240703-0002";  // provincial only
inline constexpr const char* key_channel = "000.00.13.H10-240703-0003";   // channel differs
inline constexpr const char* key_unknown = "000.00.13.H10-240703-0004";   // national only
inline constexpr instant received = 1'720'000'000;                        // 2024-07-03, Vietnam time
inline constexpr instant as_of = received + 10 * 86400;
// An operator's token (may acknowledge) and a reader's (may see personal data), both of the length required.
inline constexpr const char* token = "correct-horse-battery-staple-0123456789";
inline constexpr const char* operator_name = "Lê Văn Cường";
inline constexpr const char* read_token = "so-tttt-dashboard-reader-token-abcdef0123";
inline constexpr const char* reader_name = "so-tttt";

using test::temp_dir;

inline dossier make(side s, const std::string& key, const std::string& unit, const std::string& unit_name) {
  dossier d;
  d.origin = s;
  d.key = key;
  d.code = key;
  d.id = s == side::provincial ? "id-" + key : "";
  d.status = 4;
  d.status_code = s == side::provincial ? "PROCESSING" : "4";
  d.procedure_code = "1.003560";
  d.procedure_name = "Cấp giấy phép lái xe";
  d.unit_code = unit;
  d.unit_name = unit_name;
  d.applicant_name = "Nguyễn Văn An";
  d.channel = 2;
  d.online_payment = false;
  d.digitized = true;
  d.received = received;
  d.due = received + 30 * 86400;
  d.updated = received + 3600;
  return d;
}

// Records both sides as given, evaluates every key with the real rules at `at` (unit codes resolved through
// `successions` when given), as one offline run.
inline void reconcile_into(ledger& db, const std::vector<dossier>& records, instant at,
                           const unit_successions* successions = nullptr) {
  const auto run = db.begin_run(run_mode::offline, at, at, 1800);
  {
    auto batch = db.begin_batch(run, at);
    for (const auto& d : records) batch.upsert_record(d, facts_of(d));
    batch.commit();
  }
  std::vector<std::pair<std::string, evaluation>> evaluated;
  db.each_dossier_pair([&](const dossier_facts* p, const dossier_facts* n) {
    evaluated.emplace_back(p ? p->key : n->key, evaluate(p, n, evaluation_context{at, 1800, successions}));
  });
  const auto counts = db.apply_evaluations(run, at, evaluated);
  run_summary summary;
  summary.ended_at = at;
  summary.raised = counts.raised;
  summary.resolved = counts.resolved;
  summary.reopened = counts.reopened;
  db.finish_run(run, summary);
}

inline std::vector<dossier> first_world() {
  auto channel_p = make(side::provincial, key_channel, unit_b, "Sở Tư pháp");
  auto channel_n = make(side::national, key_channel, unit_b, "Sở Tư pháp");
  channel_n.channel = 1;
  return {make(side::provincial, key_same, unit_a, "Sở Giao thông vận tải"),
          make(side::national, key_same, unit_a, "Sở Giao thông vận tải"),
          make(side::provincial, key_unpushed, unit_a, "Sở Giao thông vận tải"),
          channel_p,
          channel_n,
          make(side::national, key_unknown, unit_b, "Sở Tư pháp")};
}

// A config naming the ledger in `dir`, with an operator's and a reader's token unless `with_token` is false.
inline config make_config(const temp_dir& dir, bool with_token = true) {
  config cfg;
  cfg.file = dir.file("config.json");
  cfg.ledger = dir.file("ledger.db");
  cfg.http.listen = {"127.0.0.1", 0};
  if (with_token)
    cfg.http.tokens = {{operator_name, sha256_hex(token), token_scope::ack},
                       {reader_name, sha256_hex(read_token), token_scope::read}};
  cfg.units = {{unit_a, "Sở Giao thông vận tải"}, {unit_b, "Sở Tư pháp"}};
  return cfg;
}

// The fixture ledger at cfg.ledger after one run over first_world().
inline void build_ledger(const config& cfg) {
  auto db = ledger::open(cfg.ledger.string());
  reconcile_into(db, first_world(), as_of);
}

// A file only its owner may read or write, as secret files must be.
inline void write_private(const std::string& path, const std::string& content) {
  std::ofstream(path) << content;
  ::chmod(path.c_str(), 0600);
}

// The ledger and the two portals' sections of every configuration file these tests write, with the secret files
// they name written to `dir`.
inline nlohmann::json portals_config(const temp_dir& dir) {
  write_private(dir.file("provincial.secret"), "p-secret\n");
  write_private(dir.file("national.secret"), "n-secret\n");
  return {{"ledger", "ledger.db"},
          {"provincial",
           {{"base_url", "http://127.0.0.1:9/api"},
            {"token_url", "http://127.0.0.1:9/token"},
            {"client_id", "dvcrecon"},
            {"client_secret_file", "provincial.secret"}}},
          {"national",
           {{"base_url", "http://127.0.0.1:9/adapter"},
            {"dstcode", "H10"},
            {"madonvi", "000.00.00.H10"},
            {"username", "dvcrecon"},
            {"password_file", "national.secret"}}}};
}

// Writes `j` as the configuration file in `dir`; returns its path.
inline std::string write_config_json(const temp_dir& dir, const nlohmann::json& j) {
  std::ofstream(dir.file("config.json")) << j.dump(2);
  return dir.file("config.json");
}

// A configuration file in `dir` for the commands, naming the same ledger, units and tokens as make_config.
inline std::string write_config_file(const temp_dir& dir) {
  nlohmann::json j = portals_config(dir);
  const nlohmann::json tokens = {{"tokens",
                                  {{{"name", operator_name}, {"scope", "ack"}, {"sha256", sha256_hex(token)}},
                                   {{"name", reader_name}, {"scope", "read"}, {"sha256", sha256_hex(read_token)}}}}};
  write_private(dir.file("api-tokens.json"), tokens.dump(2));
  j["units"] = {{{"code", unit_a}, {"name", "Sở Giao thông vận tải"}}, {{"code", unit_b}, {"name", "Sở Tư pháp"}}};
  j["http"] = {{"listen", "127.0.0.1:0"}, {"tokens_file", "api-tokens.json"}};
  return write_config_json(dir, j);
}

// A configuration file for the commands and the fixture ledger it names.
struct commands_fixture {
  temp_dir dir;
  std::string config_path = write_config_file(dir);
  commands_fixture() { build_ledger(make_config(dir)); }
};

// What a command returned and printed.
struct outcome {
  int status;
  std::string out, err;
};

// Runs a command with stdout and stderr captured.
inline outcome run(int (*command)(const std::vector<std::string>&), std::vector<std::string> args) {
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  const int status = command(args);
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  return {status, out.str(), err.str()};
}

}  // namespace dvc::ops_test
