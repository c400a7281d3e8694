# Writes a C++ source holding every schema/migrations/NNN_name.sql as a raw string literal, so the SQL stays in
# readable .sql files and the binary needs no files at run time.
# Inputs: OUTPUT (the .cpp to write), SQL_FILES (a ;-list, any order; numbered from 001, increasing).
list(SORT SQL_FILES)
set(delim "dvc_sql")
set(body "")
set(previous 0)
foreach(file IN LISTS SQL_FILES)
  get_filename_component(name "${file}" NAME_WE)
  if(NOT name MATCHES "^([0-9][0-9][0-9])_([a-z0-9_]+)$")
    message(FATAL_ERROR "${file}: migration files must be named NNN_name.sql")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  set(label "${CMAKE_MATCH_2}")
  # Numbers are handed out ahead to work that lands in any order, so a gap is allowed until the lower numbers
  # arrive (apply_migrations applies every one a ledger has not recorded); a number used twice is not.
  if(NOT version GREATER previous)
    message(FATAL_ERROR "${file}: migration ${version} follows ${previous}; versions must increase")
  endif()
  set(previous ${version})
  file(READ "${file}" sql)
  string(FIND "${sql}" ")${delim}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file}: contains the raw-string delimiter )${delim}\"")
  endif()
  string(APPEND body "    {${version}, \"${label}\", R\"${delim}(${sql})${delim}\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from schema/migrations/*.sql by schema/embed_migrations.cmake; edit the .sql files instead.\n"
  "#include \"schema/migrations.hpp\"\n\n"
  "namespace dvc {\n\n"
  "namespace {\n"
  "constexpr migration all[] = {\n${body}};\n"
  "}  // namespace\n\n"
  "std::span<const migration> embedded_migrations() { return all; }\n\n"
  "}  // namespace dvc\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
