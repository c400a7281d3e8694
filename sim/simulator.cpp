#include "sim/simulator.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "connectors/wall_clock.hpp"

namespace dvc::sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {

constexpr auto idle_timeout = std::chrono::seconds(60);

// Logs what ended a connection unexpectedly; one bad connection must not stop the others.
void log_failure(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    std::cerr << "dvcrecon sim: connection failed: " << ex.what() << '\n';
  }
}

void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

template <class Stream>
asio::awaitable<void> serve(Stream& stream, beast::tcp_stream& transport, portal_service& service) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(64 * 1024);
    transport.expires_after(idle_timeout);
    auto [read_error, read_bytes] = co_await http::async_read(stream, buffer, parser, tuple_awaitable);
    if (read_error) co_return;  // closed, idle or not HTTP: nothing to answer
    const auto request = parser.release();
    auto r = service.handle(request);
    if (r.delay.count() > 0) {
      asio::steady_timer timer(co_await asio::this_coro::executor, r.delay);
      co_await timer.async_wait(tuple_awaitable);
    }
    if (r.what == reply::action::hang) {
      // Never answer; wait until the client gives up or the simulator stops.
      transport.expires_never();
      char byte;
      co_await stream.async_read_some(asio::buffer(&byte, 1), tuple_awaitable);
      co_return;
    }
    r.response.keep_alive(request.keep_alive());
    transport.expires_after(idle_timeout);
    if (r.what == reply::action::truncate) {
      // The header promises the whole body; half of it is sent, then the connection drops.
      std::ostringstream head;
      head << r.response.base();
      const auto text = head.str();
      const auto& body = r.response.body();
      const std::array<asio::const_buffer, 2> parts{asio::buffer(text), asio::buffer(body.data(), body.size() / 2)};
      co_await asio::async_write(stream, parts, tuple_awaitable);
      transport.socket().close();
      co_return;
    }
    auto [write_error, written] = co_await http::async_write(stream, r.response, tuple_awaitable);
    if (write_error || !request.keep_alive()) break;
  }
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    beast::error_code ignored;
    transport.socket().shutdown(tcp::socket::shutdown_send, ignored);
  } else {
    transport.expires_after(std::chrono::seconds(5));
    co_await stream.async_shutdown(tuple_awaitable);
  }
}

}  // namespace

struct simulator::impl : std::enable_shared_from_this<impl> {
  simulator_options options;
  portal_service service;
  std::optional<asio::ssl::context> tls;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> ticker;
  std::uint16_t port = 0;

  std::mutex mutex;  // guards the connection registry and `stopping`
  bool stopping = false;
  std::uint64_t next_connection = 0;
  std::unordered_map<std::uint64_t, std::function<void()>> closers;

  explicit impl(simulator_options o)
      : options(resolve_clock(std::move(o))),
        service(options.world, options.shape, options.faults, options.creds, options.clock) {}

  // Fills what the caller left empty: the present starts at world.clock_start (the wall clock when 0) and runs
  // with the steady clock, so changing the system time does not make the simulated present jump.
  static simulator_options resolve_clock(simulator_options o) {
    if (o.world.clock_start == 0) o.world.clock_start = wall_clock_now();
    if (!o.clock.wall) o.clock.wall = [] { return wall_clock_now(); };
    if (!o.clock.present) {
      o.clock.present = [start = o.world.clock_start, began = std::chrono::steady_clock::now()] {
        return start +
               std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - began).count();
      };
    }
    return o;
  }

  std::string base_url() const {
    const bool v6 = options.host.find(':') != std::string::npos;
    return std::string(tls ? "https://" : "http://") + (v6 ? "[" + options.host + "]" : options.host) + ":" +
           std::to_string(port);
  }

  template <class Stream>
  void run_connection(std::shared_ptr<Stream> stream, beast::tcp_stream& transport) {
    std::uint64_t id = 0;
    {
      std::lock_guard lock(mutex);
      if (stopping) return;
      id = ++next_connection;
      auto executor = transport.get_executor();
      std::weak_ptr<Stream> weak = stream;
      closers[id] = [executor, weak, &transport] {
        asio::post(executor, [weak, &transport] {
          if (auto alive = weak.lock()) {
            beast::error_code ignored;
            transport.socket().shutdown(tcp::socket::shutdown_both, ignored);
            transport.socket().close(ignored);
          }
        });
      };
    }
    auto self = shared_from_this();
    asio::co_spawn(
        transport.get_executor(),
        [self, stream, &transport, id]() -> asio::awaitable<void> {
          if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
            transport.expires_after(std::chrono::seconds(15));
            auto [ec] = co_await stream->async_handshake(asio::ssl::stream_base::server, tuple_awaitable);
            if (!ec) co_await serve(*stream, transport, self->service);
          } else {
            co_await serve(*stream, transport, self->service);
          }
          std::lock_guard lock(self->mutex);
          self->closers.erase(id);
        },
        log_failure);
  }

  asio::awaitable<void> listen() {
    auto self = shared_from_this();
    for (;;) {
      auto [ec, socket] = co_await acceptor->async_accept(asio::make_strand(acceptor->get_executor()), tuple_awaitable);
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
        // Out of descriptors or a connection reset before accept: pause briefly rather than spin.
        asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
        co_await pause.async_wait(tuple_awaitable);
        continue;
      }
      if (tls) {
        auto stream =
            std::make_shared<asio::ssl::stream<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), *tls);
        run_connection(stream, stream->next_layer());
      } else {
        auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
        run_connection(stream, *stream);
      }
    }
  }

  asio::awaitable<void> tick_loop() {
    auto self = shared_from_this();
    for (;;) {
      ticker->expires_after(options.tick);
      auto [ec] = co_await ticker->async_wait(tuple_awaitable);
      if (ec) co_return;
      service.tick();
    }
  }
};

