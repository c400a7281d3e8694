#include "sim/portal_service.hpp"

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "reconcile/json_nesting.hpp"
#include "sim/catalog.hpp"
#include "sim/civil_time.hpp"
#include "sim/json_out.hpp"
#include "sim/mix.hpp"
#include "sim/render.hpp"

namespace dvc::sim {
namespace {

enum tag : std::uint64_t { tag_fault = 201, tag_token, tag_drift_pick };

constexpr std::size_t max_page = 1000;
constexpr std::size_t max_grants = 4096;
constexpr std::size_t max_depth = 8;  // request bodies are flat objects

http::response<http::string_body> make(http::status status, std::string body,
                                       std::string_view type = "application/json; charset=utf-8") {
  http::response<http::string_body> r{status, 11};
  r.set(http::field::server, "dvcrecon-sim");
  r.set(http::field::content_type, type);
  r.body() = std::move(body);
  r.prepare_payload();
  return r;
}

reply answer(http::status status, std::string body) {
  return {make(status, std::move(body)), {}, reply::action::respond};
}

reply rest_error(http::status status, std::string_view error, std::string_view message) {
  return answer(status, nlohmann::json{{"error", error}, {"message", message}}.dump());
}

reply national_error(int code, std::string_view message) {
  // The real adapter writes error_code as a string; clients must accept both forms.
  return answer(http::status::ok, nlohmann::json{{"error_code", std::to_string(code)}, {"message", message}}.dump());
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto hexval = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Value of `name` in a query string or form body; nullopt when absent.
std::optional<std::string> param(std::string_view query, std::string_view name, bool plus_is_space) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq), plus_is_space) == name) {
      return eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1), plus_is_space);
    }
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::int64_t> integer(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// National sends numbers as strings or numbers; accept both.
std::optional<std::int64_t> json_integer(const nlohmann::json& j) {
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_string()) return integer(std::string_view(j.get_ref<const std::string&>()));
  return std::nullopt;
}

bool shallow(std::string_view body) {
  json_nesting scan;
  for (const char c : body) {
    if (scan.step(c) == json_nesting::token::open && scan.depth() > max_depth) return false;
  }
  return true;
}

std::optional<std::uint8_t> unit_index(std::string_view code) {
  const auto all = units();
  for (std::uint8_t u = 0; u < all.size(); ++u) {
    if (all[u].code == code) return u;
  }
  return std::nullopt;
}

std::string random_key(std::uint64_t seed, std::uint64_t n) {
  static constexpr char h[] = "0123456789abcdef";
  std::string s;
  for (const auto part : {mix({seed, tag_token, n}), mix({seed, tag_token, n, 1})}) {
    for (int i = 15; i >= 0; --i) s.push_back(h[(part >> (i * 4)) & 15]);
  }
  return s;
}

}  // namespace

portal_service::portal_service(world_config config, fault_spec faults, credentials creds,
                               std::function<std::int64_t()> now)
    : world_(config), faults_(faults), creds_(std::move(creds)), now_(std::move(now)) {
  last_stamp_ = config.clock_start;
}

std::int64_t portal_service::stamp() {
  last_stamp_ = std::max(last_stamp_, now_());
  return last_stamp_;
}

std::string portal_service::issue(grants& store, const lifetime& life) {
  const auto now = now_();
  if (store.size() >= max_grants) {
    std::erase_if(store, [&](const auto& g) {
      return life.by == lifetime::measure::seconds ? now - g.second.issued >= life.amount
                                                   : g.second.uses >= life.amount;
    });
    if (store.size() >= max_grants) store.clear();  // every client simply logs in again
  }
  auto key = random_key(world_.config().seed, ++issued_);
  store[key] = {now, 0};
  return key;
}

bool portal_service::valid(grants& store, const std::string& key, const lifetime& life) {
  const auto it = store.find(key);
  if (it == store.end()) return false;
  auto& g = it->second;
  const bool alive = life.by == lifetime::measure::seconds ? now_() - g.issued < life.amount : g.uses < life.amount;
  if (!alive) {
    store.erase(it);
    return false;
  }
  ++g.uses;
  return true;
}

