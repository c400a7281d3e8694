# The unit's sandbox must keep `systemd-analyze security` at 2.5 or lower, both the unit in the tree and the one
# generated for this build's install prefix; included by tests/e2e/CMakeLists.txt.
add_test(NAME systemd_security
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/systemd_security.sh ${PROJECT_SOURCE_DIR}/systemd/dvcrecon.service)
add_test(NAME systemd_security_installed
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/systemd_security.sh ${PROJECT_BINARY_DIR}/systemd/dvcrecon.service)
