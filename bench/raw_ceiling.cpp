// The raw ceiling of a reconcile cycle: a bare client that downloads every page of both simulated portals and
// bulk-loads the raw records into a fresh SQLite file, and nothing else. `dvcrecon run --once` does this work plus
// matching, rules and the ledger's bookkeeping, so its wall time divided by this one is the overhead the
// benchmark targets (≤ 2×). Kept deliberately plain: one keep-alive connection, pages fetched one after another,
// one transaction, one prepared insert, WAL.
//
// usage: raw_ceiling --base http://127.0.0.1:PORT --db FILE [--page-size 1000]
// prints one JSON object: records and pages per side, bytes received.
#include <sqlite3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using json = nlohmann::json;

namespace {

// The simulator's default credentials (sim/portal_service.hpp).
constexpr const char* client_id = "dvcrecon";
constexpr const char* client_secret = "sim-provincial-secret";
constexpr const char* username = "binhphuoc.dvcrecon";
constexpr const char* password = "sim-national-secret";
constexpr const char* dstcode = "H10";
constexpr const char* madonvi = "000.00.00.H19";  // the default world's province (Đồng Nai)
// A page of 1000 records is about 2 MB; the limit only guards against a runaway answer.
constexpr std::uint64_t body_limit = 256ull << 20;

struct failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class client {
 public:
  client(std::string host, std::string port) : host_(std::move(host)), port_(std::move(port)), stream_(io_) {
    asio::ip::tcp::resolver resolver(io_);
    stream_.connect(resolver.resolve(host_, port_));
    // As dvcrecon's own client does (connectors/http_exchange.hpp): without it every read takes 512 bytes.
    buffer_.reserve(64 * 1024);
  }

  std::string exchange(http::verb verb, const std::string& target, const std::string& content_type, std::string body,
                       const std::string& authorization = {}, const std::string& dst = {}) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, host_ + ":" + port_);
    req.keep_alive(true);
    if (!content_type.empty()) req.set(http::field::content_type, content_type);
    if (!authorization.empty()) req.set(http::field::authorization, authorization);
    if (!dst.empty()) req.set("dstcode", dst);
    req.body() = std::move(body);
    req.prepare_payload();
    http::write(stream_, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(body_limit);
    http::read(stream_, buffer_, parser);
    auto res = parser.release();
    if (res.result() != http::status::ok) {
      throw failure(target + ": HTTP " + std::to_string(res.result_int()) + ": " + res.body().substr(0, 200));
    }
    bytes_ += res.body().size();
    return std::move(res.body());
  }

  std::uint64_t bytes() const { return bytes_; }

 private:
  std::string host_, port_;
  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::uint64_t bytes_ = 0;
};

