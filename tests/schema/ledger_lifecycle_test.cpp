#include <doctest/doctest.h>

#include "schema/ledger.hpp"
#include "tests/support/ledger_fixtures.hpp"

using namespace dvc;
using test::make_finding;
using test::pending;
using test::raised;

namespace {

using evaluations = std::vector<std::pair<std::string, evaluation>>;

// type:from->to, the shape every assertion on the audit trail compares against.
std::vector<std::string> trail(const ledger& l, std::int64_t finding_id) {
  std::vector<std::string> out;
  for (const auto& e : l.events_for_finding(finding_id)) {
    out.push_back(e.type + ":" + e.from_state.value_or("-") + "->" + e.to_state);
  }
  return out;
}

const finding_row& only(const std::vector<finding_row>& rows) {
  REQUIRE(rows.size() == 1);
  return rows.front();
}

}  // namespace

TEST_CASE("open, still open, resolved, reopened: states, times and the audit trail") {
  auto l = ledger::open(":memory:");
  const auto r1 = l.begin_run(run_mode::service, 100, 100, 1800);
  const auto r2 = l.begin_run(run_mode::service, 200, 200, 1800);
  const auto r3 = l.begin_run(run_mode::service, 300, 300, 1800);
  const auto r4 = l.begin_run(run_mode::service, 400, 400, 1800);
  const std::string key = "000.00.12.H10-240715-0001";

  auto counts = l.apply_evaluations(
      r1, 100, evaluations{raised(key, {make_finding(key, finding_kind::missing_on_national, reason::not_pushed)})});
  CHECK(counts.raised == 1);
  CHECK(counts.resolved == 0);
  CHECK(counts.reopened == 0);
  auto f = only(l.findings_for_key(key));
  CHECK(f.state == "open");
  CHECK(f.kind == finding_kind::missing_on_national);
  CHECK(f.reason == "not_pushed");
  CHECK(f.unit_code == "000.00.12.H10");
  CHECK(f.first_seen == 100);
  CHECK(f.last_seen == 100);
  CHECK(f.details == nlohmann::json{{"why", "not_pushed"}});
  CHECK(trail(l, f.id) == std::vector<std::string>{"opened:-->open"});

  counts = l.apply_evaluations(
      r2, 200, evaluations{raised(key, {make_finding(key, finding_kind::missing_on_national, reason::not_pushed)})});
  CHECK(counts.raised == 0);
  f = only(l.findings_for_key(key));
  CHECK(f.state == "open");
  CHECK(f.first_seen == 100);
  CHECK(f.last_seen == 200);
  CHECK(trail(l, f.id) == std::vector<std::string>{"opened:-->open"});  // still open: no event

  counts = l.apply_evaluations(r3, 300, evaluations{raised(key, {})});
  CHECK(counts.resolved == 1);
  f = only(l.findings_for_key(key));
  CHECK(f.state == "resolved");
  CHECK(f.last_seen == 200);
  CHECK(trail(l, f.id) == std::vector<std::string>{"opened:-->open", "resolved:open->resolved"});

  counts = l.apply_evaluations(
      r4, 400, evaluations{raised(key, {make_finding(key, finding_kind::missing_on_national, reason::not_pushed)})});
  CHECK(counts.reopened == 1);
  CHECK(counts.raised == 0);
  f = only(l.findings_for_key(key));
  CHECK(f.state == "reopened");
  CHECK(f.first_seen == 100);
  CHECK(f.last_seen == 400);
  CHECK(trail(l, f.id) ==
        std::vector<std::string>{"opened:-->open", "resolved:open->resolved", "reopened:resolved->reopened"});

  const auto events = l.events_for_finding(f.id);
  CHECK(events[0].run_id == r1);
  CHECK(events[0].at == 100);
  CHECK(events[0].cause == "not_pushed");
  CHECK(events[1].run_id == r3);
  CHECK(events[1].at == 300);
  CHECK(events[2].run_id == r4);
  CHECK(events[2].at == 400);
  CHECK(l.verify_chain().ok);
}

