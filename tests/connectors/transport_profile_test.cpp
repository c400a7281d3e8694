// Compiling a profile's transport sections (docs/profiles.md): the shipped profiles compile, every refusal names
// the file and the key, and templates expand as documented.
#include "connectors/transport_profile.hpp"

#include <doctest/doctest.h>

#include "reconcile/profile_error.hpp"
#include "tests/connectors/shipped_profiles.hpp"

using namespace dvc;
using nlohmann::ordered_json;

namespace {

// One change to a shipped profile: `value` put at `pointer`, or the member there removed when `value` is null.
struct bad_profile {
  const char* base;
  const char* pointer;
  ordered_json value;
  const char* key;      // the key the refusal names
  const char* because;  // a piece of its message
};

ordered_json changed(const bad_profile& b) {
  ordered_json profile = test::shipped_profile_json(b.base);
  const ordered_json::json_pointer at(b.pointer);
  if (b.value.is_null())
    profile[at.parent_pointer()].erase(at.back());
  else
    profile[at] = b.value;
  return profile;
}

}  // namespace

TEST_CASE("transport profile: the shipped profiles compile to what they say") {
  const auto provincial = test::shipped_transport("contract-provincial");
  CHECK(provincial.protocol == portal_protocol::rest);
  CHECK(provincial.auth.grant == auth_grant::client_credentials);
  REQUIRE(provincial.list);
  CHECK(provincial.list->order == list_order::ascending);
  CHECK(provincial.list->filter == list_filter::since);
  CHECK(provincial.list->records == json_path{"content"});
  CHECK(provincial.list->end == list_end::total_pages);
  REQUIRE(provincial.list->request.query.size() == 4);
  CHECK(provincial.list->request.query[0].first == "updatedFrom");  // the profile's order is kept
  REQUIRE(provincial.lookup);
  CHECK(provincial.lookup->records.empty());

  const auto national = test::shipped_transport("contract-national");
  CHECK(national.auth.grant == auth_grant::session);
  CHECK(national.list->filter == list_filter::window);
  CHECK(national.list->page_base == 1);
  CHECK(national.uses(placeholder::dstcode));
  CHECK(national.uses(placeholder::madonvi));
  CHECK_FALSE(national.uses(placeholder::client_id));

  const auto b_provincial = test::shipped_transport("shape-b-provincial");
  CHECK(b_provincial.auth.grant == auth_grant::password);
  CHECK(b_provincial.list->order == list_order::descending);
  CHECK(b_provincial.list->filter == list_filter::none);
  CHECK(b_provincial.list->end == list_end::last);

  const auto b_national = test::shipped_transport("shape-b-national");
  CHECK_FALSE(b_national.list);
  REQUIRE(b_national.lookup);
  CHECK(b_national.lookup->not_found == lookup_miss::empty);
  REQUIRE(b_national.errors.ok_when.size() == 1);
  CHECK(b_national.errors.ok_when[0].message_contains == "đã tồn tại");
}

TEST_CASE("transport profile: an unordered profile compiles too, its query in alphabetical order") {
  const auto profile =
      compile_transport(nlohmann::json(test::shipped_profile_json("contract-provincial")), "contract-provincial.json");
  REQUIRE(profile.list);
  CHECK(profile.list->request.query[0].first == "agencyCode");
}

