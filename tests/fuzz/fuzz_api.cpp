// The HTTP API handler on arbitrary requests: the bytes are read as an HTTP/1.1 request by Beast's parser (as
// the server does), then handed to the handler over a small ledger with findings. Properties: no exception, no
// 5xx (the ledger is healthy and the service ready, so a 5xx is a handler fault), and every error body is JSON
// with an "error" sentence.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "api/api_handler.hpp"
#include "tests/support/ops_fixtures.hpp"

namespace {

namespace http = boost::beast::http;

struct fixture {
  dvc::ops_test::temp_dir dir;
  dvc::config cfg = dvc::ops_test::make_config(dir);
  dvc::service_status status;
  dvc::status_board board;
  std::unique_ptr<dvc::api_handler> handler;
  fixture() {
    dvc::ops_test::build_ledger(cfg);
    // A service that has just polled both sides: /readyz is ready, so every 5xx is the handler's fault.
    status.ledger_open = true;
    status.provincial.last_success = dvc::ops_test::as_of;
    status.national.last_success = dvc::ops_test::as_of;
    status.last_cycle_end = dvc::ops_test::as_of;
    board.publish(status);
    handler = std::make_unique<dvc::api_handler>(cfg, board, [] { return dvc::ops_test::as_of; });
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fixture f;
  http::request_parser<http::string_body> parser;
  parser.body_limit(dvc::api_handler::default_body_limit);
  parser.eager(true);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;
  const auto res = (*f.handler)(parser.get());
  const unsigned code = res.result_int();
  if (code < 200 || code >= 500) std::abort();
  if (code >= 400) {
    const auto body = nlohmann::json::parse(res.body(), nullptr, false);
    if (!body.is_object() || !body.contains("error") || !body["error"].is_string()) std::abort();
  }
  return 0;
}
