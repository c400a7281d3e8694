#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/mismatches_command.hpp"
#include "cli/report_command.hpp"
#include "cli/verify_ledger_command.hpp"
#include "connectors/wall_clock.hpp"
#include "service/exit_codes.hpp"
#include "tests/support/ops_fixtures.hpp"

using namespace dvc;
using namespace dvc::ops_test;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void exec_sql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("report sync-rate: JSON rows, CSV with BOM, a table with rate, target and gap") {
  commands_fixture f;
  auto r = run(report_command, {"sync-rate", "--config", f.config_path, "--format", "json"});
  REQUIRE(r.status == exit_code::ok);
  const auto rows = nlohmann::json::parse(r.out);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0]["unit_name"] == "Sở Giao thông vận tải");
  CHECK(rows[0]["rate"] == 0.5);
  CHECK(rows[2]["unit_code"].is_null());

  // The rate and the target both in percent (docs/cli.md#report-sync-rate), never a fraction beside a percentage.
  r = run(report_command,
          {"sync-rate", "--config", f.config_path, "--format", "csv", "--lang", "en", "--period", "2024-07"});
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.out.rfind("\xEF\xBB\xBFunit_code,unit_name,period,total,synced,not_synced,not_evaluated,rate_percent,"
                    "target_percent,rate_note,current_code,former_codes,formerly\r\n",
                    0) == 0);
  CHECK(r.out.find("000.00.12.H10,Sở Giao thông vận tải,2024-07,2,1,1,0,50.00,100.00,,,,\r\n") != std::string::npos);
  r = run(report_command, {"sync-rate", "--config", f.config_path, "--format", "csv", "--period", "2024-07"});
  CHECK(r.out.rfind("\xEF\xBB\xBFMã đơn vị,Tên đơn vị,Kỳ,Tổng số hồ sơ,", 0) == 0);

  r = run(report_command, {"sync-rate", "--config", f.config_path});
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.out.find("Toàn tỉnh") != std::string::npos);
  CHECK(r.out.find("50.00") != std::string::npos);   // rate %
  CHECK(r.out.find("-50.00") != std::string::npos);  // gap to the 100 % target

  r = run(report_command, {"sync-rate", "--config", f.config_path, "--period", "2024-Q5"});
  CHECK(r.status == exit_code::usage);
  CHECK(r.err.find("2024-Q5") != std::string::npos);
}

TEST_CASE("operator commands name the missing ledger or bad configuration and do not create a ledger") {
  temp_dir dir;
  const auto path = write_config_file(dir);
  auto r = run(report_command, {"sync-rate", "--config", path});
  CHECK(r.status == exit_code::runtime);
  CHECK(r.err.find("ledger.db") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("ledger.db")));
  r = run(verify_ledger_command, {"--config", dir.file("absent.json")});
  CHECK(r.status == exit_code::usage);
  CHECK(r.err.find("absent.json") != std::string::npos);
}

TEST_CASE("mismatches list: table with unit names, JSON lines, filters") {
  commands_fixture f;
  auto r = run(mismatches_command, {"list", "--config", f.config_path});
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.out.find("Sở Tư pháp") != std::string::npos);
  CHECK(r.out.find(key_unpushed) != std::string::npos);
  CHECK(r.err.find("3 of 3") != std::string::npos);

  r = run(mismatches_command, {"list", "--config", f.config_path, "--format", "jsonl", "--unit", unit_b});
  REQUIRE(r.status == exit_code::ok);
  CHECK(lines_of(r.out).size() == 2);
  r = run(mismatches_command, {"--config", f.config_path, "list", "--format", "jsonl", "--search", "0002"});
  REQUIRE(lines_of(r.out).size() == 1);
  CHECK(nlohmann::json::parse(r.out)["kind"] == "missing_on_national");
  r = run(mismatches_command, {"list", "--config", f.config_path, "--format", "jsonl", "--state", "resolved"});
  CHECK(r.out.empty());
  r = run(mismatches_command, {"list", "--config", f.config_path, "--kind", "lost"});
  CHECK(r.status == exit_code::usage);
  CHECK(r.err.find("lost") != std::string::npos);
  r = run(mismatches_command, {"list", "--config", f.config_path, "--since", "not a time"});
  CHECK(r.status == exit_code::usage);
}