TEST_CASE("a still-open finding whose reason changes records a seen_changed event with both reasons") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 100, 100, 1800);
  const std::string key = "K-1";
  l.apply_evaluations(
      run, 100,
      evaluations{raised(key, {make_finding(key, finding_kind::falsely_closed, reason::no_result_document)})});
  l.apply_evaluations(
      run, 150,
      evaluations{raised(key, {make_finding(key, finding_kind::falsely_closed, reason::closed_on_national_only)})});
  const auto f = only(l.findings_for_key(key));
  CHECK(f.state == "open");
  CHECK(f.reason == "closed_on_national_only");
  CHECK(f.details == nlohmann::json{{"why", "closed_on_national_only"}});
  CHECK(trail(l, f.id) == std::vector<std::string>{"opened:-->open", "seen_changed:open->open"});
  CHECK(l.events_for_finding(f.id).back().cause == "no_result_document -> closed_on_national_only");
}

TEST_CASE("a pending evaluation neither raises nor resolves") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 100, 100, 1800);
  l.apply_evaluations(
      run, 100, evaluations{raised("K-1", {make_finding("K-1", finding_kind::status_mismatch, reason::differs)})});
  const auto counts = l.apply_evaluations(
      run, 200,
      evaluations{pending("K-1"),
                  pending("K-2", {make_finding("K-2", finding_kind::missing_on_national, reason::not_pushed)})});
  CHECK(counts.raised == 0);
  CHECK(counts.resolved == 0);
  const auto f = only(l.findings_for_key("K-1"));
  CHECK(f.state == "open");
  CHECK(f.last_seen == 100);
  CHECK(trail(l, f.id) == std::vector<std::string>{"opened:-->open"});
  CHECK(l.findings_for_key("K-2").empty());
}

TEST_CASE("findings of keys not evaluated are untouched; only the evaluated key's missing kinds resolve") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 100, 100, 1800);
  l.apply_evaluations(
      run, 100,
      evaluations{raised("K-1", {make_finding("K-1", finding_kind::status_mismatch, reason::differs),
                                 make_finding("K-1", finding_kind::deadline_mismatch, reason::differs)}),
                  raised("K-2", {make_finding("K-2", finding_kind::missing_on_provincial, reason::unknown_code)})});
  const auto counts = l.apply_evaluations(
      run, 200, evaluations{raised("K-1", {make_finding("K-1", finding_kind::deadline_mismatch, reason::differs)})});
  CHECK(counts.resolved == 1);
  const auto k1 = l.findings_for_key("K-1");
  REQUIRE(k1.size() == 2);
  CHECK(k1[0].kind == finding_kind::status_mismatch);
  CHECK(k1[0].state == "resolved");
  CHECK(k1[1].kind == finding_kind::deadline_mismatch);
  CHECK(k1[1].state == "open");
  CHECK(k1[1].last_seen == 200);
  const auto k2 = only(l.findings_for_key("K-2"));
  CHECK(k2.state == "open");
  CHECK(k2.last_seen == 100);
  CHECK(trail(l, k2.id) == std::vector<std::string>{"opened:-->open"});
  CHECK(l.open_finding_keys() == std::vector<std::string>{"K-1", "K-2"});
}