reply portal_service::handle(const http::request<http::string_body>& request) {
  const std::string_view target(request.target().data(), request.target().size());
  const auto qmark = target.find('?');
  const auto path = target.substr(0, qmark);
  const auto query = qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1);

  std::lock_guard lock(mutex_);
  if (path.starts_with("/sim/")) return control(request, path, query);

  const bool portal_path = path == "/national" || path.starts_with("/provincial/");
  if (!portal_path) return rest_error(http::status::not_found, "not_found", "no such endpoint: " + std::string(path));

  draw g(mix({world_.config().seed, tag_fault, ++requests_}));
  if (g.chance(faults_.hang)) return {make(http::status::ok, ""), {}, reply::action::hang};
  if (g.chance(faults_.error5xx)) {
    static constexpr http::status codes[] = {http::status::internal_server_error, http::status::bad_gateway,
                                             http::status::service_unavailable};
    auto r = rest_error(codes[g.below(3)], "server_error", "simulated server failure");
    r.delay = faults_.latency;
    return r;
  }
  if (g.chance(faults_.rate429)) {
    auto r = rest_error(http::status::too_many_requests, "rate_limited", "too many requests");
    // Every other 429 gives an HTTP-date rather than seconds, as some gateways do.
    const auto after = (++throttled_ % 2 == 0) ? http_date(std::chrono::duration_cast<std::chrono::seconds>(
                                                               std::chrono::system_clock::now().time_since_epoch())
                                                               .count() +
                                                           faults_.retry_after_s)
                                               : std::to_string(faults_.retry_after_s);
    r.response.set(http::field::retry_after, after);
    r.delay = faults_.latency;
    return r;
  }

  reply r;
  if (path == "/national") {
    r = request.method() == http::verb::post ? national(request)
                                             : rest_error(http::status::method_not_allowed, "method", "use POST");
  } else if (path == "/provincial/oauth/token") {
    r = request.method() == http::verb::post ? token(request)
                                             : rest_error(http::status::method_not_allowed, "method", "use POST");
  } else if (path.starts_with("/provincial/api/dossiers")) {
    const auto rest = path.substr(std::string_view("/provincial/api/dossiers").size());
    if (request.method() != http::verb::get) {
      r = rest_error(http::status::method_not_allowed, "method", "use GET");
    } else {
      const auto auth = request[http::field::authorization];
      const std::string_view a(auth.data(), auth.size());
      if (!a.starts_with("Bearer ") || !valid(tokens_, std::string(a.substr(7)), faults_.token_ttl)) {
        r = rest_error(http::status::unauthorized, "invalid_token", "access token missing, invalid or expired");
        r.response.set(http::field::www_authenticate, "Bearer error=\"invalid_token\"");
      } else if (rest.empty() || rest == "/") {
        r = provincial_list(query);
      } else {
        r = provincial_one(percent_decode(rest.substr(1), false));
      }
    }
  } else {
    r = rest_error(http::status::not_found, "not_found", "no such endpoint: " + std::string(path));
  }
  r.delay = faults_.latency;
  if (g.chance(faults_.truncate)) r.what = reply::action::truncate;
  return r;
}

reply portal_service::token(const http::request<http::string_body>& request) {
  const std::string_view body = request.body();
  const auto grant_type = param(body, "grant_type", true);
  if (grant_type != "client_credentials") {
    return answer(http::status::bad_request,
                  R"({"error":"unsupported_grant_type","error_description":"grant_type must be client_credentials"})");
  }
  if (param(body, "client_id", true) != creds_.client_id ||
      param(body, "client_secret", true) != creds_.client_secret) {
    return answer(http::status::unauthorized,
                  R"({"error":"invalid_client","error_description":"unknown client or wrong secret"})");
  }
  const auto key = issue(tokens_, faults_.token_ttl);
  const auto expires = faults_.token_ttl.by == lifetime::measure::seconds ? faults_.token_ttl.amount : 300u;
  return answer(http::status::ok,
                nlohmann::json{
                    {"access_token", key}, {"token_type", "Bearer"}, {"expires_in", expires}, {"scope", "dossier.read"}}
                    .dump());
}

