# The polling service (`dvcrecon run`, `dvcrecon demo`): cycle, polls, evaluation, signals, watchdog.
set(DVC_SERVICE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/poll_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/poll_side.cpp
  ${CMAKE_CURRENT_LIST_DIR}/evaluation_keys.cpp
  ${CMAKE_CURRENT_LIST_DIR}/evaluation_pass.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cycle.cpp
  ${CMAKE_CURRENT_LIST_DIR}/signals.cpp
  ${CMAKE_CURRENT_LIST_DIR}/watchdog.cpp
  ${CMAKE_CURRENT_LIST_DIR}/service.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/demo_command.cpp)
# The demo runs the simulator in-process; dvc_daemon is defined after this file is included, so the link is added
# once the directory has been processed.
cmake_language(DEFER CALL target_link_libraries dvc_daemon PUBLIC dvc_sim)
