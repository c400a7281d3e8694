# Test sources for configuration, check-config and the notify wrapper; included by tests/daemon/CMakeLists.txt
# into the config_tests suite (link dvc_daemon).
set(DVC_CONFIG_TEST_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/config_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/config_comments_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/config_listen_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/config_check_command_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/notify_test.cpp
)
