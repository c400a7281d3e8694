#include "connectors/descending_pager.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

using namespace dvc;

namespace {

// A listing sorted newest first (update time, then id, both descending), without a time filter, paged by offset.
struct listing {
  std::map<std::string, instant> records;  // id → update time
  instant clock = 10'000;                  // updates get later times than anything listed

  std::vector<keyset_pager::entry> page(std::size_t page, std::size_t size) const {
    std::vector<std::pair<instant, std::string>> rows;
    for (const auto& [id, ts] : records) rows.emplace_back(ts, id);
    std::sort(rows.rbegin(), rows.rend());
    std::vector<keyset_pager::entry> out;
    for (std::size_t i = page * size; i < rows.size() && out.size() < size; ++i)
      out.push_back({rows[i].second, rows[i].first});
    return out;
  }
  bool last(std::size_t page, std::size_t size) const { return (page + 1) * size >= records.size(); }
  void touch(const std::string& id) { records[id] = ++clock; }
};

std::string id_of(int i) {
  std::string s = std::to_string(i);
  return std::string(3 - s.size(), '0') + s;
}

struct read_result {
  std::vector<std::pair<std::string, instant>> handed_out;
  std::size_t pages = 0;
};

// Reads `data` down to `watermark`, calling `between(pages_read)` between pages.
read_result read_all(listing& data, std::size_t size, instant watermark,
                     const std::function<void(std::size_t)>& between = {}) {
  descending_pager pager(watermark, size);
  read_result out;
  while (!pager.done()) {
    REQUIRE(out.pages < 1000);
    const std::size_t page = pager.next().page;
    const auto entries = data.page(page, size);
    const auto fresh = pager.accept(entries, data.last(page, size));
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (fresh[i]) out.handed_out.emplace_back(entries[i].id, *entries[i].updated);
    ++out.pages;
    if (between) between(out.pages);
  }
  return out;
}

}  // namespace

TEST_CASE("descending pager: a still listing is read once, down to the first page past the watermark") {
  listing data;
  for (int i = 0; i < 50; ++i) data.records[id_of(i)] = 1000 + i;
  const auto all = read_all(data, 7, 0);
  CHECK(all.handed_out.size() == 50);
  CHECK(all.pages == 8);
  const auto recent = read_all(data, 7, 1030);  // 20 records at or after it: pages 0–2, the third passes it
  CHECK(recent.handed_out.size() == 20);
  CHECK(recent.pages == 3);
  for (const auto& [id, ts] : recent.handed_out) CHECK(ts >= 1030);
}

TEST_CASE("descending pager: ties at one time across pages are handed out once each") {
  listing data;
  for (int i = 0; i < 23; ++i) data.records[id_of(i)] = i < 3 ? 900 : 1000;
  const auto all = read_all(data, 5, 0);
  CHECK(all.handed_out.size() == 23);
  CHECK(std::set(all.handed_out.begin(), all.handed_out.end()).size() == 23);
}

TEST_CASE("descending pager: records moving to the top shift the rest down; none is skipped or handed out twice") {
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    CAPTURE(round);
    listing data;
    for (int i = 0; i < 60; ++i) data.records[id_of(i)] = 1000 + static_cast<instant>(random() % 40);
    const instant watermark = 1000 + static_cast<instant>(random() % 20);
    const instant began = data.clock;
    std::set<std::string> moved;
    const auto first = read_all(data, 6, watermark, [&](std::size_t) {
      for (unsigned n = random() % 3; n > 0; --n) {
        const std::string id = id_of(static_cast<int>(random() % 60));
        data.touch(id);
        moved.insert(id);
      }
    });
    // Handed out once each; every record that did not move and is at or after the watermark was read as it is.
    CHECK(std::set(first.handed_out.begin(), first.handed_out.end()).size() == first.handed_out.size());
    std::set<std::pair<std::string, instant>> read(first.handed_out.begin(), first.handed_out.end());
    for (const auto& [id, ts] : data.records) {
      if (moved.count(id) || ts < watermark) continue;
      const auto& shown_id = id;  // CAPTURE's lambda cannot capture a structured binding (clang 14)
      CAPTURE(shown_id);
      CHECK(read.count({id, ts}) == 1);
    }
    // What moved is read by the next poll, which starts at the instant the first began.
    const auto second = read_all(data, 6, began);
    read.insert(second.handed_out.begin(), second.handed_out.end());
    for (const auto& id : moved) CHECK(read.count({id, data.records.at(id)}) == 1);
  }
}

TEST_CASE("descending pager: records without a usable time are handed out once, by id") {
  descending_pager pager(0, 3);
  const std::vector<keyset_pager::entry> page{{"a", 20}, {"x", std::nullopt}, {"b", 10}};
  CHECK(pager.accept(page, false) == std::vector<bool>{true, true, true});
  CHECK_FALSE(pager.done());
  const std::vector<keyset_pager::entry> again{{"b", 10}, {"x", std::nullopt}, {"c", 5}};
  CHECK(pager.accept(again, true) == std::vector<bool>{false, false, true});
  CHECK(pager.done());
}
