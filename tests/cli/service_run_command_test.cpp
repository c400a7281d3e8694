// `dvcrecon run`: configuration problems exit 2 naming the file; `--once` exits 0 after a complete cycle and 3,
// with one sentence, when a portal cannot be read.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <future>
#include <sstream>

#include "api/api_server.hpp"
#include "cli/run_command.hpp"
#include "config/config.hpp"
#include "service/service.hpp"
#include "tests/support/service_fixtures.hpp"

namespace dvc::test {
namespace {

// Captures std::cerr for the lifetime of the object.
class stderr_capture {
 public:
  stderr_capture() : old_(std::cerr.rdbuf(buffer_.rdbuf())) {}
  ~stderr_capture() { std::cerr.rdbuf(old_); }
  std::string text() const { return buffer_.str(); }

 private:
  std::ostringstream buffer_;
  std::streambuf* old_;
};

std::filesystem::path write_run_config(const temp_dir& dir, sim::simulator& s, const std::string& national_url) {
  std::ofstream(dir.path() / "p.secret") << s.options().creds.client_secret << "\n";
  std::ofstream(dir.path() / "n.secret") << s.options().creds.password << "\n";
  const auto path = dir.path() / "config.json";
  std::ofstream(path) << R"({"ledger": "ledger.db", "since": "2023-01-01T00:00:00+07:00",
    "provincial": {"base_url": ")"
                      << s.provincial_base_url() << R"(", "token_url": ")" << s.provincial_token_url()
                      << R"(", "client_id": "dvcrecon", "client_secret_file": "p.secret"},
    "national": {"base_url": ")"
                      << national_url << R"(", "dstcode": "H10", "madonvi": "000.00.00.H10",
                 "username": "binhphuoc.dvcrecon", "password_file": "n.secret"},
    "http": {"listen": "127.0.0.1:0"}})";
  return path;
}

// GET http://127.0.0.1:PORT/TARGET with blocking calls bounded by a 5 s socket timeout; the status, or 0 when
// nothing answered in time.
unsigned get_status(std::uint16_t port, const std::string& target) {
  namespace http = boost::beast::http;
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return 0;
  const timeval five{5, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five);
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(socket, req, ec);
  if (ec) return 0;
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res, ec);
  return ec ? 0 : res.result_int();
}

}  // namespace

TEST_CASE("run: the API answers while the service's own thread is busy, with the status of the last cycle") {
  running_simulator sim(300);
  temp_dir dir;
  auto loaded = load_config(write_run_config(dir, sim.get(), sim.get().national_url()).string());
  REQUIRE(loaded.value.has_value());
  const config& cfg = *loaded.value;  // listens on a port the kernel chooses
  std::promise<std::uint16_t> bound;
  auto listening = bound.get_future();
  service_options options;
  options.once = true;
  options.companion = api_companion(cfg, [&bound](const std::string& address) {
    bound.set_value(static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1))));
  });
  unsigned healthz = 0, readyz = 0;
  // on_cycle runs on the service's thread: while it blocks here, only an API on a thread of its own can answer.
  options.on_cycle = [&](const cycle_report& r) {
    REQUIRE(r.status == run_status::ok);
    REQUIRE(listening.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    const std::uint16_t port = listening.get();
    healthz = get_status(port, "/healthz");
    readyz = get_status(port, "/readyz");  // 200 only if the cycle's polls were published to the API
  };
  CHECK(run_service(cfg, options) == 0);
  CHECK(healthz == 200);
  CHECK(readyz == 200);
}

TEST_CASE("run: an API address already taken stops the service with 2 naming http.listen, before any cycle") {
  running_simulator sim(100);
  temp_dir dir;
  auto loaded = load_config(write_run_config(dir, sim.get(), sim.get().national_url()).string());
  REQUIRE(loaded.value.has_value());
  config cfg = *loaded.value;
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor taken(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = std::to_string(taken.local_endpoint().port());
  cfg.http.listen = {"127.0.0.1", taken.local_endpoint().port()};
  for (const bool once : {false, true}) {
    CAPTURE(once);
    stderr_capture err;
    service_options options;
    options.once = once;
    options.companion = api_companion(cfg);
    bool cycled = false;
    options.on_cycle = [&](const cycle_report&) { cycled = true; };
    CHECK(run_service(cfg, options) == 2);
    CHECK(err.text() == "dvcrecon run: http.listen 127.0.0.1:" + port + ": Address already in use\n");
    CHECK_FALSE(cycled);
    CHECK_FALSE(ledger::open(cfg.ledger.string()).last_run(run_mode::service));
  }
}

TEST_CASE("run: a second service on one ledger exits 2 naming the ledger and the first one's pid") {
  running_simulator sim(100);
  temp_dir dir;
  auto loaded = load_config(write_run_config(dir, sim.get(), sim.get().national_url()).string());
  REQUIRE(loaded.value.has_value());
  config cfg = *loaded.value;
  // The first holds the ledger from inside its first cycle, which is when the second one tries.
  int second = -1;
  std::string said;
  service_options first;
  first.once = true;
  first.on_cycle = [&](const cycle_report&) {
    stderr_capture err;
    service_options options;
    options.once = true;
    second = run_service(cfg, options);
    said = err.text();
  };
  CHECK(run_service(cfg, first) == 0);
  CHECK(second == 2);
  CHECK(said == "dvcrecon run: ledger " + cfg.ledger.string() + " is in use by another dvcrecon service (pid " +
                    std::to_string(::getpid()) + "); one service runs on a ledger at a time\n");
  // Only the first one's run is in the ledger.
  CHECK(ledger::open(cfg.ledger.string()).last_run(run_mode::service)->id == 1);
}

TEST_CASE("run --once: 0 after a complete cycle, 3 with one sentence when national cannot be reached") {
  running_simulator sim(300);
  temp_dir good_dir, down_dir;
  const auto good = write_run_config(good_dir, sim.get(), sim.get().national_url());
  CHECK(run_command({"--config", good.string(), "--once"}) == 0);
  auto db = ledger::open((good_dir.path() / "ledger.db").string());
  const auto last = db.last_run(run_mode::service);
  REQUIRE(last.has_value());
  CHECK(last->status == run_status::ok);
  CHECK(last->provincial_read > 0);

  const auto down =
      write_run_config(down_dir, sim.get(), "http://127.0.0.1:" + std::to_string(closed_port()) + "/national");
  stderr_capture err;
  CHECK(run_command({"--config", down.string(), "--once"}) == 3);
  CHECK(err.text().find("dvcrecon run: national poll failed: ") != std::string::npos);
}

TEST_CASE("run: a configuration problem exits 2 naming the file and the key") {
  temp_dir dir;
  const auto path = dir.path() / "config.json";
  std::ofstream(path) << R"({"ledger": "x.db", "poll_interval_s": "often"})";
  stderr_capture err;
  CHECK(run_command({"--config", path.string()}) == 2);
  CHECK(err.text().find(path.string() + ": poll_interval_s") != std::string::npos);
}

}  // namespace dvc::test
