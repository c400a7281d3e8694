#include "connectors/keyset_pager.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

using namespace dvc;

namespace {

// A listing that behaves as docs/wire-formats.md#paging says: filter ≥ from, sorted by (timestamp, id), paged by
// offset.
struct listing {
  std::map<std::string, instant> records;  // id → timestamp
  instant clock = 1000;                    // updates get later timestamps than anything listed

  std::vector<keyset_pager::entry> page(instant from, std::size_t page, std::size_t size) const {
    std::vector<std::pair<instant, std::string>> rows;
    for (const auto& [id, ts] : records)
      if (ts >= from) rows.emplace_back(ts, id);
    std::sort(rows.begin(), rows.end());
    std::vector<keyset_pager::entry> out;
    for (std::size_t i = page * size; i < rows.size() && out.size() < size; ++i)
      out.push_back({rows[i].second, rows[i].first});
    return out;
  }
  void touch(const std::string& id) { records[id] = ++clock; }
};

std::string id_of(int i) {
  std::string s = std::to_string(i);
  return std::string(3 - s.size(), '0') + s;
}

// Reads `data` with the pager, calling `between(pages_read)` between pages; returns (id, ts) handed out.
std::set<std::pair<std::string, instant>> read_all(listing& data, std::size_t size, instant from,
                                                   const std::function<void(std::size_t)>& between,
                                                   std::size_t* pages_out = nullptr) {
  keyset_pager pager(from, size);
  std::set<std::pair<std::string, instant>> delivered;
  std::size_t pages = 0;
  while (!pager.done()) {
    REQUIRE(pages < 10'000);
    const auto q = pager.next();
    const auto entries = data.page(q.from, q.page, size);
    const auto fresh = pager.accept(entries);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (fresh[i]) CHECK(delivered.insert({entries[i].id, *entries[i].updated}).second);  // never twice
    }
    ++pages;
    if (!pager.done()) between(pages);  // a change after the last page belongs to the next poll
  }
  if (pages_out) *pages_out = pages;
  return delivered;
}

// The naive reader the contract warns about: walks pages by offset.
std::set<std::string> read_by_offset(listing& data, std::size_t size, const std::function<void(std::size_t)>& between) {
  std::set<std::string> ids;
  for (std::size_t page = 0;; ++page) {
    const auto entries = data.page(0, page, size);
    for (const auto& e : entries) ids.insert(e.id);
    between(page + 1);
    if (entries.size() < size) return ids;
  }
}

void check_all_current_versions(const listing& data, const std::set<std::pair<std::string, instant>>& delivered) {
  for (const auto& [id, ts] : data.records) {
    const auto& shown_id = id;  // CAPTURE's lambda cannot capture a structured binding (clang 14)
    CAPTURE(shown_id);
    CHECK(delivered.count({id, ts}) == 1);
  }
}

}  // namespace

TEST_CASE("a static listing is read once, record by record") {
  listing data;
  for (int i = 0; i < 23; ++i) data.records[id_of(i)] = 100 + i;
  std::size_t pages = 0;
  const auto delivered = read_all(
      data, 5, 0, [](std::size_t) {}, &pages);
  CHECK(delivered.size() == 23);
  check_all_current_versions(data, delivered);
  CHECK(pages == 6);  // five full pages (each re-queried from its last timestamp) and the short last one
}

TEST_CASE("the starting point filters older records and becomes the cursor") {
  listing data;
  for (int i = 0; i < 10; ++i) data.records[id_of(i)] = 100 + i;
  keyset_pager pager(105, 4);
  CHECK(pager.next().from == 105);
  const auto fresh = pager.accept(data.page(105, 0, 4));
  CHECK(std::count(fresh.begin(), fresh.end(), true) == 4);
  CHECK(pager.max_seen() == 108);
  CHECK(pager.next().from == 108);
  CHECK(pager.next().page == 0);
}

TEST_CASE("a run of records longer than a page at one timestamp is walked by page number") {
  listing data;
  for (int i = 0; i < 3; ++i) data.records[id_of(i)] = 100;
  for (int i = 3; i < 15; ++i) data.records[id_of(i)] = 200;  // 12 records share one second
  for (int i = 15; i < 18; ++i) data.records[id_of(i)] = 300;
  const auto delivered = read_all(data, 5, 0, [](std::size_t) {});
  CHECK(delivered.size() == 18);
  check_all_current_versions(data, delivered);
}

TEST_CASE("records moving to the end while paging: offset paging misses, keyset paging does not") {
  const auto build = [] {
    listing data;
    for (int i = 0; i < 30; ++i) data.records[id_of(i)] = 100 + i;
    return data;
  };
  // After each page, an already-read record is updated and moves to the end, shifting the unread ones back.
  const auto mover = [](listing& data) {
    return [&data](std::size_t pages) {
      if (pages <= 4) data.touch(id_of(static_cast<int>(pages)));
    };
  };
  listing naive = build();
  const auto offset_ids = read_by_offset(naive, 5, mover(naive));
  CHECK(offset_ids.size() < 30);  // the scenario is real: offsets lose records

  listing data = build();
  const auto delivered = read_all(data, 5, 0, mover(data));
  check_all_current_versions(data, delivered);
}

TEST_CASE("a record leaving a same-timestamp run cannot hide another one") {
  listing data;
  for (int i = 0; i < 12; ++i) data.records[id_of(i)] = 200;
  data.records["999"] = 300;
  // After the first page of the run, one of its already-read records is updated: the run shrinks by one and
  // the record that was first on page 1 slides onto page 0.
  const auto delivered = read_all(data, 5, 0, [&](std::size_t pages) {
    if (pages == 1) data.touch(id_of(0));
  });
  check_all_current_versions(data, delivered);
  CHECK(delivered.count({id_of(5), 200}) == 1);
}

TEST_CASE("random listings with random moves lose nothing") {
  std::mt19937 random(20240715);
  for (int round = 0; round < 200; ++round) {
    CAPTURE(round);
    listing data;
    const int count = std::uniform_int_distribution<int>(0, 60)(random);
    const int distinct = std::uniform_int_distribution<int>(1, 8)(random);  // few timestamps: long runs
    for (int i = 0; i < count; ++i)
      data.records[id_of(i)] = 100 + std::uniform_int_distribution<int>(0, distinct)(random);
    const std::size_t size = std::uniform_int_distribution<std::size_t>(1, 7)(random);
    const auto delivered = read_all(data, size, 0, [&](std::size_t pages) {
      if (count > 0 && pages < 20 && random() % 2 == 0) data.touch(id_of(static_cast<int>(random() % count)));
    });
    check_all_current_versions(data, delivered);
  }
}