simulator::simulator(simulator_options options) : impl_(std::make_shared<impl>(std::move(options))) {}

simulator::~simulator() { stop(); }

void simulator::start(asio::io_context& io) {
  auto& o = impl_->options;
  if (!o.tls_cert.empty() || !o.tls_key.empty()) {
    if (o.tls_cert.empty() || o.tls_key.empty()) throw std::runtime_error("TLS needs both --tls-cert and --tls-key");
    impl_->tls.emplace(asio::ssl::context::tls_server);
    impl_->tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                            asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                            asio::ssl::context::no_tlsv1_1);
    beast::error_code ec;
    impl_->tls->use_certificate_chain_file(o.tls_cert, ec);
    if (ec) throw std::runtime_error(o.tls_cert + ": cannot load TLS certificate: " + ec.message());
    impl_->tls->use_private_key_file(o.tls_key, asio::ssl::context::pem, ec);
    if (ec) throw std::runtime_error(o.tls_key + ": cannot load TLS private key: " + ec.message());
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(o.host, ec);
  if (ec) throw std::runtime_error("listen address '" + o.host + "': " + ec.message());
  const tcp::endpoint endpoint(address, o.port);
  auto& acceptor = impl_->acceptor.emplace(asio::make_strand(io));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("listen on " + o.host + ":" + std::to_string(o.port) + ": " + ec.message());
  impl_->port = acceptor.local_endpoint().port();
  asio::co_spawn(acceptor.get_executor(), impl_->listen(), rethrow);
  if (!o.freeze) {
    impl_->ticker.emplace(acceptor.get_executor());
    asio::co_spawn(acceptor.get_executor(), impl_->tick_loop(), rethrow);
  }
}

void simulator::stop() {
  std::vector<std::function<void()>> closers;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return;
    impl_->stopping = true;
    for (auto& [id, close] : impl_->closers) closers.push_back(close);
  }
  if (impl_->acceptor) {
    asio::post(impl_->acceptor->get_executor(), [self = impl_] {
      beast::error_code ignored;
      self->acceptor->close(ignored);
      if (self->ticker) self->ticker->cancel();
    });
  }
  for (auto& close : closers) close();
}

std::uint16_t simulator::port() const { return impl_->port; }
std::string simulator::base_url() const { return impl_->base_url(); }
std::string simulator::national_url() const { return base_url() + "/national"; }
std::string simulator::provincial_base_url() const { return base_url() + "/provincial/api"; }
std::string simulator::provincial_token_url() const { return base_url() + "/provincial/oauth/token"; }
std::string simulator::legacy_base_url() const { return base_url() + "/legacy/provincial/api"; }
std::string simulator::legacy_token_url() const { return base_url() + "/legacy/provincial/oauth/token"; }
const simulator_options& simulator::options() const { return impl_->options; }
dump_counts simulator::dump(const std::filesystem::path& dir) { return impl_->service.dump(dir); }
std::size_t simulator::mutate(double percent) { return impl_->service.mutate(percent); }
std::size_t simulator::tick() { return impl_->service.tick(); }
portal_service& simulator::service() { return impl_->service; }

}  // namespace dvc::sim
