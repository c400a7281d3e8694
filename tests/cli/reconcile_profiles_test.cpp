// `dvcrecon reconcile --provincial-profile/--national-profile` (docs/cli.md#reconcile): exports of any shape read
// through profiles by name or file; a profile that cannot be used exits 2 naming its file and key. And `mismatches
// show` says which fields a side does not give.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli/mismatches_command.hpp"
#include "cli/reconcile_command.hpp"
#include "service/exit_codes.hpp"
#include "tests/support/ops_fixtures.hpp"

using namespace dvc;
using namespace dvc::ops_test;

TEST_CASE("reconcile reads exports through named profiles and profile files") {
  temp_dir dir;
  // One dossier in the third shape of tests/data/profiles (the suite runs in tests/), done on both sides; national
  // gives no steps, so progress is not compared there, and its due date differs.
  const auto line = [](const char* record) { return nlohmann::json::parse(record).dump() + "\n"; };
  const auto provincial = dir.write("p.jsonl", line(R"({"meta": {"uuid": "1"},
        "hoSo": {"soHoSo": "000.00.12.H10-240715-0001"}, "trangThai": {"ma": "da_tra"},
        "coQuan": {"ma": "000.00.12.H10"}, "kenh": "TRUC_TUYEN", "soHoa": 0, "thanhToan": "N",
        "thuTuc": {"ma": "1.003560"}, "moc": {"nhan": 1721005200000, "hen": "20/07/2024 17:00:00",
        "xong": 1721271600000, "capNhat": 1721275200000}, "ketQua": [{"so": "KQ"}],
        "quyTrinh": {"buoc": [{"ketThuc": 1721271600000, "dangXuLy": "N"}]}})"));
  const auto national = dir.write("n.jsonl", line(R"({"ma": "000.00.12.H10-240715-0001", "trangThai": 10,
        "thuTuc": "1.003560.000.00.00.H10", "donVi": {"ma": "000.00.12.H10"}, "kenh": 2, "daThanhToan": false,
        "soHoa": "0", "nhan": "2024-07-15T01:00:00Z", "hen": "2024-07-21T10:00:00Z", "xong": "2024-07-18T03:00:00Z",
        "giayTo": [{"ten": "KQ"}]})"));
  auto r =
      run(reconcile_command, {"--provincial", provincial.string(), "--national", national.string(),
                              "--provincial-profile", "data/profiles/shape-c-provincial.json", "--national-profile",
                              "data/profiles/shape-c-national.json", "--as-of", "2024-07-25T10:00:00+07:00"});
  REQUIRE(r.status == exit_code::ok);
  const auto finding = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')));
  CHECK(finding["kind"] == "deadline_mismatch");
  CHECK(r.out.find('\n') == r.out.size() - 1);  // the only finding
  CHECK(finding["details"]["not_evaluated"] ==
        nlohmann::json::array({"falsely_closed/steps_after_completion (national: steps unknown)",
                               "progress_not_synced/missing_steps (national: steps unknown)"}));

  // The same files through the contract profiles: not one record can be read.
  r = run(reconcile_command, {"--provincial", provincial.string(), "--national", national.string()});
  CHECK(r.status == exit_code::usage);

  const auto bad = dir.write("shape-x.json", R"({"name": "x", "side": "provincial", "protocol": "rest",
    "auth": {}, "list": {}, "record": {"fields": {"channel": {"path": "c", "table": "chanel"}}}})");
  r = run(reconcile_command,
          {"--provincial", provincial.string(), "--national", national.string(), "--provincial-profile", bad.string()});
  CHECK(r.status == exit_code::usage);
  CHECK(r.err.find(bad.string() + ": record.fields.channel.table: no table \"chanel\"") != std::string::npos);
  r = run(reconcile_command,
          {"--provincial", provincial.string(), "--national", national.string(), "--national-profile", "shape-z"});
  CHECK(r.status == exit_code::usage);
  CHECK(r.err.find("no shipped national profile") != std::string::npos);
}

TEST_CASE("mismatches show names the fields a side does not give") {
  temp_dir dir;
  const std::string config_path = write_config_file(dir);
  auto records = first_world();
  for (auto& d : records)
    if (d.origin == side::national) {
      d.unknown.insert(canonical_field::steps);
      d.unknown.insert(canonical_field::results);
    }
  {
    auto db = ledger::open(make_config(dir).ledger.string());
    reconcile_into(db, records, as_of);
    // The facts keep the unknown set, for re-evaluation without the bodies.
    const auto facts = db.load_facts(side::national, std::vector<std::string>{key_channel});
    REQUIRE(facts.size() == 1);
    CHECK(facts[0].unknown.names() == "results, steps");
  }
  const auto r = run(mismatches_command, {"show", key_channel, "--config", config_path});
  REQUIRE(r.status == exit_code::ok);
  CHECK(r.out.find("Cổng DVCQG không cung cấp (không kiểm tra được các quy tắc cần đến): results, steps") !=
        std::string::npos);
  CHECK(r.out.find("Hệ thống tỉnh không cung cấp") == std::string::npos);
  CHECK(r.out.find("progress_not_synced/missing_steps (national: steps unknown)") != std::string::npos);
}
