#include "tests/connectors/fake_portals.hpp"

#include <algorithm>

namespace dvc::test {
namespace http = boost::beast::http;

namespace {

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

nlohmann::json national_code(const fake_national& portal, int code) {
  return portal.numeric_codes ? nlohmann::json(code) : nlohmann::json(std::to_string(code));
}

// The page's JSON text with `array_key`'s records written out one by one, raw text where the portal has one.
std::string page_text(nlohmann::json envelope, const char* array_key, const std::vector<std::string>& ids,
                      const fake_records& portal, const std::function<nlohmann::json(const std::string&)>& record) {
  envelope[array_key] = "\x01";
  std::string items;
  for (const auto& id : ids) {
    if (!items.empty()) items += ',';
    const auto raw = portal.raw.find(id);
    items += raw != portal.raw.end() ? raw->second : record(id).dump();
  }
  std::string text = envelope.dump();
  const std::string marker = "\"\\u0001\"";
  text.replace(text.find(marker), marker.size(), "[" + items + "]");
  return text;
}

}  // namespace

std::map<std::string, std::string> query_of(const std::string& target) {
  std::map<std::string, std::string> out;
  const auto q = target.find('?');
  if (q == std::string::npos) return out;
  std::string_view rest(target);
  rest.remove_prefix(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    out[std::string(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return out;
}

std::vector<std::pair<instant, std::string>> fake_records::rows(instant from, instant to) const {
  std::vector<std::pair<instant, std::string>> out;
  for (const auto& [id, ts] : records)
    if (ts >= from && ts <= to) out.emplace_back(ts, id);
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::json fake_provincial::record(const std::string& id) const {
  return {{"id", id},
          {"code", "000.00.12.H10-240715-" + id},
          {"agency", {{"code", id.back() % 2 == 0 ? "EVEN" : "ODD"}}},
          {"updatedDate", format_utc_iso(records.at(id))}};
}

reply fake_provincial::handle(const request& req) {
  const std::string target(req.target());
  if (target == "/token") {
    ++token_calls;
    last_token_form = req.body();
    if (token_fault)
      if (auto r = token_fault(token_calls)) return *r;
    if (req.body().find("client_secret=" + client_secret) == std::string::npos) return json_reply(401, {});
    valid_token = "tok-" + std::to_string(token_calls);
    return json_reply(200, {{"access_token", valid_token}, {"token_type", "Bearer"}, {"expires_in", expires_in}});
  }
  if (req[http::field::authorization] != "Bearer " + valid_token || valid_token.empty()) {
    ++unauthorized;
    return json_reply(401, {{"error", "invalid_token"}});
  }
  const std::string prefix = "/api/dossiers";
  if (target.rfind(prefix + "/", 0) == 0) {
    const std::string code = target.substr(prefix.size() + 1);
    for (const auto& [id, ts] : records)
      if (record(id)["code"] == code) return json_reply(200, record(id));
    return json_reply(404, {{"error", "not found"}});
  }
  ++list_calls;
  if (list_fault)
    if (auto r = list_fault(list_calls)) return *r;
  const auto query = query_of(target);
  const instant from = *parse_iso_time(query.at("updatedFrom"));
  const std::size_t page = std::stoul(query.at("page"));
  const std::size_t size = std::stoul(query.at("size"));
  last_agency = query.count("agencyCode") ? query.at("agencyCode") : "";
  std::vector<std::string> content;
  std::size_t index = 0;
  for (const auto& [ts, id] : rows(from, INT64_MAX)) {
    if (!last_agency.empty() && record(id)["agency"]["code"] != last_agency) continue;
    if (index >= page * size && index < (page + 1) * size) content.push_back(id);
    ++index;
  }
  reply answer = json_reply(200, {});
  answer.res.body() =
      page_text({{"page", page}, {"size", size}, {"totalElements", index}, {"totalPages", (index + size - 1) / size}},
                "content", content, *this, [this](const std::string& id) { return record(id); });
  if (after_page) after_page(list_calls);
  return answer;
}

nlohmann::json fake_national::record(const std::string& id) const {
  return {{"MaHoSo", "000.00.12.H10-240715-" + id}, {"NgayCapNhat", format_national_time(records.at(id))}};
}

reply fake_national::handle(const request& req) {
  if (req["dstcode"] != "DST-1") return json_reply(403, {{"error", "dstcode"}});
  const nlohmann::json body = nlohmann::json::parse(req.body());
  const std::string service = body.at("service");
  if (service == "DangNhap") {
    if (body.at("username") != "dvc-user" || body.at("password") != password)
      return json_reply(200, {{"error_code", national_code(*this, 1)}, {"message", "Sai tên đăng nhập hoặc mật khẩu"}});
    ++logins;
    if (login_fault)
      if (auto r = login_fault(logins)) return *r;
    valid_session = "sess-" + std::to_string(logins);
    return json_reply(200, {{"error_code", national_code(*this, 0)}, {"session", valid_session}, {"message", ""}});
  }
  if (valid_session.empty() || body.at("session") != valid_session)
    return json_reply(200, {{"error_code", national_code(*this, 2)}, {"message", "Phiên làm việc hết hạn"}});
  if (body.at("madonvi") != "000.00.12.H10") return json_reply(200, {{"error_code", national_code(*this, 3)}});
  if (service == "TraCuuHoSo") {
    nlohmann::json result = nlohmann::json::array();
    for (const auto& [id, ts] : records)
      if (record(id)["MaHoSo"] == body.at("mahoso")) result.push_back(record(id));
    return json_reply(200, {{"error_code", national_code(*this, 0)}, {"result", result}});
  }
  ++list_calls;
  if (list_fault)
    if (auto r = list_fault(list_calls)) return *r;
  const instant from = *parse_national_time(body.at("tungay").get<std::string>());
  const instant to = *parse_national_time(body.at("denngay").get<std::string>());
  const std::size_t trang = body.at("trang");
  const std::size_t size = body.at("sobanghi");
  if (trang < 1 || size < 1 || size > 1000) return json_reply(200, {{"error_code", national_code(*this, 3)}});
  const auto all = rows(from, to);
  std::vector<std::string> result;
  for (std::size_t i = (trang - 1) * size; i < all.size() && i < trang * size; ++i) result.push_back(all[i].second);
  reply answer = json_reply(200, {});
  answer.res.body() = page_text({{"error_code", national_code(*this, 0)}, {"tongso", all.size()}}, "result", result,
                                *this, [this](const std::string& id) { return record(id); });
  if (after_page) after_page(list_calls);
  return answer;
}

}  // namespace dvc::test