TEST_CASE("mismatches show: both sides with the differing field marked, findings with history") {
  commands_fixture f;
  auto r = run(mismatches_command, {"show", key_channel, "--config", f.config_path});
  REQUIRE(r.status == exit_code::ok);
  std::string channel_line;
  for (const auto& line : lines_of(r.out))
    if (line.find("Kênh thực hiện") != std::string::npos) channel_line = line;
  CHECK(channel_line.find("≠") != std::string::npos);
  CHECK(channel_line.find("2 Trực tuyến") != std::string::npos);
  CHECK(channel_line.find("1 Trực tiếp") != std::string::npos);
  CHECK(r.out.find("field_mismatch") != std::string::npos);
  CHECK(r.out.find("opened") != std::string::npos);
  for (const auto& line : lines_of(r.out))
    if (line.find("Mã thủ tục") != std::string::npos) CHECK(line.find("≠") == std::string::npos);

  r = run(mismatches_command, {"show", "000.00.12.H10-990101-0404", "--config", f.config_path});
  CHECK(r.status == exit_code::usage);
  CHECK(r.err.find("000.00.12.H10-990101-0404") != std::string::npos);
}

TEST_CASE("mismatches ack records who and why without resolving; export writes open findings as CSV") {
  commands_fixture f;
  auto listed = run(mismatches_command, {"list", "--config", f.config_path, "--format", "jsonl", "--search", "0002"});
  const auto id = nlohmann::json::parse(listed.out)["id"].get<std::int64_t>();
  auto r = run(mismatches_command, {"ack", std::to_string(id), "--note", "Đã yêu cầu đồng bộ lại", "--by",
                                    "Lê Văn Cường", "--config", f.config_path});
  REQUIRE(r.status == exit_code::ok);
  listed = run(mismatches_command, {"list", "--config", f.config_path, "--format", "jsonl", "--search", "0002"});
  const auto j = nlohmann::json::parse(listed.out);
  CHECK(j["state"] == "open");
  CHECK(j["ack"]["by"] == "Lê Văn Cường");

  r = run(mismatches_command, {"ack", "424242", "--note", "x", "--config", f.config_path});
  CHECK(r.status == exit_code::usage);
  CHECK(r.err.find("424242") != std::string::npos);

  r = run(mismatches_command, {"export", "--format", "csv", "--config", f.config_path});
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.out.rfind("\xEF\xBB\xBFSố phát hiện,Mã hồ sơ (khoá đối soát),", 0) == 0);
  CHECK(lines_of(r.out).size() == 4);
  r = run(mismatches_command, {"export", "--format", "jsonl", "--config", f.config_path});
  CHECK(lines_of(r.out).size() == 3);

  // `list --format csv` writes the export's rows, in the list's order: the same lines, no JSON in a cell.
  const auto exported = run(mismatches_command, {"export", "--format", "csv", "--config", f.config_path});
  const auto csv = run(mismatches_command, {"list", "--format", "csv", "--config", f.config_path});
  REQUIRE(csv.status == exit_code::ok);
  auto export_lines = lines_of(exported.out), list_lines = lines_of(csv.out);
  REQUIRE(list_lines.size() == 4);
  CHECK(list_lines.front() == export_lines.front());
  std::sort(export_lines.begin() + 1, export_lines.end());
  std::sort(list_lines.begin() + 1, list_lines.end());
  CHECK(list_lines == export_lines);
  CHECK(csv.out.find('{') == std::string::npos);
  CHECK(csv.out.find("Đã yêu cầu đồng bộ lại") != std::string::npos);  // the ack's note
}

TEST_CASE("export without --all leaves resolved findings out; --all includes them") {
  commands_fixture f;
  {
    auto db = ledger::open(make_config(f.dir).ledger.string());
    auto world = first_world();
    world.push_back(make(side::national, key_unpushed, unit_a, "Sở Giao thông vận tải"));
    reconcile_into(db, world, as_of + 3600);
  }
  auto r = run(mismatches_command, {"export", "--format", "jsonl", "--config", f.config_path});
  CHECK(lines_of(r.out).size() == 2);
  r = run(mismatches_command, {"export", "--format", "jsonl", "--all", "--config", f.config_path});
  CHECK(lines_of(r.out).size() == 3);
}