TEST_CASE("ack keeps the state, stores the note and appends an ack event; unknown id is a clear error") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 100, 100, 1800);
  l.apply_evaluations(
      run, 100,
      evaluations{raised("K-1", {make_finding("K-1", finding_kind::overdue_hidden, reason::on_time_on_national)})});
  const auto id = only(l.findings_for_key("K-1")).id;
  l.ack(id, "Đã liên hệ Sở GTVT", "nguyen.van.a", 150);
  const auto f = l.get_finding(id);
  REQUIRE(f.has_value());
  CHECK(f->state == "open");
  CHECK(f->ack_note == "Đã liên hệ Sở GTVT");
  CHECK(f->ack_by == "nguyen.van.a");
  CHECK(f->ack_at == 150);
  CHECK(trail(l, id) == std::vector<std::string>{"opened:-->open", "ack:open->open"});
  const auto ack = l.events_for_finding(id).back();
  CHECK(ack.cause == "Đã liên hệ Sở GTVT");
  CHECK(ack.actor == "nguyen.van.a");
  CHECK_FALSE(ack.run_id.has_value());
  CHECK(ack.at == 150);
  CHECK_THROWS_WITH_AS(l.ack(id + 100, "x", "y", 160), ("no finding with id " + std::to_string(id + 100)).c_str(),
                       ledger_error);
  CHECK_THROWS_WITH_AS(l.ack(id, std::string(ledger::max_ack_note_bytes + 1, 'x'), "y", 160),
                       ("ack note for finding " + std::to_string(id) + " is 4001 bytes; at most 4000 are kept").c_str(),
                       ledger_error);
  CHECK(l.events_for_finding(id).size() == 2);
  CHECK(l.get_finding(id)->ack_note == "Đã liên hệ Sở GTVT");
}

TEST_CASE("an evaluation raising one kind twice, or a finding of another key, is refused and stores nothing") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 100, 100, 1800);
  CHECK_THROWS_WITH_AS(
      l.apply_evaluations(
          run, 100,
          evaluations{raised("K-0", {make_finding("K-0", finding_kind::missing_on_national, reason::not_pushed)}),
                      raised("K-1", {make_finding("K-1", finding_kind::status_mismatch, reason::differs),
                                     make_finding("K-1", finding_kind::status_mismatch, reason::differs)})}),
      "evaluation of K-1 raises status_mismatch twice", ledger_error);
  CHECK_THROWS_AS(
      l.apply_evaluations(
          run, 100, evaluations{raised("K-1", {make_finding("K-9", finding_kind::status_mismatch, reason::differs)})}),
      ledger_error);
  CHECK(l.findings_for_key("K-0").empty());  // the whole call rolled back
  CHECK(l.open_finding_keys().empty());
}

TEST_CASE("apply_evaluations reports each finding it touched, in order, with its transition") {
  auto l = ledger::open(":memory:");
  const auto run = l.begin_run(run_mode::service, 100, 100, 1800);
  std::vector<finding_transition> t;
  l.apply_evaluations(
      run, 100,
      evaluations{raised("K-1", {make_finding("K-1", finding_kind::status_mismatch, reason::differs),
                                 make_finding("K-1", finding_kind::deadline_mismatch, reason::differs)})},
      &t);
  REQUIRE(t.size() == 2);
  CHECK(t[0].type == "opened");
  CHECK(t[0].key == "K-1");
  CHECK(t[0].kind == finding_kind::status_mismatch);
  CHECK_FALSE(t[0].from_state.has_value());
  CHECK(t[0].to_state == "open");
  t.clear();
  l.apply_evaluations(
      run, 200,
      evaluations{raised("K-1", {make_finding("K-1", finding_kind::deadline_mismatch, reason::differs)}),
                  pending("K-2")},
      &t);
  std::vector<std::string> seen;
  for (const auto& x : t)
    seen.push_back(std::string(kind_name(x.kind)) + ":" + x.type + ":" + x.from_state.value_or("-") + "->" +
                   x.to_state);
  CHECK(seen ==
        std::vector<std::string>{"deadline_mismatch:seen:open->open", "status_mismatch:resolved:open->resolved"});
  t.clear();
  l.apply_evaluations(
      run, 300,
      evaluations{raised("K-1", {make_finding("K-1", finding_kind::status_mismatch, reason::national_behind),
                                 make_finding("K-1", finding_kind::deadline_mismatch, reason::differs)})},
      &t);
  seen.clear();
  for (const auto& x : t)
    seen.push_back(std::string(kind_name(x.kind)) + ":" + x.type + ":" + x.from_state.value_or("-") + "->" +
                   x.to_state);
  CHECK(seen ==
        std::vector<std::string>{"status_mismatch:reopened:resolved->reopened", "deadline_mismatch:seen:open->open"});
}
