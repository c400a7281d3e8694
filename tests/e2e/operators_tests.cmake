# Scripted tests of the operator surfaces (review CLI, report, verify-ledger, API, dashboard); included by
# tests/e2e/CMakeLists.txt. Each script takes the dvcrecon binary.
add_test(NAME e2e.operators_verify_ledger
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/operators_verify_ledger.sh $<TARGET_FILE:dvcrecon>)
add_test(NAME e2e.operators_report COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/operators_report.sh $<TARGET_FILE:dvcrecon>)
add_test(NAME e2e.operators_metrics COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/operators_metrics.sh $<TARGET_FILE:dvcrecon>)
add_test(NAME e2e.operators_dashboard
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/operators_dashboard.sh $<TARGET_FILE:dvcrecon>)
set_tests_properties(e2e.operators_verify_ledger e2e.operators_report e2e.operators_metrics e2e.operators_dashboard
                     PROPERTIES TIMEOUT 180)
