# Test sources of the polling service (cycle against the in-process simulator, evaluation keys, cursors, watchdog);
# included by tests/daemon/CMakeLists.txt into the daemon_tests suite.
set(DVC_SERVICE_TEST_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/service_cycle_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/service_watchdog_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/service_run_command_test.cpp
)
