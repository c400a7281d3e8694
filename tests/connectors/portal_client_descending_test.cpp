// How a listing read newest first learns its last page (docs/profiles.md#list, `end`), against a small loopback
// portal whose envelope carries every kind of marker.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>

#include "connectors/portal_client.hpp"
#include "tests/connectors/fake_env.hpp"
#include "tests/connectors/fake_portals.hpp"
#include "tests/connectors/shipped_profiles.hpp"

using namespace dvc;
namespace asio = boost::asio;

namespace {

// Ten records, newest first, in pages whose envelope says `last`, `totalPages` and `total` (unless `bare`).
test::reply serve(const test::request& r, int& list_calls, bool bare) {
  const std::string target(r.target());
  if (target == "/token")
    return test::json_reply(200, {{"access_token", "tok"}, {"token_type", "bearer"}, {"expires_in", 300}});
  ++list_calls;
  const auto query = test::query_of(target);
  const std::size_t page = std::stoul(query.at("page")), size = std::stoul(query.at("size"));
  nlohmann::json content = nlohmann::json::array();
  for (std::size_t i = page * size; i < 10 && i < (page + 1) * size; ++i)
    content.push_back({{"id", std::to_string(100 - i)}, {"updatedDate", format_utc_iso(1'721'000'100 - i)}});
  nlohmann::json envelope = {{"content", content}};
  if (!bare) {
    envelope["last"] = (page + 1) * size >= 10;
    envelope["totalPages"] = (10 + size - 1) / size;
    envelope["total"] = 10;
  }
  return test::json_reply(200, envelope);
}

// The shape B provincial profile's settings for reading `server` in pages of five, with placeholder credentials.
portal_config config_for(const test::loopback_server& server) {
  portal_config config;
  config.base_url = server.base();
  config.token_url = server.base() + "/token";
  config.client_id = "c";
  config.username = "u";
  config.password = "p";
  config.page_size = 5;
  return config;
}

}  // namespace

TEST_CASE("descending listing: each kind of `end` ends it at its last page") {
  struct row {
    nlohmann::ordered_json end;
    int pages;  // requests it takes to read ten records in pages of five
  };
  const std::vector<row> table{
      {{{"last", "last"}}, 2},
      {{{"total_pages", "totalPages"}}, 2},
      {{{"total_records", "total"}}, 2},
      {{{"short_page", true}}, 3}};  // a full last page is only known by the empty one after it
  for (const auto& [end, pages] : table) {
    const std::string shown_end = end.dump();  // CAPTURE's lambda cannot capture a structured binding (clang 14)
    CAPTURE(shown_end);
    auto profile_json = test::shipped_profile_json("shape-b-provincial");
    profile_json["list"]["end"] = end;
    asio::io_context io;
    int list_calls = 0;
    test::loopback_server server{io, [&](const test::request& r) { return serve(r, list_calls, false); }};
    const portal_config config = config_for(server);
    portal_client client(io.get_executor(), compile_transport(profile_json, "d.json"), config,
                         test::fake_env(std::make_shared<test::fake_world>()));
    std::optional<result<poll_result>> out;
    test::run_until_done(io, [&]() -> asio::awaitable<void> {
      out = co_await client.list_changed(0, 0, [](const page_record&, const std::string&) {});
    }());
    REQUIRE_MESSAGE(out->ok(), out->error().message);
    CHECK(out->value().records == 10);
    CHECK(out->value().pages == static_cast<std::size_t>(pages));
    CHECK(list_calls == pages);
  }
}

TEST_CASE("descending listing: a page without the member `end` names is malformed, retried, then reported") {
  asio::io_context io;
  int list_calls = 0;
  test::loopback_server server{io, [&](const test::request& r) { return serve(r, list_calls, true); }};
  portal_config config = config_for(server);
  config.retry.max_attempts = 2;
  auto world = std::make_shared<test::fake_world>();
  portal_client client(io.get_executor(), test::shipped_transport("shape-b-provincial"), config, test::fake_env(world));
  std::optional<result<poll_result>> out;
  test::run_until_done(io, [&]() -> asio::awaitable<void> {
    out = co_await client.list_changed(0, 0, [](const page_record&, const std::string&) {});
  }());
  REQUIRE_FALSE(out->ok());
  CHECK(out->error().kind == error_kind::malformed);
  CHECK(out->error().message.find("`last`") != std::string::npos);
  CHECK(list_calls == 2);
  CHECK(world->sleeps.size() == 1);
}
