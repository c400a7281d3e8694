// The Vietnamese table (reports/labels_vi.json) covers everything the code can produce: iterated over the code's own
// enumerations, so adding a kind, reason, state, event or compared field without its label fails here.
#include "reports/labels.hpp"

#include <doctest/doctest.h>

#include "reconcile/canonical_field.hpp"
#include "reconcile/finding.hpp"
#include "schema/ledger.hpp"

using namespace dvc;

namespace {

void check_explained(std::string_view category, std::string_view code) {
  CAPTURE(category);
  CAPTURE(code);
  const auto& cat = vi_labels().at(std::string(category));
  REQUIRE(cat.contains(code));
  const auto& entry = cat.at(std::string(code));
  for (const char* member : {"label", "explain", "remedy"}) {
    CAPTURE(member);
    REQUIRE(entry.contains(member));
    CHECK(entry[member].is_string());
    CHECK(!entry[member].get<std::string>().empty());
  }
}

void check_named(std::string_view category, std::string_view code) {
  CAPTURE(category);
  CAPTURE(code);
  const auto& cat = vi_labels().at(std::string(category));
  REQUIRE(cat.contains(code));
  CHECK(cat.at(std::string(code)).is_string());
  CHECK(!cat.at(std::string(code)).get<std::string>().empty());
}

}  // namespace

TEST_CASE("every finding kind and reason has a label, an explanation and a remedy") {
  for (const auto kind : all_kinds()) check_explained("kinds", kind_name(kind));
  for (const auto& [kind, why] : all_kind_reasons()) {
    check_explained("kinds", kind_name(kind));
    check_explained("reasons", why);
  }
  // The pairs cover every kind: a kind whose reason was forgotten in all_kind_reasons() is caught too.
  for (const auto kind : all_kinds()) {
    bool listed = false;
    for (const auto& p : all_kind_reasons()) listed = listed || p.kind == kind;
    CAPTURE(kind_name(kind));
    CHECK(listed);
  }
}

TEST_CASE("every state, event, side and field the code produces is named") {
  for (const auto s : all_states) check_named("states", s);
  for (const auto e : event_type::all) check_named("events", e);
  for (const auto s : {"provincial", "national"}) check_named("sides", s);
  for (std::size_t i = 0; i < canonical_field_count; ++i)
    check_named("fields", field_name(static_cast<canonical_field>(i)));
  for (const auto f : compared_field_names()) {
    check_named("fields", f);
    check_named("columns", std::string(f) + "_provincial");
    check_named("columns", std::string(f) + "_national");
  }
  for (const auto c :
       {"key",        "code",      "unit_code",  "unit_name",     "kind",         "reason",        "state",
        "first_seen", "last_seen", "ack_by",     "ack_at",        "ack_note",     "procedure",     "period",
        "total",      "synced",    "not_synced", "not_evaluated", "rate_percent", "target_percent"})
    check_named("columns", c);
}

TEST_CASE("vi_label names a code in Vietnamese and falls back to the code itself") {
  CHECK(vi_label("kinds", "falsely_closed") == "Kết thúc không đúng");
  CHECK(vi_label("states", "open") == "Đang mở");
  CHECK(vi_label("kinds", "no_such_kind") == "no_such_kind");
  CHECK(vi_label("no_such_category", "open") == "open");
}
