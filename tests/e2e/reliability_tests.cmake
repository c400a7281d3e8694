# Reliability and security, end to end (crash, full disk, portal faults, TLS, stop, systemd notify, secrets);
# included by tests/e2e/CMakeLists.txt. They time themselves, so they share one lock and never run side by side.
foreach(name kill9 disk_full faults tls sigterm watchdog secrets)
  add_test(NAME e2e.reliability_${name}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/reliability_${name}.sh ${PROJECT_BINARY_DIR})
  set_tests_properties(e2e.reliability_${name} PROPERTIES
                       TIMEOUT 300 LABELS reliability RESOURCE_LOCK dvc_reliability SKIP_RETURN_CODE 77)
endforeach()
