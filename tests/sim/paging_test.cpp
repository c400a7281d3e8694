// Shape B lists newest first with no time filter: a reader walks pages from 0 and stops at its watermark, while
// records it has not read yet jump to the top of page 0 (live change and the drift fault). The rule of
// docs/profiles.md — the next cursor is the instant the listing began, less the look-back — must lose nothing.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>

#include "sim/civil_time.hpp"
#include "sim/portal_service.hpp"
#include "sim_client.hpp"
#include "tests/support/temp_dir.hpp"

using namespace dvc::sim;
using namespace dvc::sim::test;
using nlohmann::json;

namespace {

constexpr std::int64_t start = 1722474000;  // 2024-08-01T08:00:00+07:00
constexpr std::int64_t lookback = 60;

class platform_reader {
 public:
  platform_reader(portal_service& service, manual_clock& clock) : service_(service), clock_(clock) {
    const credentials c;
    const auto r =
        service_.handle(request(http::verb::post, "/provincial/oauth/token",
                                "grant_type=password&client_id=" + c.client_id + "&username=" + c.provincial_username +
                                    "&password=" + c.provincial_password));
    REQUIRE(r.response.result_int() == 200);
    token_ = json::parse(r.response.body())["access_token"].get<std::string>();
  }

  // One listing from page 0 down to the watermark; the province changes between two pages. Returns the instant
  // the listing began.
  std::int64_t list(std::optional<std::int64_t> watermark) {
    const auto began = clock_.present();
    for (int page = 0;; ++page) {
      const auto r =
          service_.handle(request(http::verb::get,
                                  "/provincial/api/pa/dossier/search?spec=slice&sort=updatedDate,desc&size=100"
                                  "&page=" +
                                      std::to_string(page),
                                  {}, {{"Authorization", "Bearer " + token_}}));
      REQUIRE(r.response.result_int() == 200);
      const auto slice = json::parse(r.response.body());
      bool passed_watermark = false;
      for (const auto& record : slice["content"]) {
        const auto id = record["id"].get<std::string>();
        const auto updated = read_iso(record["updatedDate"].get<std::string>());
        REQUIRE(updated);
        auto& known = seen_[id];
        known = std::max(known, *updated);
        if (!listed_.insert(id).second) ++repeats_;
        passed_watermark |= watermark && *updated < *watermark;
      }
      if (slice["last"].get<bool>() || passed_watermark) break;
      clock_.advance(1);
      changed_ += service_.tick();
    }
    listed_.clear();
    return began;
  }

  const std::map<std::string, std::int64_t>& seen() const { return seen_; }
  std::size_t repeats() const { return repeats_; }
  std::size_t changed() const { return changed_; }

 private:
  portal_service& service_;
  manual_clock& clock_;
  std::string token_;
  std::map<std::string, std::int64_t> seen_;  // id → latest update time read
  std::set<std::string> listed_;              // ids read in the current listing
  std::size_t repeats_ = 0, changed_ = 0;
};

// Every provincial record as the platform holds it now: id → update time.
std::map<std::string, std::int64_t> truth(portal_service& service) {
  dvc::test::temp_dir dir("dvc-sim-paging");
  service.dump(dir.path());
  std::map<std::string, std::int64_t> out;
  std::ifstream in(dir.path() / "provincial.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    const auto record = json::parse(line);
    out[record["id"].get<std::string>()] = *read_iso(record["updatedDate"].get<std::string>());
  }
  return out;
}

}  // namespace

TEST_CASE("a reader that walks newest-first pages down to its watermark misses nothing while records move up") {
  manual_clock clock(start);
  const auto faults = parse_faults("drift=0.5");
  portal_service service({.seed = 17, .dossiers = 4000, .clock_start = start}, wire_shape::b, *faults.spec, {},
                         clock.clock());
  platform_reader reader(service, clock);
  std::optional<std::int64_t> watermark;
  for (int listing = 0; listing < 6; ++listing) {
    INFO("listing " << listing);
    const auto began = reader.list(watermark);
    watermark = began - lookback;
    // Whatever changed before this listing began has been read as it is now; later changes go to the next one.
    std::size_t stale = 0;
    for (const auto& [id, updated] : truth(service)) {
      if (updated > began) continue;
      const auto it = reader.seen().find(id);
      stale += it == reader.seen().end() || it->second != updated;
    }
    CHECK(stale == 0);
    clock.advance(7);
    service.tick();
  }
  // The province did change under the reader, and records it had not read jumped over it to page 0, pushing
  // others down a page: seen twice within one listing.
  CHECK(reader.changed() > 50);
  CHECK(reader.repeats() > 0);
}

TEST_CASE("drift in descending order moves unread records to the top of page 0") {
  manual_clock clock(start);
  const auto faults = parse_faults("drift=1");
  portal_service service({.seed = 5, .dossiers = 2000, .clock_start = start}, wire_shape::b, *faults.spec, {},
                         clock.clock());
  const credentials c;
  const auto token = json::parse(service
                                     .handle(request(http::verb::post, "/provincial/oauth/token",
                                                     "grant_type=password&client_id=" + c.client_id + "&username=" +
                                                         c.provincial_username + "&password=" + c.provincial_password))
                                     .response.body())["access_token"]
                         .get<std::string>();
  const auto page = [&](int n) {
    const auto r = service.handle(
        request(http::verb::get,
                "/provincial/api/pa/dossier/search?spec=slice&sort=updatedDate,desc&size=50&page=" + std::to_string(n),
                {}, {{"Authorization", "Bearer " + token}}));
    return json::parse(r.response.body())["content"];
  };
  const auto first = page(0);
  std::set<std::string> first_ids;
  for (const auto& r : first) first_ids.insert(r["id"].get<std::string>());
  clock.advance(30);
  page(1);  // the fault strikes on the pages after the first
  const auto top = page(0);
  std::size_t moved = 0;
  while (moved < top.size() && *read_iso(top[moved]["updatedDate"].get<std::string>()) == start + 30) {
    CHECK(first_ids.count(top[moved]["id"].get<std::string>()) == 0);  // not read yet when it moved
    ++moved;
  }
  CHECK(moved >= 1);
  CHECK(moved <= 3);
  CHECK(top[moved]["id"] == first[0]["id"]);
}
