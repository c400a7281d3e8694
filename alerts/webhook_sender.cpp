#include "alerts/webhook_sender.hpp"

#include <boost/asio/this_coro.hpp>

#include "connectors/endpoint_url.hpp"
#include "connectors/http_client.hpp"
#include "connectors/retry_loop.hpp"

namespace dvc {

boost::asio::awaitable<std::optional<connector_error>> post_webhook(const webhook_target& target,
                                                                    const retry_config& retry, std::string body,
                                                                    const connector_env& env) {
  auto url = parse_endpoint_url(target.url);
  if (!url) co_return url.error();
  const std::string where = "webhook " + target.name + " (" + url.value().origin() + ")";
  auto client = http_client::create(co_await boost::asio::this_coro::executor, url.value(), target.http);
  if (!client) co_return client.error();
  http_call call;
  call.method = boost::beast::http::verb::post;
  call.target = url.value().target;
  call.body = std::move(body);
  call.content_type = "application/json; charset=utf-8";
  call.description = "POST " + where;
  auto& http = *client.value();
  const auto outcome =
      co_await with_retry<http_response>(retry, env, [&]() -> boost::asio::awaitable<result<http_response>> {
        auto answer = co_await http.send(call);
        if (!answer) co_return answer.error();
        const unsigned status = answer.value().status;
        if (status < 200 || status > 299)
          co_return connector_error{error_kind::http_status,
                                    call.description + " answered HTTP " + std::to_string(status) + ".", status,
                                    answer.value().retry_after};
        co_return answer;
      });
  co_await http.close();
  if (!outcome) co_return outcome.error();
  co_return std::nullopt;
}

}  // namespace dvc