class database {
 public:
  explicit database(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw failure(path + ": " + sqlite3_errmsg(db_));
    run("PRAGMA journal_mode=WAL");
    run("CREATE TABLE raw (side TEXT NOT NULL, key TEXT NOT NULL, updated TEXT, body TEXT NOT NULL)");
    run("BEGIN");
    if (sqlite3_prepare_v2(db_, "INSERT INTO raw (side, key, updated, body) VALUES (?, ?, ?, ?)", -1, &insert_,
                           nullptr) != SQLITE_OK) {
      throw failure(std::string("prepare insert: ") + sqlite3_errmsg(db_));
    }
  }
  ~database() {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  void add(const char* side, const json& record, const char* key_field, const char* updated_field) {
    const auto text = [&](const char* field) -> std::string {
      const auto it = record.find(field);
      return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const auto key = text(key_field);
    const auto updated = text(updated_field);
    const auto body = record.dump();
    sqlite3_bind_text(insert_, 1, side, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert_, 2, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert_, 3, updated.data(), static_cast<int>(updated.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert_, 4, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
    if (sqlite3_step(insert_) != SQLITE_DONE) throw failure(std::string("insert: ") + sqlite3_errmsg(db_));
    sqlite3_reset(insert_);
  }

  void commit() { run("COMMIT"); }

 private:
  void run(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = std::string(sql) + ": " + (error ? error : "unknown error");
      sqlite3_free(error);
      throw failure(message);
    }
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

json parse(const std::string& body, const std::string& what) {
  auto value = json::parse(body, nullptr, false);
  if (value.is_discarded() || !value.is_object()) throw failure(what + ": the answer is not a JSON object");
  return value;
}

struct side_count {
  std::uint64_t records = 0, pages = 0;
};

side_count provincial(client& c, database& db, int page_size) {
  const auto token = parse(c.exchange(http::verb::post, "/provincial/oauth/token", "application/x-www-form-urlencoded",
                                      std::string("grant_type=client_credentials&client_id=") + client_id +
                                          "&client_secret=" + client_secret),
                           "provincial token");
  const auto bearer = "Bearer " + token.at("access_token").get<std::string>();
  side_count n;
  // The simulator is frozen, so walking pages by offset sees every record exactly once.
  for (std::int64_t page = 0;; ++page) {
    const auto target = "/provincial/api/dossiers?updatedFrom=2000-01-01T00:00:00Z&page=" + std::to_string(page) +
                        "&size=" + std::to_string(page_size);
    const auto body = parse(c.exchange(http::verb::get, target, "", "", bearer), target);
    const auto& content = body.at("content");
    for (const auto& record : content) db.add("provincial", record, "code", "updatedDate");
    n.records += content.size();
    ++n.pages;
    if (page + 1 >= body.at("totalPages").get<std::int64_t>()) break;
  }
  return n;
}

side_count national(client& c, database& db, int page_size) {
  const auto login = parse(
      c.exchange(http::verb::post, "/national", "application/json",
                 json{{"service", "DangNhap"}, {"username", username}, {"password", password}}.dump(), "", dstcode),
      "national login");
  const auto session = login.at("session").get<std::string>();
  side_count n;
  for (std::int64_t trang = 1;; ++trang) {
    const json request{{"service", "LayDanhSachHoSo"}, {"session", session},          {"madonvi", madonvi},
                       {"tungay", "20000101000000"},   {"denngay", "20991231235959"}, {"trang", trang},
                       {"sobanghi", page_size}};
    const auto what = "national page " + std::to_string(trang);
    const auto body =
        parse(c.exchange(http::verb::post, "/national", "application/json", request.dump(), "", dstcode), what);
    // error_code comes as a string or a number (docs/wire-formats.md#errors-and-sessions); 0 is success.
    const auto code = body.value("error_code", json());
    if (code != "0" && code != 0) throw failure(what + ": error_code " + code.dump());
    const auto& result = body.at("result");
    for (const auto& record : result) db.add("national", record, "MaHoSo", "NgayCapNhat");
    n.records += result.size();
    ++n.pages;
    const auto total = body.at("tongso").get<std::int64_t>();
    if (result.empty() || trang * page_size >= total) break;
  }
  return n;
}

int run(int argc, char** argv) {
  std::string base, db_path;
  int page_size = 1000;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument(std::string(a) + " needs a value");
    if (a == "--base")
      base = argv[++i];
    else if (a == "--db")
      db_path = argv[++i];
    else if (a == "--page-size")
      page_size = std::atoi(argv[++i]);
    else
      throw std::invalid_argument("unknown option " + std::string(a));
  }
  if (base.empty() || db_path.empty()) throw std::invalid_argument("--base and --db are required");
  if (page_size < 1 || page_size > 1000) throw std::invalid_argument("--page-size must be 1 to 1000");
  constexpr std::string_view scheme = "http://";
  if (!base.starts_with(scheme)) throw std::invalid_argument("--base must be http://HOST:PORT: " + base);
  const auto authority = base.substr(scheme.size(), base.find('/', scheme.size()) - scheme.size());
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--base has no port: " + base);

  client c(authority.substr(0, colon), authority.substr(colon + 1));
  database db(db_path);
  const auto p = provincial(c, db, page_size);
  const auto n = national(c, db, page_size);
  db.commit();
  std::cout << json{{"provincial_records", p.records},
                    {"provincial_pages", p.pages},
                    {"national_records", n.records},
                    {"national_pages", n.pages},
                    {"bytes", c.bytes()}}
                   .dump()
            << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::cerr << "raw_ceiling: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "raw_ceiling: " << e.what() << '\n';
    return 3;
  }
}
