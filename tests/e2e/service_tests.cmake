# Scripted tests of the polling service; included by tests/e2e/CMakeLists.txt.
add_test(NAME e2e.service_once_vs_offline
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/service_once_vs_offline.sh ${PROJECT_BINARY_DIR})
add_test(NAME e2e.service_sigterm COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/service_sigterm.sh ${PROJECT_BINARY_DIR})
add_test(NAME e2e.service_demo_once COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/service_demo_once.sh ${PROJECT_BINARY_DIR})
set_tests_properties(e2e.service_once_vs_offline e2e.service_sigterm e2e.service_demo_once PROPERTIES TIMEOUT 120)
