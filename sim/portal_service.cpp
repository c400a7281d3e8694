#include "sim/portal_service.hpp"

#include <charconv>
#include <fstream>
#include <stdexcept>

#include "reconcile/json_nesting.hpp"
#include "reconcile/json_writer.hpp"
#include "sim/catalog.hpp"
#include "sim/civil_time.hpp"
#include "sim/http_parts.hpp"
#include "sim/mix.hpp"

namespace dvc::sim {
namespace {

enum tag : std::uint64_t { tag_fault = 201, tag_token, tag_drift_pick };

constexpr std::size_t max_page = 1000;
constexpr std::size_t max_grants = 4096;
constexpr std::size_t max_depth = 8;  // request bodies are flat objects

reply national_error(int code, std::string_view message) {
  // The real adapter writes error_code as a string; clients must accept both forms.
  return answer(http::status::ok, nlohmann::json{{"error_code", std::to_string(code)}, {"message", message}}.dump());
}

// National sends numbers as strings or numbers; accept both.
std::optional<std::int64_t> json_integer(const nlohmann::json& j) {
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_string()) return integer(std::string_view(j.get_ref<const std::string&>()));
  return std::nullopt;
}

std::optional<std::string> text_member(const nlohmann::json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

bool shallow(std::string_view body) {
  json_nesting scan;
  for (const char c : body) {
    if (scan.step(c) == json_nesting::token::open && scan.depth() > max_depth) return false;
  }
  return true;
}

std::string random_key(std::uint64_t seed, std::uint64_t n) {
  static constexpr char h[] = "0123456789abcdef";
  std::string s;
  for (const auto part : {mix({seed, tag_token, n}), mix({seed, tag_token, n, 1})}) {
    for (int i = 15; i >= 0; --i) s.push_back(h[(part >> (i * 4)) & 15]);
  }
  return s;
}

bool is_portal_path(std::string_view path) {
  return path == "/national" || path.starts_with("/national/") || path.starts_with("/provincial/");
}

// docs/simulator.md#legacy-source: the legacy source's provincial paths.
constexpr std::string_view legacy_prefix = "/legacy";

}  // namespace

portal_service::portal_service(world_config config, wire_shape shape, fault_spec faults, credentials creds,
                               sim_clock clock)
    : world_(std::move(config)), shape_(shape), faults_(faults), creds_(std::move(creds)), clock_(std::move(clock)) {
  last_stamp_ = world_.config().clock_start;
}

std::int64_t portal_service::stamp() {
  last_stamp_ = std::max(last_stamp_, clock_.present());
  return last_stamp_;
}

std::string portal_service::issue(grants& store, const lifetime& life) {
  const auto now = clock_.present();
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
  const bool alive =
      life.by == lifetime::measure::seconds ? clock_.present() - g.issued < life.amount : g.uses < life.amount;
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
  auto source = provincial_source::current;
  auto portal_path = path;
  if (world_.config().legacy_source && path.starts_with(legacy_prefix) &&
      path.substr(legacy_prefix.size()).starts_with("/provincial/")) {
    source = provincial_source::legacy;
    portal_path = path.substr(legacy_prefix.size());
  }
  if (!is_portal_path(portal_path)) {
    return rest_error(http::status::not_found, "not_found", "no such endpoint: " + std::string(path));
  }
  const auto number = ++requests_;
  if (auto fault = injected_fault(number)) return std::move(*fault);
  auto r = route(request, portal_path, query, source);
  r.delay = faults_.latency;
  if (draw(mix({world_.config().seed, tag_fault, number, 1})).chance(faults_.truncate)) {
    r.what = reply::action::truncate;
  }
  return r;
}

// A request the fault spec answers before any portal sees it: a hang, a server error or a 429.
std::optional<reply> portal_service::injected_fault(std::uint64_t request_number) {
  draw g(mix({world_.config().seed, tag_fault, request_number}));
  if (g.chance(faults_.hang)) return reply{make_response(http::status::ok, ""), {}, reply::action::hang};
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
    const auto after = (++throttled_ % 2 == 0) ? http_date(clock_.wall() + faults_.retry_after_s)
                                               : std::to_string(faults_.retry_after_s);
    r.response.set(http::field::retry_after, after);
    r.delay = faults_.latency;
    return r;
  }
  return std::nullopt;
}

