#pragma once
// A portal client with a shipped profile against a fake portal on a loopback server, for the client tests of each
// portal: what a listing hands to the sink, refuses and reports, and what a look-up finds.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "connectors/portal_client.hpp"
#include "tests/connectors/fake_env.hpp"
#include "tests/connectors/fake_portals.hpp"
#include "tests/connectors/shipped_profiles.hpp"

namespace dvc::test {

template <typename Portal>
struct portal_rig {
  boost::asio::io_context io;
  Portal portal;
  loopback_server server{io, [this](const request& r) { return portal.handle(r); }};
  std::shared_ptr<fake_world> world = std::make_shared<fake_world>();
  transport_profile profile;
  portal_config config;
  std::optional<portal_client> client;

  // (id, update time) of each record read, as the record's members named at construction hold them.
  std::multiset<std::pair<std::string, std::string>> seen;
  std::vector<std::string> sources;                          // of every record handed out
  std::vector<std::pair<std::string, std::string>> refused;  // (id as read, reason) of records handed out unread
  std::vector<instant> progress;                             // where the listing said it could resume
  std::vector<listing_progress> reports;                     // what the listing reported after each page

  // The portal holds `records` records (ids 100, 101, …), updated a second apart from 1000 s before its clock.
  portal_rig(const std::string& profile_name, std::string id_member, std::string updated_member, int records)
      : profile(shipped_transport(profile_name)),
        id_member_(std::move(id_member)),
        updated_member_(std::move(updated_member)) {
    for (int i = 0; i < records; ++i) portal.records[std::to_string(100 + i)] = portal.clock - 1000 + i;
  }

  portal_client& get() {
    if (!client) client.emplace(io.get_executor(), profile, config, fake_env(world));
    return *client;
  }

  result<poll_result> list_changed(instant from, instant to, const std::string& agency) {
    std::optional<result<poll_result>> out;
    run_until_done(io, [&]() -> boost::asio::awaitable<void> {
      out = co_await get().list_changed(
          from, to,
          [&](const page_record& record, const std::string& source) {
            sources.push_back(source);
            if (!record.value) {
              refused.push_back({record.id, record.error});
              return;
            }
            seen.insert({record.value->at(id_member_).template get<std::string>(),
                         record.value->at(updated_member_).template get<std::string>()});
          },
          agency,
          [&](const listing_progress& p) {
            reports.push_back(p);
            if (p.read_before) progress.push_back(*p.read_before);
          });
    }());
    return std::move(*out);
  }

  result<std::optional<nlohmann::json>> lookup(const std::string& code) {
    std::optional<result<std::optional<nlohmann::json>>> out;
    run_until_done(io, [&]() -> boost::asio::awaitable<void> { out = co_await get().lookup(code); }());
    return std::move(*out);
  }

 private:
  std::string id_member_, updated_member_;
};

}  // namespace dvc::test
