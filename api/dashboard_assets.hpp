#pragma once
// The dashboard's files (api/dashboard/ and Chart.js), embedded at build time by embed_dashboard.cmake so
// the service needs no network and no files at run time.
#include <string_view>

namespace dvc {

struct dashboard_asset {
  std::string_view path;  // URL path, e.g. "/dashboard.js"
  std::string_view content_type;
  std::string_view body;
};

// nullptr when no embedded file has that path; "/" is the dashboard's index.html.
const dashboard_asset* find_dashboard_asset(std::string_view path);

}  // namespace dvc