TEST_CASE("transport profile: every refusal names the file and the key") {
  const std::vector<bad_profile> table{
      {"contract-provincial", "/colour", 1, "colour", "unknown key"},
      {"contract-provincial", "/protocol", "soap", "protocol", "rest, adapter"},
      {"contract-provincial", "/side", "regional", "side", "provincial, national"},
      {"contract-provincial", "/name", "", "name", "short name"},
      {"contract-provincial", "/auth/grant", "session", "auth.grant", "adapter"},
      {"contract-provincial", "/auth/grant", "implicit", "auth.grant", "client_credentials"},
      {"contract-provincial", "/headers", {{"Bad Header", "x"}}, "headers.Bad Header", "header name"},
      {"contract-provincial", "/headers", {{"X-Unit", "{unit}"}}, "headers.X-Unit", "{unit}"},
      {"contract-provincial", "/errors", ordered_json::object(), "errors", "only an adapter"},
      {"contract-provincial", "/list", nullptr, "list", "must list"},
      {"contract-provincial", "/list/extra", 1, "list.extra", "unknown key"},
      {"contract-provincial", "/list/method", "PUT", "list.method", "GET, POST"},
      {"contract-provincial", "/list/body", {{"a", "b"}}, "list.body", "POST"},
      {"contract-provincial", "/list/path", "dossiers", "list.path", "starts with `/`"},
      {"contract-provincial", "/list/query/page", "{pgae}", "list.query.page", "unknown placeholder {pgae}"},
      {"contract-provincial", "/list/query/page", "{page", "list.query.page", "without its `}`"},
      {"contract-provincial", "/list/query/page", "page}", "list.query.page", "without its `{`"},
      {"contract-provincial", "/list/query/page", nullptr, "list", "{page}"},
      {"contract-provincial", "/list/query/updatedFrom", "{until}", "list.query.updatedFrom", "{until}"},
      {"contract-provincial", "/list/query/s", "{session}", "list.query.s", "{session}"},
      {"contract-provincial", "/list/query/c", "{code}", "list.query.c", "{code}"},
      {"contract-provincial", "/list/query/updatedFrom", "x", "list", "{since}"},
      {"contract-provincial", "/list/time_format", "iso", "list.time_format", "iso8601_utc"},
      {"contract-provincial", "/list/time_format", nullptr, "list.time_format", "required"},
      {"contract-provincial", "/list/page_base", 2, "list.page_base", "0 or 1"},
      {"contract-provincial", "/list/page_base", "0", "list.page_base", "whole number"},
      {"contract-provincial", "/list/max_page_size", 0, "list.max_page_size", "at least 1"},
      {"contract-provincial", "/list/filter", "none", "list.filter", "requires order descending"},
      {"contract-provincial", "/list/order", "descending", "list.order", "ascending"},
      {"contract-provincial", "/list/order", "sideways", "list.order", "ascending, descending"},
      {"contract-provincial", "/list/records", 3, "list.records", "string"},
      {"contract-provincial", "/list/end", {{"short_pages", true}}, "list.end.short_pages", "unknown key"},
      {"contract-provincial", "/list/end", {{"last", "last"}, {"total_pages", "n"}}, "list.end", "exactly one"},
      {"contract-provincial", "/list/end", {{"short_page", false}}, "list.end.short_page", "`true`"},
      {"contract-provincial", "/list/end", {{"last", ""}}, "list.end.last", "a path"},
      {"contract-provincial", "/list/id", "", "list.id", "a path"},
      {"contract-provincial", "/list/id", "a..b", "list.id", "empty member"},
      {"contract-provincial", "/list/updated", "updatedDate", "list.updated", "object"},
      {"contract-provincial", "/list/updated/time", "rfc", "list.updated.time", "dd/MM/yyyy"},
      {"contract-provincial", "/lookup/path", "/dossiers", "lookup", "{code}"},
      {"contract-provincial", "/lookup/not_found", "empty", "lookup.not_found", "records"},
      {"contract-provincial", "/lookup/not_found", "gone", "lookup.not_found", "status_404, empty"},
      {"contract-provincial", "/lookup/query", {{"s", "{since}"}}, "lookup.query.s", "{since}"},
      {"contract-national", "/list/method", "GET", "list.method", "POST only"},
      {"contract-national", "/list/body/denngay", nullptr, "list", "{until}"},
      {"contract-national", "/list/body/x", "{unknown}", "list.body.x", "unknown placeholder"},
      {"contract-national", "/list/body/nested", {{"deep", {"{nope}"}}}, "list.body.nested.deep[0]", "{nope}"},
      {"contract-national", "/auth/grant", "password", "auth.grant", "grant session"},
      {"contract-national", "/auth/session", "", "auth.session", "a path"},
      {"contract-national", "/auth/login", nullptr, "auth.login", "required"},
      {"contract-national", "/auth/login/body", nullptr, "auth.login.body", "required"},
      {"contract-national", "/auth/login/body/x", "{since}", "auth.login.body.x", "{since}"},
      {"contract-national", "/auth/login/body/s", "{session}", "auth.login.body.s", "{session}"},
      {"contract-national", "/errors", {{"ok", "0"}}, "errors.ok", "array"},
      {"contract-national", "/errors", {{"ok", {1.5}}}, "errors.ok", "whole number"},
      {"contract-national",
       "/errors",
       {{"ok_when", {{{"code", "3"}}}}},
       "errors.ok_when[0].message_contains",
       "required"},
      {"contract-national", "/errors", {{"fatal", {"9"}}}, "errors.fatal", "unknown key"},
      {"contract-national", "/lookup/not_found", "status_404", "lookup.not_found", "rest"},
      {"shape-b-national", "/lookup", nullptr, "lookup", "look-up-only"},
      {"shape-b-provincial", "/list/filter", "since", "list.order", "ascending"},
      {"shape-b-provincial", "/list/query/since", "{since}", "list.query.since", "{since}"},
  };
  for (const auto& bad : table) {
    CAPTURE(bad.base);
    CAPTURE(bad.pointer);
    const ordered_json profile = changed(bad);
    const std::string file = std::string(bad.base) + ".json";
    try {
      compile_transport(profile, file);
      FAIL("compiled");
    } catch (const profile_error& e) {
      CHECK(e.file == file);
      CHECK(e.key == bad.key);
      const std::string what = e.what();
      CHECK(what.find(file + ": " + bad.key + ": ") == 0);
      CAPTURE(what);
      CHECK(what.find(bad.because) != std::string::npos);
    }
  }
}