TEST_CASE("verify-ledger: 0 when intact, 1 naming the event after an UPDATE or a DELETE behind its back") {
  commands_fixture f;
  const std::string db_path = make_config(f.dir).ledger.string();
  auto r = run(verify_ledger_command, {"--config", f.config_path});
  CHECK(r.status == exit_code::ok);
  CHECK(r.out.find("intact") != std::string::npos);

  SUBCASE("update") {
    exec_sql(db_path, "UPDATE events SET cause = 'edited' WHERE id = 2");
    r = run(verify_ledger_command, {"--config", f.config_path});
    CHECK(r.status == exit_code::findings_failure);
    CHECK(r.err.find("event id 2") != std::string::npos);
  }
  SUBCASE("delete") {
    exec_sql(db_path, "DELETE FROM events WHERE id = (SELECT max(id) FROM events)");
    r = run(verify_ledger_command, {"--config", f.config_path});
    CHECK(r.status == exit_code::findings_failure);
    CHECK(r.err.find("event") != std::string::npos);
  }
}

TEST_CASE("the operators' reading commands need the ledger alone; ack and verify-ledger also need the audit key") {
  commands_fixture f;
  // As an operator sees the service's configuration from a shell: the secrets are the service's credentials.
  auto j = nlohmann::json::parse(std::ifstream(f.config_path));
  j["provincial"]["client_secret_file"] = "${CREDENTIALS_DIRECTORY}/provincial";
  j["national"]["password_file"] = "${CREDENTIALS_DIRECTORY}/national";
  j["national"]["ca_file"] = "/nonexistent/ca.pem";
  j["http"]["tokens_file"] = "${CREDENTIALS_DIRECTORY}/api-tokens";
  j["audit"] = {{"key_file", "${CREDENTIALS_DIRECTORY}/audit-key"}};
  std::ofstream(f.config_path) << j.dump(2);
  unsetenv("CREDENTIALS_DIRECTORY");

  const auto reads_work = [&] {
    const std::vector<std::vector<std::string>> reads = {
        {"list"}, {"show", key_channel}, {"export", "--format", "csv"}, {"export", "--format", "jsonl", "--all"}};
    for (auto args : reads) {
      args.insert(args.end(), {"--config", f.config_path});
      const auto r = run(mismatches_command, args);
      CAPTURE(args[0]);
      INFO(r.err);
      CHECK(r.status == exit_code::ok);
      CHECK(!r.out.empty());
    }
    const auto r = run(report_command, {"sync-rate", "--config", f.config_path, "--format", "json"});
    CHECK(r.status == exit_code::ok);
  };
  reads_work();

  // Writing to the chain or checking it without the key would leave the chain unkeyed or unchecked: refused,
  // saying what is missing and where it comes from.
  auto r = run(mismatches_command, {"list", "--config", f.config_path, "--format", "jsonl", "--search", "0002"});
  const auto id = std::to_string(nlohmann::json::parse(r.out)["id"].get<std::int64_t>());
  for (const auto& refused : {run(verify_ledger_command, {"--config", f.config_path}),
                              run(mismatches_command, {"ack", id, "--note", "x", "--config", f.config_path})}) {
    CHECK(refused.status == exit_code::usage);
    CHECK(refused.err.find("audit.key_file: CREDENTIALS_DIRECTORY is not set") != std::string::npos);
    CHECK(refused.err.find("set CREDENTIALS_DIRECTORY to the directory") != std::string::npos);
  }

  // With the credentials where systemd takes them from, as root would run them.
  temp_dir creds;
  write_private(creds.file("audit-key"), std::string(64, 'k') + "\n");
  setenv("CREDENTIALS_DIRECTORY", creds.path().c_str(), 1);
  r = run(mismatches_command, {"ack", id, "--note", "đã kiểm tra", "--config", f.config_path});
  INFO(r.err);
  CHECK(r.status == exit_code::ok);
  r = run(verify_ledger_command, {"--config", f.config_path});
  CHECK(r.status == exit_code::ok);
  CHECK(r.out.find("keyed") != std::string::npos);
  unsetenv("CREDENTIALS_DIRECTORY");
  // The ack keyed the chain; reading it still needs no key.
  reads_work();
}