reply portal_service::provincial_list(std::string_view query) {
  page_query q;
  q.side = portal::provincial;
  if (auto from = param(query, "updatedFrom", false); from && !from->empty()) {
    const auto t = read_iso(*from);
    if (!t)
      return rest_error(http::status::bad_request, "bad_request", "updatedFrom: not an ISO 8601 date-time: " + *from);
    q.from = *t;
  }
  std::int64_t page = 0, size = 20;
  if (auto p = param(query, "page", false)) {
    const auto v = integer(*p);
    if (!v || *v < 0)
      return rest_error(http::status::bad_request, "bad_request", "page: a whole number from 0 is expected");
    page = *v;
  }
  if (auto s = param(query, "size", false)) {
    const auto v = integer(*s);
    if (!v || *v < 1 || *v > static_cast<std::int64_t>(max_page)) {
      return rest_error(http::status::bad_request, "bad_request", "size: must be between 1 and 1000");
    }
    size = *v;
  }
  if (auto agency = param(query, "agencyCode", false); agency && !agency->empty()) {
    q.unit = unit_index(*agency).value_or(UINT8_MAX);
  }
  q.limit = static_cast<std::size_t>(size);
  q.offset = static_cast<std::size_t>(std::min<std::int64_t>(page, INT32_MAX)) * q.limit;
  draw g(mix({world_.config().seed, tag_drift_pick, requests_}));
  if (page > 0 && g.chance(faults_.drift)) world_.drift(q, q.offset, 1 + g.below(3), requests_, stamp());
  const auto result = world_.page(q);

  std::string body;
  body.reserve(result.records.size() * 2200 + 128);
  json_out j(body);
  j.begin_object().key("content").begin_array();
  for (const auto idx : result.records) {
    j.raw("");  // the separating comma; the record itself is written by the renderer
    render_provincial(world_, idx, body);
  }
  j.end_array();
  j.key("page").num(page).key("size").num(size).key("totalElements").num(static_cast<std::int64_t>(result.total));
  j.key("totalPages").num(static_cast<std::int64_t>((result.total + q.limit - 1) / q.limit));
  j.end_object();
  return answer(http::status::ok, std::move(body));
}

reply portal_service::provincial_one(std::string_view code) {
  const auto idx = world_.find(code);
  if (!idx || !world_.present(*idx, portal::provincial)) {
    return rest_error(http::status::not_found, "not_found", "no dossier with code " + std::string(code));
  }
  std::string body;
  render_provincial(world_, *idx, body);
  return answer(http::status::ok, std::move(body));
}

