// The page loop's progress reports: after each page, the pages and records so far, what the portal's total says
// is left (only when it gives a usable count), and where a caller may resume (absent after the last page).
#include "connectors/page_loop.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <deque>

#include "tests/connectors/loopback_server.hpp"

using namespace dvc;
using nlohmann::json;

namespace {

maybe_instant updated_of(const json& record) { return record.at("t").get<instant>(); }

// A page of `count` records stamped from `first_stamp` on, one second apart, with `total` in its envelope.
parsed_page page_of(std::size_t count, instant first_stamp, const json& total) {
  parsed_page p;
  p.records_found = true;
  p.page.envelope = json::object();
  if (!total.is_null()) p.page.envelope["total"] = total;
  for (std::size_t i = 0; i < count; ++i) {
    page_record r;
    r.value = json{{"id", std::to_string(first_stamp + static_cast<instant>(i))},
                   {"t", first_stamp + static_cast<instant>(i)}};
    r.position = i;
    p.page.records.push_back(std::move(r));
  }
  return p;
}

// Lists 12 records (stamps 100..111) in pages of 5, each page's envelope giving `total` as `total_of(query)` does.
std::vector<listing_progress> list_twelve(const std::function<json(const page_query&)>& total_of,
                                          const char* total_field = "total") {
  boost::asio::io_context io;
  keyset_pager pager(100, 5);
  page_source source{"provincial", "http://portal", 100, json_path{"id"}, updated_of, {}, {}, {}, {}};
  if (total_field) source.total_records = json_path{total_field};
  source.describe = [](const page_query& q) { return "page " + std::to_string(q.page); };
  source.fetch = [&](const page_query& q, const std::string&) -> boost::asio::awaitable<result<parsed_page>> {
    // Records at or after q.from, from the page's place on: what a portal sorted by time gives.
    const instant first = q.from + static_cast<instant>(q.page * 5);
    const std::size_t left = first > 111 ? 0 : static_cast<std::size_t>(112 - first);
    co_return page_of(std::min<std::size_t>(5, left), first, total_of(q));
  };
  std::vector<listing_progress> told;
  std::size_t handed = 0;
  test::run_until_done(io, [&]() -> boost::asio::awaitable<void> {
    auto out = co_await read_pages(
        pager, source, [&](const page_record&, const std::string&) { ++handed; },
        [&](const listing_progress& p) { told.push_back(p); });
    REQUIRE(out.ok());
    CHECK(out.value().records == 12);
  }());
  CHECK(handed == 12);
  return told;
}

// What the portal says the query matches: every record at or after its `from`.
json count_from(const page_query& q) { return 112 - q.from; }

}  // namespace

TEST_CASE("page loop: each page reports pages and records so far, and the cursor a caller may resume at") {
  const auto told = list_twelve(count_from);
  // Pages start at the last stamp seen, which comes again and is not handed out twice: 100–104, 104–108,
  // 108–111.
  REQUIRE(told.size() == 3);
  CHECK(told[0].pages == 1);
  CHECK(told[0].records == 5);
  CHECK(told[1].pages == 2);
  CHECK(told[1].records == 9);
  CHECK(told[2].pages == 3);
  CHECK(told[2].records == 12);
  CHECK(told[0].read_before == 104);
  CHECK(told[1].read_before == 108);
  CHECK_FALSE(told[2].read_before.has_value());  // done: nothing to resume
}

TEST_CASE("page loop: what remains comes from the portal's total, and is unknown without a usable one") {
  struct row {
    const char* what;
    std::function<json(const page_query&)> total;
    const char* field;
    std::vector<std::optional<std::size_t>> remaining;
  };
  const std::vector<row> rows = {
      {"a number", count_from, "total", {7, 3, 0}},
      {"a string of digits (national values are strings)",
       [](const page_query& q) { return json(std::to_string(112 - q.from)); },
       "total",
       {7, 3, 0}},
      {"more than the pages hold (records added meanwhile)",
       [](const page_query&) { return json(40); },
       "total",
       {35, 35, 0}},
      {"absent", [](const page_query&) { return json(); }, "total", {std::nullopt, std::nullopt, 0}},
      {"a portal giving no total", count_from, nullptr, {std::nullopt, std::nullopt, 0}},
      {"negative", [](const page_query&) { return json(-3); }, "total", {std::nullopt, std::nullopt, 0}},
      {"a fraction", [](const page_query&) { return json(12.5); }, "total", {std::nullopt, std::nullopt, 0}},
      {"not digits", [](const page_query&) { return json("12 hồ sơ"); }, "total", {std::nullopt, std::nullopt, 0}},
      {"empty text", [](const page_query&) { return json(""); }, "total", {std::nullopt, std::nullopt, 0}},
  };
  for (const auto& r : rows) {
    const std::string what = r.what;
    CAPTURE(what);
    const auto told = list_twelve(r.total, r.field);
    REQUIRE(told.size() == r.remaining.size());
    for (std::size_t i = 0; i < told.size(); ++i) {
      CAPTURE(i);
      const std::string told_text = told[i].remaining ? std::to_string(*told[i].remaining) : "unknown";
      const std::string expected = r.remaining[i] ? std::to_string(*r.remaining[i]) : "unknown";
      CHECK(told_text == expected);
    }
  }
}
