#include "sim_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <stdexcept>

namespace dvc::sim::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

raw_response call(std::uint16_t port, http::verb method, const std::string& target, const std::string& body,
                  const std::vector<std::pair<std::string, std::string>>& headers, std::chrono::milliseconds timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  raw_response out;
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::flat_buffer buffer;
  stream.expires_after(timeout);
  stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
    if (ec) {
      out.error = ec.message();
      return;
    }
    http::async_write(stream, req, [&](beast::error_code write_ec, std::size_t) {
      if (write_ec) {
        out.error = write_ec.message();
        return;
      }
      http::async_read(stream, buffer, parser, [&](beast::error_code read_ec, std::size_t) {
        if (read_ec) out.error = read_ec.message();
      });
    });
  });
  io.run();
  if (parser.is_header_done()) {
    out.status = static_cast<int>(parser.get().result_int());
    out.headers = parser.get().base();
  }
  if (out.error.empty()) out.body = parser.get().body();
  return out;
}

std::string error_code(const raw_response& r) {
  const auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j.contains("error_code")) return "(none: " + r.body + ")";
  const auto& code = j["error_code"];
  return code.is_string() ? code.get<std::string>() : code.dump();
}

raw_bytes exchange(std::uint16_t port, const std::string& request, std::chrono::milliseconds timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  raw_bytes out;
  char chunk[16384];
  stream.expires_after(timeout);
  std::function<void()> read_more = [&] {
    stream.async_read_some(asio::buffer(chunk), [&](beast::error_code ec, std::size_t n) {
      out.data.append(chunk, n);
      if (ec == beast::error::timeout) out.timed_out = true;
      if (!ec) read_more();
    });
  };
  stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
    if (ec) return;
    asio::async_write(stream, asio::buffer(request), [&](beast::error_code write_ec, std::size_t) {
      if (!write_ec) read_more();
    });
  });
  io.run();
  return out;
}

running_sim::running_sim(simulator_options options) : sim_(std::make_unique<simulator>(std::move(options))) {
  sim_->start(io_);
  thread_ = std::thread([this] { io_.run(); });
}

running_sim::~running_sim() {
  sim_->stop();
  thread_.join();
}

std::string running_sim::token() {
  const auto& c = sim_->options().creds;
  const auto form =
      shape() == wire_shape::b
          ? "grant_type=password&client_id=" + c.client_id + "&username=" + c.provincial_username +
                "&password=" + c.provincial_password
          : "grant_type=client_credentials&client_id=" + c.client_id + "&client_secret=" + c.client_secret;
  const auto r = call(port(), http::verb::post, "/provincial/oauth/token", form,
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
  if (r.status != 200) throw std::runtime_error("token: HTTP " + std::to_string(r.status) + " " + r.body);
  return nlohmann::json::parse(r.body).at("access_token").get<std::string>();
}

std::string running_sim::session() {
  const auto& c = sim_->options().creds;
  const auto r = shape() == wire_shape::b
                     ? call(port(), http::verb::post, "/national/login",
                            nlohmann::json{{"username", c.username}, {"password", c.password}}.dump(),
                            {{"dstcode", c.dstcode}, {"Content-Type", "application/json"}})
                     : national({{"service", "DangNhap"}, {"username", c.username}, {"password", c.password}});
  const auto j = nlohmann::json::parse(r.body);
  if (j.at("error_code") != "0" && j.at("error_code") != 0) throw std::runtime_error("log in: " + r.body);
  return j.at("session").get<std::string>();
}

raw_response running_sim::provincial(const std::string& target, const std::string& token) {
  return call(port(), http::verb::get, target, {}, {{"Authorization", "Bearer " + token}});
}

raw_response running_sim::national(const nlohmann::json& body) {
  return call(port(), http::verb::post, shape() == wire_shape::b ? "/national/g" : "/national", body.dump(),
              {{"dstcode", sim_->options().creds.dstcode}, {"Content-Type", "application/json"}});
}

std::string running_sim::list_target(int page, int size) const {
  const auto paging = "page=" + std::to_string(page) + "&size=" + std::to_string(size);
  if (shape() == wire_shape::b)
    return "/provincial/api/pa/dossier/search?" + paging + "&spec=slice&sort=updatedDate,desc";
  return "/provincial/api/dossiers?" + paging;
}

std::string running_sim::one_target(const std::string& code) const {
  if (shape() == wire_shape::b) return "/provincial/api/pa/dossier/" + code + "/--by-code";
  return "/provincial/api/dossiers/" + code;
}

simulator_options small_province(std::uint32_t dossiers, std::string_view faults, wire_shape shape) {
  simulator_options o;
  o.world = {.seed = 21, .dossiers = dossiers, .clock_start = 1722445200};
  o.shape = shape;
  o.freeze = true;
  const auto parsed = parse_faults(faults);
  if (!parsed.spec) throw std::invalid_argument(parsed.error);
  o.faults = *parsed.spec;
  return o;
}

http::request<http::string_body> request(http::verb method, const std::string& target, const std::string& body,
                                         const std::vector<std::pair<std::string, std::string>>& headers) {
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  return req;
}

}  // namespace dvc::sim::test
