// Where log lines go: the journal gets a syslog priority on every line, a terminal a timestamp, a file or pipe
// the plain line.
#include "service/log.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <pty.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace dvc::test {
namespace {

// Points fd 2 (and stderr) at `fd` for the lifetime of the object.
class stderr_redirect {
 public:
  explicit stderr_redirect(int fd) : saved_(::dup(STDERR_FILENO)) {
    std::fflush(stderr);
    ::dup2(fd, STDERR_FILENO);
  }
  ~stderr_redirect() {
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }

 private:
  int saved_;
};

// Sets or clears JOURNAL_STREAM, and puts back what was there.
class journal_stream_env {
 public:
  explicit journal_stream_env(const char* value) {
    if (const char* old = std::getenv("JOURNAL_STREAM")) old_ = old;
    if (value)
      ::setenv("JOURNAL_STREAM", value, 1);
    else
      ::unsetenv("JOURNAL_STREAM");
  }
  ~journal_stream_env() {
    if (old_.empty())
      ::unsetenv("JOURNAL_STREAM");
    else
      ::setenv("JOURNAL_STREAM", old_.c_str(), 1);
  }

 private:
  std::string old_;
};

std::string read_all(const std::string& path) {
  std::string text;
  if (FILE* f = std::fopen(path.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
    std::fclose(f);
  }
  return text;
}

std::string dev_ino(int fd) {
  struct stat st {};
  REQUIRE(::fstat(fd, &st) == 0);
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

void write_each_level() {
  log::set_level(log_level::debug);
  log::error("poll_failed", {{"side", "national"}});
  log::warning("runs_interrupted", {{"count", "1"}});
  log::info("cycle_end", {{"run", "7"}});
  log::debug("detail");
  log::set_level(log_level::info);
}

}  // namespace

TEST_CASE("log: on the journal's stream every line starts with its syslog priority") {
  temp_dir dir;
  const auto path = dir.file("journal.txt");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  {
    const journal_stream_env env(dev_ino(fd).c_str());
    const stderr_redirect redirect(fd);
    CHECK(log::detect_sink() == log::sink::journal);
    log::set_sink(log::detect_sink());
    write_each_level();
    std::fputs(log::line_start(log_level::error).c_str(), stderr);
    std::fputs("dvcrecon run: closing sentence\n", stderr);
    log::set_sink(log::sink::plain);
  }
  ::close(fd);
  CHECK(read_all(path) ==
        "<3>error poll_failed side=national\n<4>warning runs_interrupted count=1\n<6>info cycle_end run=7\n"
        "<7>debug detail\n<3>dvcrecon run: closing sentence\n");
}

TEST_CASE("log: JOURNAL_STREAM naming another file, or malformed, leaves lines plain") {
  temp_dir dir;
  const auto path = dir.file("plain.txt");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  const int other = ::open(dir.file("other.txt").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  REQUIRE(other >= 0);
  {
    const stderr_redirect redirect(fd);
    // Inherited by a child whose stderr went elsewhere: the journal is not this stderr.
    for (const std::string& value : {dev_ino(other), dev_ino(fd) + "x", std::string("garbage"), std::string()}) {
      CAPTURE(value);
      const journal_stream_env env(value.c_str());
      CHECK(log::detect_sink() == log::sink::plain);
    }
    const journal_stream_env unset(nullptr);
    CHECK(log::detect_sink() == log::sink::plain);
    log::set_sink(log::detect_sink());
    write_each_level();
  }
  ::close(fd);
  ::close(other);
  CHECK(read_all(path) ==
        "error poll_failed side=national\nwarning runs_interrupted count=1\ninfo cycle_end run=7\n"
        "debug detail\n");
}

TEST_CASE("log: on a terminal every line starts with the local time") {
  int master = -1, slave = -1;
  REQUIRE(::openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
  {
    const journal_stream_env unset(nullptr);
    const stderr_redirect redirect(slave);
    CHECK(log::detect_sink() == log::sink::terminal);
    log::set_sink(log::detect_sink());
    log::info("api_listening", {{"address", "127.0.0.1:8470"}});
    log::set_sink(log::sink::plain);
  }
  std::string text;
  char buf[512];
  while (text.find('\n') == std::string::npos) {
    const ssize_t n = ::read(master, buf, sizeof buf);
    REQUIRE(n > 0);
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(slave);
  ::close(master);
  CAPTURE(text);
  CHECK(std::regex_search(
      text, std::regex(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} info api_listening address=127\.0\.0\.1:8470\r?\n)")));
}

TEST_CASE("a log line is one line whatever its values hold") {
  const std::string forged = "x\ninfo cycle_end run=99 status=ok\r\x1b[2K";
  const std::string line = log::format_line(log_level::warning, "data_error", {{"source", forged}, {"key", "K-1"}});
  CHECK(std::count(line.begin(), line.end(), '\n') == 1);
  CHECK(line.back() == '\n');
  CHECK(line.find('\r') == std::string::npos);
  CHECK(line.find('\x1b') == std::string::npos);
  CHECK(line == "warning data_error source=\"x\\ninfo cycle_end run=99 status=ok\\r\\x1b[2K\" key=K-1\n");
}

TEST_CASE("log values: bare when unambiguous, quoted with quotes and backslashes escaped otherwise") {
  CHECK(log::format_line(log_level::info, "e", {{"a", "plain"}}) == "info e a=plain\n");
  CHECK(log::format_line(log_level::info, "e", {{"a", ""}}) == "info e a=\"\"\n");
  CHECK(log::format_line(log_level::info, "e", {{"a", "two words"}}) == "info e a=\"two words\"\n");
  CHECK(log::format_line(log_level::info, "e", {{"a", "say \"hi\""}}) == "info e a=\"say \\\"hi\\\"\"\n");
  CHECK(log::format_line(log_level::info, "e", {{"a", "k=v"}}) == "info e a=\"k=v\"\n");
  // A literal backslash-n is quoted and its backslash doubled, so it never reads like an escaped line end.
  CHECK(log::format_line(log_level::info, "e", {{"a", "a\\nb"}}) == "info e a=\"a\\\\nb\"\n");
  CHECK(log::format_line(log_level::info, "e", {{"a", "tab\there"}}) == "info e a=\"tab\\there\"\n");
  CHECK(log::format_line(log_level::info, "e", {{"a", "Sở\xC2\x9B"}}) == "info e a=\"Sở\\u009b\"\n");
}

}  // namespace dvc::test
