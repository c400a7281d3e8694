# Tests of the review CLI, sync-rate report, HTTP API, metrics and dashboard; included by tests/daemon/CMakeLists.txt
# into the daemon_tests suite.
set(DVC_OPERATOR_TEST_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/api_handler_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_query_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_server_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ops_commands_test.cpp
)
