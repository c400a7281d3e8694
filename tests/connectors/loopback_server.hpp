#pragma once
// A small in-test HTTP(S) server on 127.0.0.1 with a kernel-chosen port, driven by a handler function, so the
// portal clients are tested against real sockets without the simulator. It can also misbehave on request:
// cut a body short, close without answering, or stall.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace dvc::test {

using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<boost::beast::http::string_body>;

struct reply {
  enum class mode { send, truncate_body, close_silently, stall };
  response res;
  mode how = mode::send;
};

reply json_reply(unsigned status, const nlohmann::json& body);
reply text_reply(unsigned status, std::string body);

class loopback_server {
 public:
  using handler = std::function<reply(const request&)>;
  // `tls` non-null: the server speaks TLS with that context (it must outlive the server).
  loopback_server(boost::asio::io_context& io, handler on_request, boost::asio::ssl::context* tls = nullptr);

  std::uint16_t port() const { return port_; }
  // `http://127.0.0.1:PORT` (or https, or another host name for the same address).
  std::string base(const std::string& scheme = "http", const std::string& host = "127.0.0.1") const;
  std::size_t connections() const { return *connections_; }

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  std::shared_ptr<handler> handler_;
  boost::asio::ssl::context* tls_;
  std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::shared_ptr<std::size_t> connections_ = std::make_shared<std::size_t>(0);
  std::uint16_t port_ = 0;
};

// Runs `task` on `io` until it finishes, then stops the loop (abandoning server coroutines). Rethrows what the
// task or any server coroutine threw.
void run_until_done(boost::asio::io_context& io, boost::asio::awaitable<void> task);

}  // namespace dvc::test
