// Profiles (docs/profiles.md): every field-specification feature on small records, a third shape written from the
// documentation alone (tests/data/profiles/shape-c-*.json) read exactly, and refused profiles naming file and key.
#include <doctest/doctest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "reconcile/profile_error.hpp"
#include "reconcile/profile_file.hpp"
#include "reconcile/wire.hpp"

using namespace dvc;
using json = nlohmann::json;

namespace {

instant at(const char* iso) { return *parse_iso_time(iso); }

// A provincial profile mapping `code` at `code` and the fields given; every other field not provided.
json profile_with(const json& fields, const json& tables = json::object()) {
  json f = fields;
  if (!f.contains("code")) f["code"] = "code";
  json not_provided = json::array();
  for (std::size_t i = 0; i < canonical_field_count; ++i) {
    const std::string name(field_name(static_cast<canonical_field>(i)));
    if (!f.contains(name)) not_provided.push_back(name);
  }
  return {{"name", "t"},
          {"side", "provincial"},
          {"protocol", "rest"},
          {"auth", {{"grant", "client_credentials"}}},
          {"list", json::object()},
          {"record", {{"time_format", "iso8601"}, {"fields", f}, {"tables", tables}, {"not_provided", not_provided}}}};
}

parsed_dossier read_with(const json& profile, const json& record, const status_overrides& overrides = {}) {
  return parse_profile(profile.dump(), side::provincial, "t.json").record.read(record, overrides);
}

std::string read_error(const json& profile, const json& record) {
  try {
    read_with(profile, record);
  } catch (const record_error& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("field specifications: paths, tables, times, absence, translations") {
  const json tables = {{"yn", {{"Y", true}, {"N", false}, {"", nullptr}}},
                       {"ch", {{"A", 1}, {"B", 2}, {"", 3}}},
                       {"st", {{"open", 4}, {"done", 9}, {"draft", 1}}}};
  struct row {
    const char* what;
    json fields;
    json record;
    std::function<void(const parsed_dossier&)> check;
  };
  const std::vector<row> rows{
      {"nested path",
       {{"unit_code", "a.b.c"}},
       {{"code", "k"}, {"a", {{"b", {{"c", " h10 "}}}}}},
       [](const parsed_dossier& p) { CHECK(p.value.unit_code == "H10"); }},
      {"missing intermediate is absent",
       {{"unit_code", "a.b.c"}},
       {{"code", "k"}, {"a", {{"x", 1}}}},
       [](const parsed_dossier& p) {
         CHECK(p.value.unit_code.empty());
         CHECK_FALSE(p.value.unknown.contains(canonical_field::unit_code));
       }},
      {"number read as text",
       {{"id", "id"}, {"summary", "s"}},
       {{"code", "k"}, {"id", 4711}, {"s", 2.0}},
       [](const parsed_dossier& p) {
         CHECK(p.value.id == "4711");
         CHECK(p.value.summary == "2");
       }},
      {"code read upper-cased and trimmed",
       {{"procedure_code", "p"}},
       {{"code", " abc-1 "}, {"p", "1.003560.h10"}},
       [](const parsed_dossier& p) {
         CHECK(p.value.code == "ABC-1");
         CHECK(p.value.procedure_code == "1.003560.H10");
       }},
      {"table maps text, number and the empty string",
       {{"channel", {{"path", "c"}, {"table", "ch"}}}, {"digitised", {{"path", "d"}, {"table", "yn"}}}},
       {{"code", "k"}, {"c", ""}, {"d", " y"}},
       [](const parsed_dossier& p) {
         CHECK(p.value.channel == 3);
         CHECK(p.value.digitized == true);
       }},
      {"table null is unknown for the record",
       {{"online_payment", {{"path", "pay"}, {"table", "yn"}}}},
       {{"code", "k"}, {"pay", ""}},
       [](const parsed_dossier& p) {
         CHECK_FALSE(p.value.online_payment);
         CHECK(p.value.unknown.contains(canonical_field::online_payment));
       }},
      {"absent unknown: a missing value is unknown",
       {{"online_payment", {{"path", "pay"}, {"absent", "unknown"}}},
        {"due", {{"path", "due"}, {"absent", "unknown"}}}},
       {{"code", "k"}, {"due", nullptr}},
       [](const parsed_dossier& p) {
         CHECK(p.value.unknown.contains(canonical_field::online_payment));
         CHECK(p.value.unknown.contains(canonical_field::due));
       }},
      {"absent none: a missing value is a known absence",
       {{"completed", "done"}, {"results", {{"path", "r"}, {"items", {{"code", "c"}, {"name", "n"}, {"url", "u"}}}}}},
       {{"code", "k"}},
       [](const parsed_dossier& p) {
         CHECK_FALSE(p.value.completed);
         CHECK(p.value.results.empty());
         CHECK_FALSE(p.value.unknown.contains(canonical_field::completed));
         CHECK_FALSE(p.value.unknown.contains(canonical_field::results));
       }},
      {"not provided is unknown for every record",
       {{"unit_code", "u"}},
       {{"code", "k"}, {"u", "X"}},
       [](const parsed_dossier& p) {
         CHECK(p.value.unknown.contains(canonical_field::steps));
         CHECK_FALSE(p.value.unknown.contains(canonical_field::unit_code));
       }},
      {"language picked by a number id given as text on the wire",
       {{"procedure_name", {{"path", "t"}, {"language", {{"match", "languageId"}, {"id", 228}, {"value", "name"}}}}}},
       {{"code", "k"},
        {"t",
         json::array({{{"languageId", 46}, {"name", "Licence"}}, {{"languageId", "228"}, {"name", "Giấy phép"}}})}},
       [](const parsed_dossier& p) { CHECK(p.value.procedure_name == "Giấy phép"); }},
      {"language without a match is absent",
       {{"procedure_name", {{"path", "t"}, {"language", {{"match", "languageId"}, {"id", 228}, {"value", "name"}}}}}},
       {{"code", "k"}, {"t", json::array({{{"languageId", 46}, {"name", "Licence"}}})}},
       [](const parsed_dossier& p) { CHECK(p.value.procedure_name.empty()); }},
      {"per-field time formats",
       {{"received", {{"path", "r"}, {"time", "epoch_ms"}}},
        {"due", {{"path", "d"}, {"time", "dd/MM/yyyy HH:mm:ss"}}},
        {"returned", {{"path", "t"}, {"time", "yyyyMMddHHmmss"}}},
        {"updated", "u"}},
       {{"code", "k"},
        {"r", 1721005200750},
        {"d", "16/07/2024 09:00:00"},
        {"t", "20240716093000"},
        {"u", "2024-07-15T01:00:00Z"}},
       [](const parsed_dossier& p) {
         CHECK(p.value.received == at("2024-07-15T08:00:00+07:00"));
         CHECK(p.value.due == at("2024-07-16T09:00:00+07:00"));
         CHECK(p.value.returned == at("2024-07-16T09:30:00+07:00"));
         CHECK(p.value.updated == at("2024-07-15T08:00:00+07:00"));
       }},
      {"epoch_ms as a string of digits, and an empty time",
       {{"received", {{"path", "r"}, {"time", "epoch_ms"}}}, {"due", "d"}},
       {{"code", "k"}, {"r", "1721005200000"}, {"d", ""}},
       [](const parsed_dossier& p) {
         CHECK(p.value.received == at("2024-07-15T08:00:00+07:00"));
         CHECK_FALSE(p.value.due);
       }},
      {"flags and numbers without a table accept text",
       {{"digitised", "d"}, {"online_payment", "o"}, {"channel", "c"}, {"applicant_type", "t"}},
       {{"code", "k"}, {"d", "true"}, {"o", 0}, {"c", "2"}, {"t", " 3 "}},
       [](const parsed_dossier& p) {
         CHECK(p.value.digitized == true);
         CHECK(p.value.online_payment == false);
         CHECK(p.value.channel == 2);
         CHECK(p.value.applicant_type == 3);
       }},
      {"status through a table, new values, overrides win",
       {{"status", {{"path", "s"}, {"table", "st"}, {"new", json::array({"draft"})}}}},
       {{"code", "k"}, {"s", "Draft"}},
       [](const parsed_dossier& p) {
         CHECK(p.value.status == 1);
         CHECK(p.value.status_code == "DRAFT");
         CHECK(p.value.registered);
       }},
      {"an unknown status keeps the record with a warning",
       {{"status", {{"path", "s.id"}, {"table", "st"}}}},
       {{"code", "k"}, {"s", {{"id", 77}}}},
       [](const parsed_dossier& p) {
         CHECK_FALSE(p.value.status);
         REQUIRE(p.warnings.size() == 1);
         CHECK(p.warnings[0] == "s.id: unknown status \"77\"; status rules skipped for this record");
       }},
      {"status without a table must be 1..10",
       {{"status", "s"}},
       {{"code", "k"}, {"s", 9}},
       [](const parsed_dossier& p) { CHECK(p.value.status == 9); }},
      {"a bad applicant type is left empty with a warning",
       {{"applicant_type", "t"}},
       {{"code", "k"}, {"t", "citizen"}},
       [](const parsed_dossier& p) {
         CHECK_FALSE(p.value.applicant_type);
         REQUIRE(p.warnings.size() == 1);
         CHECK(p.warnings[0] == "t: expected a whole number, got \"CITIZEN\"; left empty");
       }},
      {"steps: open from a table, else while without end; a list may be \"\"",
       {{"steps",
         {{"path", "s"},
          {"items", {{"name", "n"}, {"end", "e"}, {"open", {{"path", "cur"}, {"table", "yn"}}}}},
          {"not_provided", json::array({"handler", "position", "department", "status", "start", "due"})}}},
        {"results", {{"path", "r"}, {"items", {{"name", "n"}}}, {"not_provided", json::array({"code", "url"})}}}},
       {{"code", "k"},
        {"r", ""},
        {"s", json::array({{{"n", "a"}, {"e", "2024-07-15T08:00:00+07:00"}, {"cur", "Y"}},
                           {{"n", "b"}, {"e", nullptr}, {"cur", "N"}},
                           {{"n", "c"}, {"e", nullptr}}})}},
       [](const parsed_dossier& p) {
         CHECK(p.value.results.empty());
         REQUIRE(p.value.steps.size() == 3);
         CHECK(p.value.steps[0].open);  // the portal says so, whatever its end
         CHECK_FALSE(p.value.steps[1].open);
         CHECK(p.value.steps[2].open);  // no flag: open while it has no end
         const auto f = facts_of(p.value);
         CHECK(f.step_open);
         CHECK(f.steps_ended == 1);
         CHECK_FALSE(f.last_step_end);
       }},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    r.check(read_with(profile_with(r.fields, tables), r.record));
  }

  // The configuration's status_map overrides the profile's table.
  const auto p = read_with(profile_with({{"status", {{"path", "s"}, {"table", "st"}}}}, tables),
                           {{"code", "k"}, {"s", "open"}}, {{"OPEN", 5}});
  CHECK(p.value.status == 5);
}

TEST_CASE("broken records name the field by its path in the record") {
  const json tables = {{"ch", {{"A", 1}}}};
  struct row {
    json fields;
    json record;
    std::string error;
  };
  const json steps = {
      {"path", "steps"},
      {"items", {{"end", "endDate"}}},
      {"not_provided", json::array({"name", "handler", "position", "department", "status", "start", "due", "open"})}};
  const std::vector<row> rows{
      {{{"unit_code", "agency.code"}}, {{"code", "k"}, {"agency", "H10"}}, "agency: expected an object, got string"},
      {{{"channel", {{"path", "c"}, {"table", "ch"}}}}, {{"code", "k"}, {"c", 7}}, "c: unknown value 7"},
      {{{"channel", {{"path", "c"}, {"table", "ch"}}}}, {{"code", "k"}, {"c", "b"}}, "c: unknown value \"B\""},
      {{{"summary", "s"}}, {{"code", "k"}, {"s", true}}, "s: expected a string, got boolean"},
      {{{"digitised", "d"}}, {{"code", "k"}, {"d", "maybe"}}, "d: expected true or false, got \"MAYBE\""},
      {{{"steps", steps}},
       {{"code", "k"}, {"steps", json::array({json::object(), {{"endDate", "soon"}}})}},
       "steps[1].endDate: invalid time \"soon\""},
      {{{"steps", steps}}, {{"code", "k"}, {"steps", json::array({1})}}, "steps[0]: expected an object"},
      {{{"steps", steps}}, {{"code", "k"}, {"steps", json::object()}}, "steps: expected an array, got object"},
      {{{"nation_code", "n"}}, {{"n", nullptr}}, "code: missing: the record has neither code nor n"},
      {json::object(), {{"x", 1}}, "code: missing"},
  };
  for (const auto& r : rows) {
    INFO(r.record.dump());
    const std::string got = read_error(profile_with(r.fields, tables), r.record);
    CHECK(got.substr(0, r.error.size()) == r.error);
  }
}

TEST_CASE("a third shape, written from docs/profiles.md alone, is read exactly") {
  const auto prov = load_profile("data/profiles/shape-c-provincial.json", side::provincial);
  CHECK(prov.name == "shape-c");
  CHECK(prov.protocol == "rest");
  CHECK(prov.list["records"] == "duLieu.danhSach");
  const json p = json::parse(R"({
    "meta": {"uuid": "c-77"},
    "hoSo": {"soHoSo": "000.00.12.h10-240715-0009", "maQuocGia": ""},
    "trangThai": {"ma": "xong"},
    "thuTuc": {"ma": "1.003560", "ten": [{"lang": "en", "text": "Licence"}, {"lang": "VI", "text": "Cấp giấy phép"}],
               "linhVuc": {"ma": "g09", "ten": [{"lang": "vi", "text": "Đường bộ"}]}},
    "coQuan": {"ma": "000.00.12.H10", "ten": "Sở Giao thông vận tải"},
    "nguoiNop": {"hoTen": "Nguyễn Văn An", "dienThoai": 912345678, "loai": "dn"},
    "trichYeu": "Cấp đổi",
    "kenh": "truc_tuyen",
    "thanhToan": "",
    "soHoa": 1,
    "moc": {"nhan": 1721005200750, "hen": "20/07/2024 17:00:00", "xong": "1721271600000", "tra": "",
            "capNhat": 1721275200000},
    "ketQua": [{"so": "KQ-9", "ten": "Giấy phép", "tep": {"duongDan": "https://x/kq9.pdf"}}],
    "quyTrinh": {"buoc": [
      {"ten": "Tiếp nhận", "canBo": {"hoTen": "Trần B"}, "phong": "Một cửa", "trangThai": "xong",
       "batDau": 1721005200000, "ketThuc": 1721095200000, "han": "16/07/2024 17:00:00", "dangXuLy": "N"},
      {"ten": "Phê duyệt", "canBo": null, "batDau": 1721095200000, "ketThuc": null, "dangXuLy": "Y"}]}
  })");
  const auto got = prov.record.read(p);
  CHECK(got.warnings.empty());
  const dossier& d = got.value;
  CHECK(d.origin == side::provincial);
  CHECK(d.key == "000.00.12.H10-240715-0009");
  CHECK(d.id == "c-77");
  CHECK(d.code == "000.00.12.H10-240715-0009");
  CHECK(d.status_code == "XONG");
  CHECK(d.status == 9);
  CHECK_FALSE(d.registered);
  CHECK(d.procedure_code == "1.003560");
  CHECK(d.procedure_name == "Cấp giấy phép");
  CHECK(d.sector_code == "G09");
  CHECK(d.sector_name == "Đường bộ");
  CHECK(d.unit_code == "000.00.12.H10");
  CHECK(d.unit_name == "Sở Giao thông vận tải");
  CHECK(d.applicant_name == "Nguyễn Văn An");
  CHECK(d.applicant_phone == "912345678");
  CHECK(d.applicant_email.empty());
  CHECK(d.applicant_type == 2);
  CHECK(d.summary == "Cấp đổi");
  CHECK(d.channel == 2);
  CHECK_FALSE(d.online_payment);
  CHECK(d.digitized == true);
  CHECK(d.received == at("2024-07-15T08:00:00+07:00"));
  CHECK(d.due == at("2024-07-20T17:00:00+07:00"));
  CHECK(d.completed == at("2024-07-18T10:00:00+07:00"));
  CHECK_FALSE(d.returned);
  CHECK(d.updated == at("2024-07-18T11:00:00+07:00"));
  REQUIRE(d.results.size() == 1);
  CHECK(d.results[0].code == "KQ-9");
  CHECK(d.results[0].name == "Giấy phép");
  CHECK(d.results[0].url == "https://x/kq9.pdf");
  REQUIRE(d.steps.size() == 2);
  CHECK(d.steps[0].name == "Tiếp nhận");
  CHECK(d.steps[0].handler == "Trần B");
  CHECK(d.steps[0].position.empty());
  CHECK(d.steps[0].department == "Một cửa");
  CHECK(d.steps[0].status == "xong");
  CHECK(d.steps[0].start == at("2024-07-15T08:00:00+07:00"));
  CHECK(d.steps[0].end == at("2024-07-16T09:00:00+07:00"));
  CHECK(d.steps[0].due == at("2024-07-16T17:00:00+07:00"));
  CHECK_FALSE(d.steps[0].open);
  CHECK(d.steps[1].handler.empty());
  CHECK(d.steps[1].open);
  // Only what this record did not give: the payment ("" is null in its table) and the e-mail (absent: unknown).
  CHECK(d.unknown.names() == "applicant_email, online_payment");
  // The canonical JSON carries the unknown fields and reads back the same.
  const json j = to_json(d);
  CHECK(j["unknown"] == json::array({"applicant_email", "online_payment"}));
  CHECK(to_json(dossier_from_json(j)) == j);

  json registered = p;
  registered["trangThai"]["ma"] = "Moi";
  registered["quyTrinh"] = nullptr;  // steps: absent means unknown in this profile
  const auto r = prov.record.read(registered).value;
  CHECK(r.registered);
  CHECK(r.status == 1);
  CHECK(r.unknown.contains(canonical_field::steps));

  const auto nat = load_profile("data/profiles/shape-c-national.json", side::national);
  CHECK(nat.list.is_null());
  CHECK(nat.lookup["records"] == "ketQua.hoSo");
  const json n = json::parse(R"({"ma": "000.00.12.H10-240715-0009", "trangThai": "10", "thuTuc": 1.003560,
    "donVi": {"ma": "000.00.12.h10", "ten": "Sở GTVT"}, "kenh": 2, "daThanhToan": "true", "soHoa": -1,
    "nhan": "2024-07-15T01:00:00Z", "hen": "2024-07-20T10:00:00Z", "capNhat": "1721275200000",
    "giayTo": [{"ten": "Giấy phép"}]})");
  const auto nd = nat.record.read(n).value;
  CHECK(nd.origin == side::national);
  CHECK(nd.key == "000.00.12.H10-240715-0009");
  CHECK(nd.status == 10);
  CHECK(nd.procedure_code == "1.00356");  // a number on the wire is read as its digits
  CHECK(nd.unit_code == "000.00.12.H10");
  CHECK(nd.unit_name == "Sở GTVT");
  CHECK(nd.channel == 2);
  CHECK(nd.online_payment == true);
  CHECK_FALSE(nd.digitized);
  CHECK(nd.received == at("2024-07-15T08:00:00+07:00"));
  CHECK(nd.due == at("2024-07-20T17:00:00+07:00"));
  CHECK_FALSE(nd.completed);
  CHECK(nd.updated == at("2024-07-18T11:00:00+07:00"));
  REQUIRE(nd.results.size() == 1);
  CHECK(nd.results[0].name == "Giấy phép");
  CHECK(nd.unknown.names() ==
        "id, nation_code, procedure_name, sector_code, sector_name, applicant_name, applicant_phone, applicant_email, "
        "applicant_type, summary, digitised, completed, returned, steps");
}

TEST_CASE("profiles that cannot be used are refused naming the file and the key") {
  json base;
  for (const auto& p : shipped_profile_texts())
    if (p.stem == "contract-provincial") base = json::parse(std::string(p.text), nullptr, true, true);
  REQUIRE(base["side"] == "provincial");
  struct row {
    std::function<void(json&)> change;
    std::string key;
    std::string message;
  };
  const std::vector<row> rows{
      {[](json& j) { j["colour"] = 1; }, "colour", "unknown key"},
      {[](json& j) { j["side"] = "national"; }, "side", "a national profile cannot read the provincial side"},
      {[](json& j) { j.erase("list"); }, "list", "missing: a provincial profile must list"},
      {[](json& j) { j["protocol"] = "soap"; }, "protocol", "expected \"rest\" or \"adapter\""},
      {[](json& j) { j["errors"] = json::object(); }, "errors", "only an adapter"},
      {[](json& j) { j.erase("name"); }, "name", "missing"},
      {[](json& j) { j["record"]["colour"] = 1; }, "record.colour", "unknown key"},
      {[](json& j) { j["record"]["fields"]["channel"]["table"] = "chanel"; }, "record.fields.channel.table",
       "no table \"chanel\""},
      {[](json& j) { j["record"]["fields"]["colour"] = "c"; }, "record.fields.colour", "not a canonical field"},
      {[](json& j) { j["record"]["fields"].erase("due"); }, "record.fields",
       "canonical field \"due\" is neither mapped nor named in record.not_provided"},
      {[](json& j) { j["record"]["not_provided"].push_back("due"); }, "record.not_provided",
       "\"due\" is both mapped and not provided"},
      {[](json& j) { j["record"]["not_provided"].push_back("colour"); }, "record.not_provided",
       "\"colour\" is not a field here"},
      {[](json& j) { j["record"]["time_format"] = "rfc2822"; }, "record.time_format",
       "unknown time format \"rfc2822\""},
      {[](json& j) {
         j["record"]["fields"]["due"] = {{"path", "x"}, {"time", "yyyy"}};
       },
       "record.fields.due.time", "unknown time format"},
      {[](json& j) {
         j["record"]["fields"]["code"] = {{"path", "x"}, {"time", "epoch_ms"}};
       },
       "record.fields.code.time", "only time fields"},
      {[](json& j) {
         j["record"]["fields"]["due"] = {{"path", "x"}, {"colour", 1}};
       },
       "record.fields.due.colour", "unknown key"},
      {[](json& j) {
         j["record"]["fields"]["due"] = {{"time", "epoch_ms"}};
       },
       "record.fields.due", "missing \"path\""},
      {[](json& j) { j["record"]["fields"]["due"] = "a..b"; }, "record.fields.due", "is not a path"},
      {[](json& j) {
         j["record"]["fields"]["due"] = {{"path", "d"}, {"absent", "maybe"}};
       },
       "record.fields.due.absent", "expected \"none\" or \"unknown\""},
      {[](json& j) { j["record"]["fields"]["channel"]["new"] = json::array({"0"}); }, "record.fields.channel.new",
       "only the status field"},
      {[](json& j) { j["record"]["tables"]["channel"]["3"] = 4; }, "record.fields.channel.table",
       "maps \"3\" to 4, not one of 1..3"},
      {[](json& j) { j["record"]["tables"]["status"]["X"] = 11; }, "record.fields.status.table",
       "maps \"X\" to 11, not one of 1..10"},
      {[](json& j) {
         j["record"]["fields"]["digitised"] = {{"path", "d"}, {"table", "channel"}};
       },
       "record.fields.digitised.table", "this field needs true, false or null"},
      {[](json& j) { j["record"]["tables"]["channel"]["x"] = "one"; }, "record.tables.channel.x",
       "expected a number, true, false or null"},
      {[](json& j) { j["record"]["tables"]["channel"][" 0"] = 1; }, "record.tables.channel.0", "the same wire value"},
      {[](json& j) {
         j["record"]["fields"]["procedure_name"] = {{"path", "p"}, {"language", {{"match", "l"}}}};
       },
       "record.fields.procedure_name.language.value", "expected a member name"},
      {[](json& j) { j["record"]["fields"]["steps"]["items"].erase("due"); }, "record.fields.steps.items",
       "item field \"due\" is neither mapped nor named in not_provided"},
      {[](json& j) { j["record"]["fields"]["steps"]["items"]["colour"] = "c"; }, "record.fields.steps.items.colour",
       "not an item field"},
      {[](json& j) { j["record"]["fields"]["results"] = "results"; }, "record.fields.results",
       "expected an object with \"path\" and \"items\""},
      {[](json& j) {
         j["record"]["fields"].erase("code");
         j["record"]["not_provided"].push_back("code");
       },
       "record.not_provided", "\"code\" is how dossiers are matched"},
  };
  for (const auto& r : rows) {
    json j = base;
    r.change(j);
    INFO(r.key);
    try {
      parse_profile(j.dump(), side::provincial, "shape-x.json");
      FAIL("accepted");
    } catch (const profile_error& e) {
      CHECK(e.file == "shape-x.json");
      CHECK(e.key == r.key);
      CHECK(std::string(e.what()).find(r.message) != std::string::npos);
    }
  }
  CHECK_THROWS_WITH_AS(parse_profile("{", side::provincial, "x.json"), doctest::Contains("x.json: not valid JSON"),
                       profile_error);
  CHECK_THROWS_WITH_AS(load_profile("shape-z", side::national), doctest::Contains("no shipped national profile"),
                       profile_error);
  CHECK_THROWS_WITH_AS(load_profile("missing/shape.json", side::national),
                       doctest::Contains("missing/shape.json: cannot be read"), profile_error);
}

TEST_CASE("the shipped profiles load by name, and the default status table is the contract profile's") {
  for (const side s : {side::provincial, side::national}) {
    CHECK(shipped_profile_names(s) == "contract, shape-b");
    CHECK(load_profile("contract", s).file == "shipped profile contract (" + std::string(side_name(s)) + ")");
    CHECK(load_profile("shape-b", s).origin == s);
  }
  const auto& contract = shipped_profile("contract", side::provincial).record.status_table();
  CHECK(status_map{}.table() == std::map<std::string, int, std::less<>>(contract.begin(), contract.end()));
  CHECK(status_map{}.map("COMPLETED") == 9);
  CHECK(load_profile("shape-b", side::national).record.not_provided().contains(canonical_field::steps));
}
