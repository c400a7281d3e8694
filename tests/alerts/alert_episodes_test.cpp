// Alerts after a service cycle: each episode fires once and resolves once, what a target did not take is sent on a
// later cycle, and a restart sends nothing twice (docs/configuration.md#alerts).
#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>

#include "alerts/alert_cycle.hpp"
#include "alerts/alert_rules.hpp"
#include "alerts/alert_text.hpp"
#include "reports/labels.hpp"
#include "tests/support/temp_dir.hpp"

using namespace dvc;
using dvc::test::temp_dir;
namespace asio = boost::asio;

namespace {

template <class T>
T run(asio::awaitable<T> work) {
  asio::io_context io;
  std::optional<T> out;
  std::exception_ptr failure;
  asio::co_spawn(io, std::move(work), [&](std::exception_ptr e, T value) {
    failure = e;
    out = std::move(value);
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

// Records every webhook body; fails while `failing` is set.
struct recorder {
  std::vector<nlohmann::json> bodies;
  bool failing = false;
  alert_senders senders() {
    alert_senders s;
    s.webhook = [this](const webhook_target&, std::string body) -> asio::awaitable<std::optional<std::string>> {
      if (failing) co_return std::optional<std::string>("HTTP 500");
      bodies.push_back(nlohmann::json::parse(body));
      co_return std::nullopt;
    };
    s.mail = [](const email_target&, const mail_text&) -> asio::awaitable<std::optional<std::string>> {
      co_return std::optional<std::string>("no mail in this test");
    };
    return s;
  }
  // (event, rule, subject) of every alert sent so far, in order.
  std::vector<std::string> events() const {
    std::vector<std::string> out;
    for (const auto& b : bodies)
      for (const auto& a : b.at("alerts"))
        out.push_back(a.at("event").get<std::string>() + " " + a.at("rule").get<std::string>() + " " +
                      a.at("subject").get<std::string>());
    return out;
  }
};

config stale_config() {
  config c;
  c.alerts.rules.poll_stale_minutes = 10;
  c.alerts.webhooks.push_back({"chat", "https://chat.example.gov.vn/hooks/x", {}});
  return c;
}

constexpr instant t0 = 1'720'000'000;

service_status polled(maybe_instant provincial, maybe_instant national) {
  service_status s;
  s.started_at = t0 - 3600;
  s.provincial.last_success = provincial;
  s.national.last_success = national;
  return s;
}

}  // namespace

TEST_CASE("a stale side fires once per episode, then its resolution once") {
  temp_dir dir;
  auto db = ledger::open((dir.path() / "ledger.db").string());
  const config cfg = stale_config();
  recorder rec;
  const auto send = rec.senders();
  const cycle_report r;  // partial: nothing evaluated; the polls are judged all the same

  const auto stale = polled(t0 - 20 * 60, t0 - 60);
  auto report = run(alerts_after_cycle(cfg, db, stale, r, send, t0));
  CHECK(report.changes.fired == 1);
  CHECK(rec.events() == std::vector<std::string>{"fired poll_stale provincial"});
  CHECK(rec.bodies.at(0).at("alerts").at(0).at("title").get<std::string>().find("hệ thống một cửa") !=
        std::string::npos);

  // Still stale a cycle later: the same episode, nothing sent.
  report = run(alerts_after_cycle(cfg, db, stale, r, send, t0 + 300));
  CHECK(report.changes.fired == 0);
  CHECK(rec.bodies.size() == 1);

  const auto fresh = polled(t0 + 500, t0 + 500);
  report = run(alerts_after_cycle(cfg, db, fresh, r, send, t0 + 600));
  CHECK(report.changes.resolved == 1);
  CHECK(rec.events() == std::vector<std::string>{"fired poll_stale provincial", "resolved poll_stale provincial"});
  run(alerts_after_cycle(cfg, db, fresh, r, send, t0 + 900));
  CHECK(rec.bodies.size() == 2);

  // Stale again: a new episode.
  run(alerts_after_cycle(cfg, db, polled(t0 + 1200 - 20 * 60, t0 + 1150), r, send, t0 + 1200));
  CHECK(rec.events().back() == "fired poll_stale provincial");
  CHECK(db.alert_episodes(false).size() == 2);
  // The dashboard's recent episodes: the resolved one, not the one open again.
  const auto resolved = db.resolved_alert_episodes(10);
  REQUIRE(resolved.size() == 1);
  CHECK(resolved[0].resolved_at == t0 + 600);
  CHECK(resolved[0].subject == "provincial");
  CHECK(db.resolved_alert_episodes(0).empty());
}

TEST_CASE("a delivery that fails is owed until a later cycle delivers it, and a restart sends nothing twice") {
  temp_dir dir;
  const auto path = (dir.path() / "ledger.db").string();
  const config cfg = stale_config();
  recorder rec;
  const auto send = rec.senders();
  const cycle_report r;
  const auto stale = polled(std::nullopt, t0 + 590);  // provincial never read: stale since the start, an hour ago
  {
    auto db = ledger::open(path);
    rec.failing = true;
    auto report = run(alerts_after_cycle(cfg, db, stale, r, send, t0));
    REQUIRE(report.targets.size() == 1);
    CHECK(report.targets[0].error == "HTTP 500");
    CHECK(db.owed_alert_count("chat") == 1);
    rec.failing = false;
    report = run(alerts_after_cycle(cfg, db, stale, r, send, t0 + 300));
    CHECK(report.changes.fired == 0);
    CHECK(rec.events() == std::vector<std::string>{"fired poll_stale provincial"});
    CHECK(db.owed_alert_count("chat") == 0);
  }
  auto reopened = ledger::open(path);
  run(alerts_after_cycle(cfg, reopened, stale, r, send, t0 + 600));
  CHECK(rec.bodies.size() == 1);
}

TEST_CASE("the rules judge only what the cycle could see") {
  alert_rules rules;
  rules.sync_rate_below_target = true;
  rules.sync_rate_below = 80;
  rules.falsely_closed = true;
  const auto row = [](std::string unit, std::optional<double> rate, double target) {
    sync_rate_row r;
    r.unit_code = unit;
    r.unit_name = "Sở " + unit;
    r.period = "2024-Q3";
    r.total = 10;
    r.rate = rate;
    r.target = target;
    r.province = unit.empty();
    return r;
  };
  struct expected {
    std::string rule, subject;
    bool active;
  };
  alert_inputs in;
  in.now = t0;
  in.rates = std::vector<sync_rate_row>{row("000.00.12.H10", 0.75, 100), row("000.00.13.H10", 0.9, 90),
                                        row("000.00.14.H10", std::nullopt, 100), row("", 0.85, 100)};
  finding_row f;
  f.key = "000.00.12.H10-240715-0001";
  f.kind = finding_kind::falsely_closed;
  f.reason = "closed_on_national_only";
  in.falsely_closed = std::vector<finding_row>{f};
  const auto update = alert_conditions(rules, in);
  const std::vector<expected> want = {
      {"sync_rate_below_target", "000.00.12.H10", true},
      {"sync_rate_below_threshold", "000.00.12.H10", true},
      {"sync_rate_below_target", "000.00.13.H10", false},
      {"sync_rate_below_threshold", "000.00.13.H10", false},
      {"sync_rate_below_target", "province", true},
      {"sync_rate_below_threshold", "province", false},
      {"falsely_closed", f.key, true},
  };
  REQUIRE(update.conditions.size() == want.size());  // the unit without a rate is judged neither way
  for (std::size_t i = 0; i < want.size(); ++i) {
    CAPTURE(i);
    CHECK(update.conditions[i].rule == want[i].rule);
    CHECK(update.conditions[i].subject == want[i].subject);
    CHECK(update.conditions[i].active == want[i].active);
  }
  CHECK(update.complete_rules == std::vector<std::string>{"falsely_closed"});

  // After a partial cycle neither the rates nor the findings are known: no condition at all.
  alert_inputs partial;
  partial.now = t0;
  CHECK(alert_conditions(rules, partial).conditions.empty());
}

TEST_CASE("a falsely closed finding that is no longer open resolves its episode; one still open does not refire") {
  temp_dir dir;
  auto db = ledger::open((dir.path() / "ledger.db").string());
  const auto cond = [](std::string key) {
    return alert_condition{"falsely_closed", std::move(key), true, {{"key", "k"}, {"unit_code", "000.00.12.H10"}}};
  };
  alert_update first{{cond("A"), cond("B")}, {"falsely_closed"}, {"chat", "email"}};
  CHECK(db.apply_alert_conditions(first, t0).fired == 2);
  CHECK(db.owed_alert_count("chat") == 2);
  CHECK(db.owed_alert_count("email") == 2);
  alert_update second{{cond("B")}, {"falsely_closed"}, {"chat", "email"}};
  const auto changes = db.apply_alert_conditions(second, t0 + 300);
  CHECK(changes.fired == 0);
  CHECK(changes.resolved == 1);
  const auto owed = db.owed_alerts("chat", 10);
  REQUIRE(owed.size() == 3);
  CHECK(owed[2].event == alert_event::resolved);
  CHECK(owed[2].subject == "A");
  CHECK(db.apply_alert_conditions(second, t0 + 600).resolved == 0);
}

TEST_CASE("alert texts: every rule renders in Vietnamese with no placeholder left") {
  struct row {
    const char* rule;
    alert_event event;
    nlohmann::json details;
  };
  const nlohmann::json rate = {{"unit_code", "000.00.12.H10"},
                               {"unit_name", "Sở Giao thông vận tải"},
                               {"period", "2024-Q3"},
                               {"total", 8},
                               {"fully_synced", 7},
                               {"rate_percent", 87.5},
                               {"target_percent", 100},
                               {"threshold_percent", 90}};
  const nlohmann::json stale = {{"side", "national"}, {"minutes", 30}, {"last_success", nullptr}, {"error", ""}};
  const nlohmann::json closed = {
      {"key", "000.00.12.H10-240715-0001"}, {"unit_code", "000.00.12.H10"}, {"reason", "no_result_document"}};
  const std::vector<row> rows = {
      {"sync_rate_below_target", alert_event::fired, rate},
      {"sync_rate_below_target", alert_event::resolved, rate},
      {"sync_rate_below_threshold", alert_event::fired, rate},
      {"sync_rate_below_threshold", alert_event::resolved, rate},
      {"falsely_closed", alert_event::fired, closed},
      {"falsely_closed", alert_event::resolved, closed},
      {"poll_stale", alert_event::fired, stale},
      {"poll_stale", alert_event::resolved, stale},
      {"test", alert_event::fired, nlohmann::json::object()},
  };
  for (const auto& r : rows) {
    CAPTURE(r.rule);
    owed_alert a;
    a.rule = r.rule;
    a.event = r.event;
    a.details = r.details;
    a.target = "chat";
    const auto words = render_alert(a);
    CHECK(words.title.find('{') == std::string::npos);
    CHECK(words.text.find('{') == std::string::npos);
    CHECK_FALSE(words.title.empty());
  }
  owed_alert a;
  a.rule = "sync_rate_below_target";
  a.details = rate;
  const auto words = render_alert(a);
  CHECK(words.text.find("87,5 %") != std::string::npos);
  CHECK(words.text.find("Sở Giao thông vận tải (000.00.12.H10)") != std::string::npos);
  CHECK(vietnamese_percent(100) == "100 %");
  CHECK(vietnamese_time(t0) == "03/07/2024 16:46");
}

TEST_CASE("every alert rule has its name in the dashboard's label table") {
  const auto texts = nlohmann::json::parse(alert_texts_json());
  REQUIRE(!texts.at("rules").empty());
  for (const auto& item : texts.at("rules").items()) {
    const std::string rule = item.key();  // not a structured binding: clang 14 cannot capture one in CAPTURE
    CAPTURE(rule);
    CHECK(vi_labels().at("alert_rules").contains(rule));
    CHECK(vi_label("alert_rules", rule) != rule);
  }
}