TEST_CASE("transport profile: text templates replace placeholders, percent-encoding values where asked") {
  template_values v;
  v.code = "000.00.12.H10-240715 /1";
  v.page = 3;
  v.size = 50;
  v.since = "2024-07-15T01:00:00Z";
  const auto path = text_template::compile("/pa/dossier/{code}/--by-code", "f.json", "lookup.path");
  CHECK(path.expand(v, true) == "/pa/dossier/000.00.12.H10-240715%20%2F1/--by-code");
  CHECK(path.expand(v) == "/pa/dossier/000.00.12.H10-240715 /1/--by-code");
  CHECK(path.uses(placeholder::code));
  CHECK_FALSE(path.uses(placeholder::page));
  const auto since = text_template::compile("{since}", "f.json", "k");
  CHECK(since.expand(v, true) == "2024-07-15T01%3A00%3A00Z");
  CHECK(since.is_exactly(placeholder::since));
  CHECK_FALSE(text_template::compile("x{since}", "f.json", "k").is_exactly(placeholder::since));
  CHECK(text_template::compile("p{page}s{size}", "f.json", "k").expand(v) == "p3s50");
  CHECK(text_template::compile("plain", "f.json", "k").literal());
}

TEST_CASE("transport profile: in a JSON body, exactly {page} or {size} is a number and everything else text") {
  const ordered_json body = {{"service", "LayDanhSachHoSo"}, {"trang", "{page}"},
                             {"sobanghi", "{size}"},         {"label", "page {page}"},
                             {"tungay", "{since}"},          {"nested", {{"list", {"{code}", 7, true}}}}};
  const auto t = json_template::compile(body, "f.json", "list.body");
  template_values v;
  v.page = 2;
  v.size = 500;
  v.since = "20240715080000";
  v.code = "C-1";
  const nlohmann::json out = t.expand(v);
  CHECK(out["trang"] == 2);
  CHECK(out["sobanghi"] == 500);
  CHECK(out["label"] == "page 2");
  CHECK(out["tungay"] == "20240715080000");
  CHECK(out["service"] == "LayDanhSachHoSo");
  CHECK(out["nested"]["list"] == nlohmann::json{"C-1", 7, true});
  REQUIRE(t.members().size() == 5);
  CHECK(t.members()[0].first == "service");
  CHECK(t.members()[4].first == "tungay");
}

TEST_CASE("transport profile: json paths") {
  CHECK(parse_json_path("") == json_path{});
  CHECK(parse_json_path("agency.code") == json_path{"agency", "code"});
  const nlohmann::json record = {{"agency", {{"code", "H10"}}}, {"n", 1}};
  REQUIRE(find_at(record, {"agency", "code"}));
  CHECK(*find_at(record, {"agency", "code"}) == "H10");
  CHECK(find_at(record, {"n", "x"}) == nullptr);
  CHECK(find_at(record, {"missing"}) == nullptr);
  CHECK(find_at(record, {}) == &record);
  CHECK(json_path_text({"a", "b"}) == "a.b");
}
