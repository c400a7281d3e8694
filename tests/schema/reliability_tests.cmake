# The ledger on a failing disk, through a fault-injecting SQLite VFS (faulty_vfs.hpp). Its own executable, since
# the VFS replaces the process's default one while a case runs. Include from tests/schema/CMakeLists.txt.
dvc_test_suite(test_schema_faults
  ${CMAKE_CURRENT_LIST_DIR}/faulty_vfs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/faulty_vfs_test.cpp)
target_link_libraries(test_schema_faults PRIVATE dvc_schema SQLite::SQLite3)