TEST_CASE("report sync-rate before the first complete evaluation: 'chưa đánh giá', no rate, and says why") {
  temp_dir dir;
  const auto path = write_config_file(dir);
  {
    auto db = ledger::open(make_config(dir).ledger.string());
    const auto run = db.begin_run(run_mode::service, as_of, as_of, 1800);
    auto batch = db.begin_batch(run, as_of);
    for (const auto& d : first_world()) batch.upsert_record(d, facts_of(d));
    batch.commit();
  }
  auto r = run(report_command, {"sync-rate", "--config", path});
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.err.find("no complete evaluation yet") != std::string::npos);
  std::size_t not_evaluated_rows = 0;
  for (const auto& line : lines_of(r.out))
    if (line.find("2024-Q3") != std::string::npos) {
      CHECK(line.find("chưa đánh giá") != std::string::npos);
      CHECK(line.find("%") == std::string::npos);
      ++not_evaluated_rows;
    }
  CHECK(not_evaluated_rows == 3);
  r = run(report_command, {"sync-rate", "--config", path, "--format", "csv"});
  CHECK(r.out.find("000.00.12.H10,Sở Giao thông vận tải,2024-Q3,0,0,0,2,,100.00,chưa đánh giá,,,\r\n") !=
        std::string::npos);
}

TEST_CASE("report sync-rate on a brand-new ledger: every configured unit 'chưa đánh giá', never an empty report") {
  temp_dir dir;
  const auto path = write_config_file(dir);
  { ledger::open(make_config(dir).ledger.string()); }  // the service's first start: no run yet
  const std::string quarter = period::of(wall_clock_now(), period::granularity::quarter).to_string();
  struct row {
    std::vector<std::string> period_args;
    std::string period;
  };
  for (const row& p :
       {row{{}, quarter}, row{{"--period", "2024-Q1"}, "2024-Q1"}, row{{"--period", "2024-07"}, "2024-07"}}) {
    CAPTURE(p.period);
    std::vector<std::string> args = {"sync-rate", "--config", path};
    args.insert(args.end(), p.period_args.begin(), p.period_args.end());
    auto r = run(report_command, args);
    REQUIRE(r.status == exit_code::ok);
    CHECK(r.err.find("no complete evaluation yet") != std::string::npos);
    std::size_t rows = 0;
    for (const auto& line : lines_of(r.out))
      if (line.find(p.period) != std::string::npos) {
        CHECK(line.find("chưa đánh giá") != std::string::npos);
        ++rows;
      }
    CHECK(rows == 3);  // both units and the province

    args.insert(args.end(), {"--format", "json"});
    r = run(report_command, args);
    REQUIRE(r.status == exit_code::ok);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.size() == 3);
    CHECK(j[0]["unit_code"] == unit_a);
    CHECK(j[1]["unit_code"] == unit_b);
    for (const auto& e : j) {
      CHECK(e["period"] == p.period);
      CHECK(e["rate"].is_null());
      CHECK(e["evaluated"] == false);
      CHECK(e["rate_note"] == "chưa đánh giá");
    }
  }
}

TEST_CASE("verify-ledger: bodies removed by retention pass and are counted; a body deleted behind its back fails") {
  commands_fixture f;
  const std::string db_path = make_config(f.dir).ledger.string();
  const std::string closed_key = "000.00.12.H10-240703-0009";
  {
    auto db = ledger::open(db_path);
    auto world = first_world();
    for (const side s : {side::provincial, side::national}) {
      auto d = make(s, closed_key, unit_a, "Sở Giao thông vận tải");
      d.status = 9;
      d.status_code = s == side::provincial ? "COMPLETED" : "9";
      d.completed = d.updated = received + 86400;
      d.results.push_back({});
      d.results.back().name = "Giấy phép";
      world.push_back(d);
    }
    reconcile_into(db, world, as_of + 3600);
    REQUIRE(db.findings_for_key(closed_key).empty());
    const auto run_id = db.latest_run({run_status::ok})->id;
    CHECK(db.remove_closed_bodies("", 100, {as_of, run_id, as_of + 3600}).bodies_removed == 2);
  }
  auto r = run(verify_ledger_command, {"--config", f.config_path});
  INFO(r.err);
  CHECK(r.status == exit_code::ok);
  CHECK(r.out.find("2 bodies removed by retention") != std::string::npos);
  r = run(mismatches_command, {"show", closed_key, "--config", f.config_path});
  CHECK(r.status == exit_code::ok);
  CHECK(r.out.find("nội dung đã xoá theo thời hạn lưu trữ") != std::string::npos);

  exec_sql(db_path, "DELETE FROM record_bodies WHERE record_id = (SELECT id FROM records WHERE key = '" +
                        std::string(key_same) + "' AND side = 'provincial')");
  r = run(verify_ledger_command, {"--config", f.config_path});
  CHECK(r.status == exit_code::findings_failure);
  CHECK(r.err.find("provincial " + std::string(key_same)) != std::string::npos);
}