// The endpoints of the service's shape; anything else is 404, a known path with another method 405.
reply portal_service::route(const http::request<http::string_body>& request, std::string_view path,
                            std::string_view query, provincial_source source) {
  const auto only = [&](http::verb allowed, auto&& serve) -> reply {
    if (request.method() != allowed) {
      return rest_error(http::status::method_not_allowed, "method", "use " + std::string(http::to_string(allowed)));
    }
    return serve();
  };
  // A provincial read: GET with a live token.
  const auto read = [&](auto&& serve) {
    return only(http::verb::get, [&]() -> reply {
      if (auto refused = refuse_token(request, source)) return std::move(*refused);
      return serve();
    });
  };
  if (path == "/provincial/oauth/token") return only(http::verb::post, [&] { return token(request, source); });
  if (shape_ == wire_shape::contract) {
    constexpr std::string_view dossiers = "/provincial/api/dossiers";
    if (path == "/national") return only(http::verb::post, [&] { return national(request); });
    if (path == dossiers || path == "/provincial/api/dossiers/") {
      return read([&] { return provincial_list(query, source); });
    }
    if (path.starts_with("/provincial/api/dossiers/")) {
      return read([&] { return provincial_one(percent_decode(path.substr(dossiers.size() + 1), false), source); });
    }
  } else {
    constexpr std::string_view one = "/provincial/api/pa/dossier/", by_code = "/--by-code";
    if (path == "/national/login") return only(http::verb::post, [&] { return national_login(request); });
    if (path == "/national/g") return only(http::verb::post, [&] { return national_gateway(request); });
    if (path == "/provincial/api/pa/dossier/search") return read([&] { return platform_search(query, source); });
    if (path.starts_with(one) && path.ends_with(by_code) && path.size() > one.size() + by_code.size()) {
      const auto code = path.substr(one.size(), path.size() - one.size() - by_code.size());
      return read([&] { return provincial_one(percent_decode(code, false), source); });
    }
  }
  return rest_error(http::status::not_found, "not_found",
                    "no such endpoint in the " + std::string(shape_name(shape_)) + " shape: " + std::string(path));
}

void portal_service::maybe_drift(const page_query& q, bool first_page) {
  draw g(mix({world_.config().seed, tag_drift_pick, requests_}));
  if (!first_page && g.chance(faults_.drift)) world_.drift(q, 1 + g.below(3), requests_, stamp());
}

// The common checks of every national call: the dstcode header, a flat JSON object.
portal_service::national_request portal_service::national_call(const http::request<http::string_body>& request) {
  const auto dst = request["dstcode"];
  if (std::string_view(dst.data(), dst.size()) != creds_.dstcode) {
    return {{}, national_error(3, "dstcode không hợp lệ")};
  }
  if (!shallow(request.body())) return {{}, national_error(3, "body: JSON nested too deeply")};
  auto body = nlohmann::json::parse(request.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) return {{}, national_error(3, "body: not a JSON object")};
  return {std::move(body), std::nullopt};
}

// The contract shape: one endpoint, the service named in the body.
reply portal_service::national(const http::request<http::string_body>& request) {
  auto call = national_call(request);
  if (call.refusal) return std::move(*call.refusal);
  const auto service = text_member(call.body, "service").value_or("");
  if (service == "DangNhap") return log_in(call.body);
  if (service != "LayDanhSachHoSo" && service != "TraCuuHoSo") {
    return national_error(3, "service: không hỗ trợ '" + service + "'");
  }
  if (auto refusal = refuse_session(call.body)) return std::move(*refusal);
  return service == "TraCuuHoSo" ? look_up(call.body) : list_window(call.body);
}

// Shape B: a login call of its own.
reply portal_service::national_login(const http::request<http::string_body>& request) {
  auto call = national_call(request);
  if (call.refusal) return std::move(*call.refusal);
  return log_in(call.body);
}

// Shape B: every other call, look-ups only.
reply portal_service::national_gateway(const http::request<http::string_body>& request) {
  auto call = national_call(request);
  if (call.refusal) return std::move(*call.refusal);
  const auto service = text_member(call.body, "service").value_or("");
  if (service != "TraCuuHoSo") {
    return national_error(3, "service: '" + service + "' không được hỗ trợ (chỉ TraCuuHoSo)");
  }
  if (auto refusal = refuse_session(call.body)) return std::move(*refusal);
  return look_up(call.body);
}

reply portal_service::log_in(const nlohmann::json& body) {
  if (text_member(body, "username") != creds_.username || text_member(body, "password") != creds_.password) {
    return national_error(3, "Sai tên đăng nhập hoặc mật khẩu");
  }
  const auto key = issue(sessions_, faults_.session_ttl);
  if (shape_ == wire_shape::b)
    return answer(http::status::ok, nlohmann::json{{"error_code", 0}, {"session", key}}.dump());
  return answer(http::status::ok, nlohmann::json{{"error_code", "0"}, {"session", key}, {"message", ""}}.dump());
}

std::optional<reply> portal_service::refuse_session(const nlohmann::json& body) {
  const auto session = text_member(body, "session");
  if (!session || !valid(sessions_, *session, faults_.session_ttl)) {
    return national_error(2, "Phiên làm việc không hợp lệ hoặc đã hết hạn");
  }
  return std::nullopt;
}