reply portal_service::national(const http::request<http::string_body>& request) {
  const auto dst = request["dstcode"];
  if (std::string_view(dst.data(), dst.size()) != creds_.dstcode) return national_error(3, "dstcode không hợp lệ");
  if (!shallow(request.body())) return national_error(3, "body: JSON nested too deeply");
  const auto body = nlohmann::json::parse(request.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) return national_error(3, "body: not a JSON object");
  const auto text = [&](const char* name) -> std::optional<std::string> {
    const auto it = body.find(name);
    if (it == body.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  const auto service = text("service").value_or("");
  if (service == "DangNhap") {
    if (text("username") != creds_.username || text("password") != creds_.password) {
      return national_error(3, "Sai tên đăng nhập hoặc mật khẩu");
    }
    const auto key = issue(sessions_, faults_.session_ttl);
    return answer(http::status::ok, nlohmann::json{{"error_code", "0"}, {"session", key}, {"message", ""}}.dump());
  }
  if (service != "LayDanhSachHoSo" && service != "TraCuuHoSo") {
    return national_error(3, "service: không hỗ trợ '" + service + "'");
  }
  const auto session = text("session");
  if (!session || !valid(sessions_, *session, faults_.session_ttl)) {
    return national_error(2, "Phiên làm việc không hợp lệ hoặc đã hết hạn");
  }
  page_query q;
  q.side = portal::national;
  const auto madonvi = text("madonvi").value_or("");
  if (!madonvi.empty() && madonvi != province_code) {
    q.unit = unit_index(madonvi);
    if (!q.unit) return national_error(3, "madonvi: không có đơn vị " + madonvi);
  }
  if (service == "TraCuuHoSo") {
    const auto code = text("mahoso");
    if (!code) return national_error(3, "mahoso: thiếu mã hồ sơ");
    const auto idx = world_.find(*code);
    std::string result = "[";
    if (idx && world_.present(*idx, portal::national) && (!q.unit || world_.state(*idx).unit == *q.unit)) {
      render_national(world_, *idx, result);
    }
    result += ']';
    return answer(http::status::ok, R"({"error_code":"0","message":"","result":)" + result + "}");
  }
  const auto from = read_national(text("tungay").value_or(""));
  if (!from) return national_error(3, "tungay: cần dạng yyyyMMddHHmmss");
  const auto to = read_national(text("denngay").value_or(""));
  if (!to) return national_error(3, "denngay: cần dạng yyyyMMddHHmmss");
  if (*to < *from) return national_error(3, "denngay: trước tungay");
  const auto trang = body.contains("trang") ? json_integer(body["trang"]) : std::optional<std::int64_t>(1);
  if (!trang || *trang < 1) return national_error(3, "trang: số trang bắt đầu từ 1");
  const auto sobanghi = body.contains("sobanghi") ? json_integer(body["sobanghi"]) : std::optional<std::int64_t>(100);
  if (!sobanghi || *sobanghi < 1 || *sobanghi > static_cast<std::int64_t>(max_page)) {
    return national_error(3, "sobanghi: tối đa 1000 bản ghi một trang");
  }
  q.from = *from;
  q.to = *to;
  q.limit = static_cast<std::size_t>(*sobanghi);
  q.offset = static_cast<std::size_t>(std::min<std::int64_t>(*trang - 1, INT32_MAX)) * q.limit;
  draw g(mix({world_.config().seed, tag_drift_pick, requests_}));
  if (*trang > 1 && g.chance(faults_.drift)) world_.drift(q, q.offset, 1 + g.below(3), requests_, stamp());
  const auto result = world_.page(q);

  std::string out;
  out.reserve(result.records.size() * 2200 + 128);
  json_out j(out);
  j.begin_object()
      .key("error_code")
      .num(0)
      .key("message")
      .str("")
      .key("tongso")
      .num(static_cast<std::int64_t>(result.total));
  j.key("result").begin_array();
  for (const auto idx : result.records) {
    j.raw("");  // the separating comma; the record itself is written by the renderer
    render_national(world_, idx, out);
  }
  j.end_array().end_object();
  return answer(http::status::ok, std::move(out));
}

reply portal_service::control(const http::request<http::string_body>& request, std::string_view path,
                              std::string_view query) {
  if (path == "/sim/mutate" && request.method() == http::verb::post) {
    const auto text = param(query, "percent", false).value_or("");
    double percent = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), percent);
    if (ec != std::errc{} || end != text.data() + text.size() || !(percent > 0) || percent > 100) {
      return rest_error(http::status::bad_request, "bad_request", "percent: a number in (0, 100] is expected");
    }
    const auto changed = world_.mutate(percent, stamp());
    return answer(http::status::ok, nlohmann::json{{"changed", changed}}.dump());
  }
  if (path == "/sim/status" && request.method() == http::verb::get) {
    return answer(
        http::status::ok,
        nlohmann::json{
            {"dossiers", world_.count()}, {"ticks", ticks_}, {"requests", requests_}, {"seed", world_.config().seed}}
            .dump());
  }
  return rest_error(http::status::not_found, "not_found", "no such control endpoint: " + std::string(path));
}

std::size_t portal_service::tick() {
  std::lock_guard lock(mutex_);
  return world_.tick(ticks_++, stamp());
}

std::size_t portal_service::mutate(double percent) {
  std::lock_guard lock(mutex_);
  return world_.mutate(percent, stamp());
}

std::uint32_t portal_service::dossier_count() {
  std::lock_guard lock(mutex_);
  return world_.count();
}

dump_counts portal_service::dump(const std::filesystem::path& dir) {
  std::lock_guard lock(mutex_);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir.string() + ": cannot create directory: " + ec.message());
  dump_counts counts;
  for (const auto side : {portal::provincial, portal::national}) {
    const auto path = dir / (side == portal::provincial ? "provincial.jsonl" : "national.jsonl");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(path.string() + ": cannot open for writing");
    std::string buffer;
    std::size_t n = 0;
    world_.for_each(side, [&](std::uint32_t idx) {
      render(world_, idx, side, buffer);
      buffer.push_back('\n');
      ++n;
      if (buffer.size() > (1u << 20)) {
        out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        buffer.clear();
      }
    });
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    out.close();
    if (!out) throw std::runtime_error(path.string() + ": write failed (disk full?)");
    (side == portal::provincial ? counts.provincial : counts.national) = n;
  }
  return counts;
}

}  // namespace dvc::sim
