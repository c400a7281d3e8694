# Review CLI, sync-rate report, verify-ledger, HTTP API, metrics and dashboard; included by daemon/CMakeLists.txt
# into dvc_daemon. The dashboard's files and Chart.js are turned into a .cpp at build time (no network, no files
# at run time).
set(DVC_CHARTJS_FILE /usr/share/javascript/chart.js/chart.min.js
    CACHE FILEPATH "Chart.js (UMD build) embedded in the dashboard")
if(NOT EXISTS ${DVC_CHARTJS_FILE})
  message(FATAL_ERROR "Chart.js not found at ${DVC_CHARTJS_FILE}: install the Debian package libjs-chart.js "
                      "(listed in scripts/packages) or point DVC_CHARTJS_FILE at chart.min.js")
endif()

set(DVC_DASHBOARD_FILES
  ${CMAKE_CURRENT_LIST_DIR}/dashboard/index.html
  ${CMAKE_CURRENT_LIST_DIR}/dashboard/dossier.html
  ${CMAKE_CURRENT_LIST_DIR}/dashboard/common.js
  ${CMAKE_CURRENT_LIST_DIR}/dashboard/dashboard.js
  ${CMAKE_CURRENT_LIST_DIR}/dashboard/dossier.js
  ${CMAKE_CURRENT_LIST_DIR}/dashboard/style.css)
# Joined with | because a ;-list does not survive as one -D argument.
list(JOIN DVC_DASHBOARD_FILES "|" dvc_dashboard_files_arg)
add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/dashboard_assets.cpp
  COMMAND ${CMAKE_COMMAND} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/dashboard_assets.cpp
          -DFILES=${dvc_dashboard_files_arg} -DCHARTJS=${DVC_CHARTJS_FILE}
          -P ${CMAKE_CURRENT_LIST_DIR}/dashboard_assets.cmake
  DEPENDS ${DVC_DASHBOARD_FILES} ${DVC_CHARTJS_FILE} ${CMAKE_CURRENT_LIST_DIR}/dashboard_assets.cmake
  COMMENT "Embedding the dashboard"
  VERBATIM)

set(DVC_OPERATOR_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/api_handler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_query.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_sync_rates.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_views.cpp
  ${CMAKE_CURRENT_LIST_DIR}/metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mismatches_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/verify_ledger_command.cpp
  ${CMAKE_CURRENT_BINARY_DIR}/dashboard_assets.cpp)
