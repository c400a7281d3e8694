#pragma once
// One HTTP request as the portal clients describe it, and the complete answer they get back.
#include <boost/beast/http/verb.hpp>
#include <string>
#include <utility>
#include <vector>

namespace dvc {

struct http_call {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target;  // path and query
  std::string body;
  std::string content_type;  // set when there is a body
  std::vector<std::pair<std::string, std::string>> headers;
  // Names the call in error messages (`GET https://host/dossiers?…`). Bodies are never quoted, so form and
  // login bodies carrying secrets cannot leak through an error.
  std::string description;
};

struct http_response {
  unsigned status = 0;
  std::string body;
  std::string retry_after;  // raw header, empty when absent
  bool keep_alive = true;   // false when the server will close the connection
};

}  // namespace dvc
