#include "connectors/connector_error.hpp"

namespace dvc {

std::string_view error_kind_name(error_kind kind) {
  switch (kind) {
    case error_kind::config:
      return "config";
    case error_kind::timeout:
      return "timeout";
    case error_kind::connect:
      return "connect";
    case error_kind::tls:
      return "tls";
    case error_kind::truncated:
      return "truncated";
    case error_kind::too_large:
      return "too_large";
    case error_kind::protocol:
      return "protocol";
    case error_kind::http_status:
      return "http_status";
    case error_kind::malformed:
      return "malformed";
    case error_kind::auth:
      return "auth";
    case error_kind::rejected:
      return "rejected";
    case error_kind::portal:
      return "portal";
    case error_kind::paging_limit:
      return "paging_limit";
  }
  return "unknown";
}

}  // namespace dvc
