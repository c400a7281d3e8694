// docs/configuration.md#alerts: rules and targets read, every problem named by its key.
#include <doctest/doctest.h>

#include "config/config.hpp"
#include "tests/support/config_test_support.hpp"

using namespace dvc;
using dvc::test::has_problem;
using dvc::test::temp_dir;

namespace {

nlohmann::json with_alerts(const temp_dir& dir, nlohmann::json alerts) {
  auto j = test::valid_config(dir);
  j["alerts"] = std::move(alerts);
  return j;
}

nlohmann::json email(const temp_dir& dir) {
  const auto password = dir.write("smtp.secret", std::string(test::canary) + "-smtp\n");
  return {{"host", "smtp.example.gov.vn"},
          {"from", "dvcrecon@example.gov.vn"},
          {"to", {"truc-ban@example.gov.vn"}},
          {"username", "canh-bao"},
          {"password_file", password.string()}};
}

}  // namespace

TEST_CASE("alerts: rules, a webhook and e-mail load with their defaults") {
  temp_dir dir;
  const auto loaded = test::parse(with_alerts(dir, {{"rules",
                                                     {{"sync_rate_below_target", true},
                                                      {"sync_rate_below_percent", 80},
                                                      {"falsely_closed", true},
                                                      {"poll_stale_minutes", 30}}},
                                                    {"webhooks", {{{"url", "https://chat.example.gov.vn/hooks/x"}}}},
                                                    {"email", email(dir)}}),
                                  dir);
  INFO(test::all_messages(loaded.problems));
  REQUIRE(loaded.value);
  const alert_settings& a = loaded.value->alerts;
  CHECK(a.rules.sync_rate_below_target);
  CHECK(a.rules.sync_rate_below == 80);
  CHECK(a.rules.falsely_closed);
  CHECK(a.rules.poll_stale_minutes == 30);
  REQUIRE(a.webhooks.size() == 1);
  CHECK(a.webhooks[0].name == "webhook-1");
  REQUIRE(a.email);
  CHECK(a.email->port == 587);
  CHECK(a.email->password.reveal() == std::string(test::canary) + "-smtp");
  CHECK(a.target_names() == std::vector<std::string>{"webhook-1", "email"});
  CHECK(a.retry.max_attempts == 4);
}

TEST_CASE("alerts: without the key nothing is alerted") {
  temp_dir dir;
  const auto loaded = test::parse(test::valid_config(dir), dir);
  REQUIRE(loaded.value);
  CHECK_FALSE(loaded.value->alerts.rules.any());
  CHECK_FALSE(loaded.value->alerts.has_targets());
}

TEST_CASE("alerts: each wrong value is named by its key") {
  struct row {
    const char* name;
    nlohmann::json alerts;
    const char* path;
    const char* text;
  };
  temp_dir dir;
  const nlohmann::json hook = {{"url", "https://chat.example.gov.vn/x"}};
  const std::vector<row> rows = {
      {"unknown rule",
       {{"rules", {{"rate_low", true}}}, {"webhooks", {hook}}},
       "alerts.rules.rate_low",
       "poll_stale_minutes"},
      {"flag not boolean",
       {{"rules", {{"falsely_closed", "yes"}}}, {"webhooks", {hook}}},
       "alerts.rules.falsely_closed",
       "true or false"},
      {"threshold out of range",
       {{"rules", {{"sync_rate_below_percent", 120}}}, {"webhooks", {hook}}},
       "alerts.rules.sync_rate_below_percent",
       "100"},
      {"stale minutes zero",
       {{"rules", {{"poll_stale_minutes", 0}}}, {"webhooks", {hook}}},
       "alerts.rules.poll_stale_minutes",
       ""},
      {"rules without target", {{"rules", {{"falsely_closed", true}}}}, "alerts", "no target"},
      {"plain http webhook",
       {{"webhooks", {{{"url", "http://chat.example.gov.vn/x"}}}}},
       "alerts.webhooks[0].url",
       "loopback"},
      {"webhook without url", {{"webhooks", {nlohmann::json::object()}}}, "alerts.webhooks[0].url", ""},
      {"unknown webhook key",
       {{"webhooks", {{{"url", "https://a.example.vn/"}, {"secret", "x"}}}}},
       "alerts.webhooks[0].secret",
       ""},
      {"same name twice",
       {{"webhooks",
         {{{"url", "https://a.example.vn/"}, {"name", "chat"}}, {{"url", "https://b.example.vn/"}, {"name", "chat"}}}}},
       "alerts.webhooks[1].name",
       "twice"},
      {"bad name",
       {{"webhooks", {{{"url", "https://a.example.vn/"}, {"name", "Chat Room"}}}}},
       "alerts.webhooks[0].name",
       "lower-case"},
      {"mail host with port",
       {{"email", {{"host", "smtp.example.vn:25"}, {"from", "a@b.vn"}, {"to", {"c@d.vn"}}}}},
       "alerts.email.host",
       "without a port"},
      {"bad sender",
       {{"email", {{"host", "smtp.example.vn"}, {"from", "dvcrecon"}, {"to", {"c@d.vn"}}}}},
       "alerts.email.from",
       "e-mail address"},
      {"no recipient",
       {{"email", {{"host", "smtp.example.vn"}, {"from", "a@b.vn"}, {"to", nlohmann::json::array()}}}},
       "alerts.email.to",
       "non-empty"},
      {"bad recipient",
       {{"email", {{"host", "smtp.example.vn"}, {"from", "a@b.vn"}, {"to", {"c@d.vn", "x y@z"}}}}},
       "alerts.email.to[1]",
       "e-mail address"},
      {"user without password",
       {{"email", {{"host", "smtp.example.vn"}, {"from", "a@b.vn"}, {"to", {"c@d.vn"}}, {"username", "u"}}}},
       "alerts.email.password_file",
       ""},
      {"unknown alerts key", {{"webhook", {hook}}}, "alerts.webhook", ""},
  };
  for (const auto& r : rows) {
    const std::string name = r.name;
    CAPTURE(name);
    const auto loaded = test::parse(with_alerts(dir, r.alerts), dir);
    INFO(test::all_messages(loaded.problems));
    CHECK_FALSE(loaded.value);
    CHECK(has_problem(loaded.problems, r.path, r.text));
  }
}

TEST_CASE("alerts: the SMTP password file is a secret of the host, read only by the commands that send") {
  temp_dir dir;
  auto mail = email(dir);
  mail["password_file"] = (dir.path() / "missing.secret").string();
  const auto j = with_alerts(dir, {{"email", mail}});
  const auto service = test::parse(j, dir);
  CHECK_FALSE(service.value);
  CHECK(has_problem(service.problems, "alerts.email.password_file", "missing.secret"));
  CHECK(service.problems.at(0).origin == problem_origin::host);
  const auto reports = parse_config(j.dump(), dir.path(), {.use = config_use::ledger});
  CHECK(reports.value);
  const auto alerts = parse_config(j.dump(), dir.path(), {.use = config_use::alerts});
  CHECK_FALSE(alerts.value);
}
