// `dvcrecon run`: configuration problems exit 2 naming the file; `--once` exits 0 after a complete cycle and 3,
// with one sentence, when a portal cannot be read.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "daemon/run_command.hpp"
#include "tests/daemon/service_fixtures.hpp"

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
    "provincial": {"base_url": ")" << s.provincial_base_url() << R"(", "token_url": ")" << s.provincial_token_url()
                      << R"(", "client_id": "dvcrecon", "client_secret_file": "p.secret"},
    "national": {"base_url": ")" << national_url << R"(", "dstcode": "H10", "madonvi": "000.00.00.H10",
                 "username": "binhphuoc.dvcrecon", "password_file": "n.secret"}})";
  return path;
}

}  // namespace

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

  const auto down = write_run_config(down_dir, sim.get(),
                                     "http://127.0.0.1:" + std::to_string(closed_port()) + "/national");
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
