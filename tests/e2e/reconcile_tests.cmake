# The offline command end to end: lifecycle across runs, and cross-checks against the independent reference.
add_test(NAME e2e_reconcile_lifecycle COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/reconcile_lifecycle.sh $<TARGET_FILE:dvcrecon>)
add_test(NAME e2e_oracle_crosscheck COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/oracle/run_crosscheck.sh $<TARGET_FILE:dvcrecon>)
# The two Python references agree with each other (the pandas peer is the benchmark yardstick).
add_test(NAME e2e_oracle_selftest COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/oracle/selftest.py --random-size 3000 --seeds 1)
