# Configuration, check-config and the systemd notify wrapper; included by daemon/CMakeLists.txt into dvc_daemon.
set(DVC_CONFIG_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/config_listen.cpp
  ${CMAKE_CURRENT_LIST_DIR}/config_comments.cpp
  ${CMAKE_CURRENT_LIST_DIR}/config_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/check_config_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/notify.cpp
)
