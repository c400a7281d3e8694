# The unit's sandbox must keep `systemd-analyze security` at 2.5 or lower; included by tests/e2e/CMakeLists.txt.
add_test(NAME systemd_security
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/systemd_security.sh ${PROJECT_SOURCE_DIR}/systemd/dvcrecon.service)