reply portal_service::look_up(const nlohmann::json& body) {
  const auto madonvi = text_member(body, "madonvi").value_or("");
  std::optional<std::uint16_t> unit;
  if (!madonvi.empty() && madonvi != world_.province().province().code) {
    unit = world_.province().unit_index(madonvi);
    if (!unit) return national_error(3, "madonvi: không có đơn vị " + madonvi);
  }
  const auto code = text_member(body, "mahoso");
  if (!code) return national_error(3, "mahoso: thiếu mã hồ sơ");
  const auto idx = world_.find(*code);
  std::string out;
  json_writer j(out);
  j.begin_object();
  if (shape_ == wire_shape::b) {
    j.key("error_code").num(0).key("data");
  } else {
    j.key("error_code").str("0").key("message").str("").key("result");
  }
  j.begin_array();
  if (idx && world_.present(*idx, portal::national) && (!unit || world_.state(*idx).unit == *unit)) {
    render(world_, *idx, portal::national, shape_, j);
  }
  j.end_array().end_object();
  return answer(http::status::ok, std::move(out));
}

reply portal_service::list_window(const nlohmann::json& body) {
  page_query q;
  q.side = portal::national;
  const auto madonvi = text_member(body, "madonvi").value_or("");
  if (!madonvi.empty() && madonvi != world_.province().province().code) {
    q.unit = world_.province().unit_index(madonvi);
    if (!q.unit) return national_error(3, "madonvi: không có đơn vị " + madonvi);
  }
  const auto from = read_national(text_member(body, "tungay").value_or(""));
  if (!from) return national_error(3, "tungay: cần dạng yyyyMMddHHmmss");
  const auto to = read_national(text_member(body, "denngay").value_or(""));
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
  maybe_drift(q, *trang == 1);
  const auto result = world_.page(q);

  std::string out;
  out.reserve(result.records.size() * 2200 + 128);
  json_writer j(out);
  j.begin_object().key("error_code").num(0).key("message").str("");
  j.key("tongso").num(static_cast<std::int64_t>(result.total));
  j.key("result").begin_array();
  for (const auto idx : result.records) render(world_, idx, portal::national, shape_, j);
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
    nlohmann::json status{{"dossiers", world_.count()},
                          {"ticks", ticks_},
                          {"requests", requests_},
                          {"seed", world_.config().seed},
                          {"shape", shape_name(shape_)}};
    if (world_.config().legacy_source) {
      std::size_t legacy_only = 0, moved = 0;
      for (std::uint32_t idx = 0; idx < world_.count(); ++idx) {
        legacy_only += world_.serves(idx, provincial_source::legacy) && world_.legacy_only(idx);
        moved += world_.serves(idx, provincial_source::legacy) && world_.moved_from_legacy(idx);
      }
      status["legacy_only"] = legacy_only;
      status["moved"] = moved;
    }
    return answer(http::status::ok, status.dump());
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

void portal_service::dump_file(const std::filesystem::path& path, const std::vector<std::uint32_t>& order, portal side,
                               provincial_source source, std::size_t& count) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(path.string() + ": cannot open for writing");
  std::string buffer;
  // Shape B's provincial platform lists newest first; every other listing is oldest first.
  const bool newest_first = shape_ == wire_shape::b && side == portal::provincial;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto idx = order[newest_first ? order.size() - 1 - k : k];
    json_writer j(buffer);
    if (side == portal::provincial) {
      render_provincial(idx, source, j);
    } else {
      render(world_, idx, side, shape_, j);
    }
    buffer.push_back('\n');
    if (buffer.size() > (1u << 20)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  out.close();
  if (!out) throw std::runtime_error(path.string() + ": write failed (disk full?)");
  count = order.size();
}

dump_counts portal_service::dump(const std::filesystem::path& dir) {
  std::lock_guard lock(mutex_);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir.string() + ": cannot create directory: " + ec.message());
  const auto in_order = [&](portal side, provincial_source source) {
    std::vector<std::uint32_t> order;
    world_.for_each(
        side, false, [&](std::uint32_t idx) { order.push_back(idx); }, source);
    return order;
  };
  dump_counts counts;
  const auto current = in_order(portal::provincial, provincial_source::current);
  if (!world_.config().legacy_source) {
    dump_file(dir / "provincial.jsonl", current, portal::provincial, provincial_source::current, counts.provincial);
  } else {
    // docs/simulator.md#dumps: the truth holds the new source's record of a moved dossier, and each source's file
    // what it serves.
    const auto legacy = in_order(portal::provincial, provincial_source::legacy);
    dump_file(dir / "provincial.jsonl", world_.provincial_truth(), portal::provincial, provincial_source::current,
              counts.provincial);
    dump_file(dir / "provincial-new.jsonl", current, portal::provincial, provincial_source::current,
              counts.provincial_new);
    dump_file(dir / "provincial-legacy.jsonl", legacy, portal::provincial, provincial_source::legacy,
              counts.provincial_legacy);
    for (const auto idx : legacy) (world_.moved_from_legacy(idx) ? counts.moved : counts.legacy_only) += 1;
    counts.new_only = counts.provincial_new - counts.moved;
  }
  dump_file(dir / "national.jsonl", in_order(portal::national, provincial_source::current), portal::national,
            provincial_source::current, counts.national);
  return counts;
}

}  // namespace dvc::sim
