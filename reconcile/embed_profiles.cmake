# Writes a C++ source holding every profiles/<name>.json as a raw string literal, so the shipped profiles work
# without files at run time (docs/profiles.md). Inputs: OUTPUT (the .cpp to write), PROFILE_FILES (a ;-list).
list(SORT PROFILE_FILES)
set(delim "dvc_profile")
set(body "")
foreach(file IN LISTS PROFILE_FILES)
  get_filename_component(name "${file}" NAME_WE)
  if(NOT name MATCHES "^[a-z0-9-]+-(provincial|national)$")
    message(FATAL_ERROR "${file}: shipped profiles are named NAME-provincial.json or NAME-national.json")
  endif()
  file(READ "${file}" text)
  string(FIND "${text}" ")${delim}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file}: contains the raw-string delimiter )${delim}\"")
  endif()
  string(APPEND body "    {\"${name}\", R\"${delim}(${text})${delim}\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from profiles/*.json by reconcile/embed_profiles.cmake; edit the .json files instead.\n"
  "#include \"reconcile/profile_file.hpp\"\n\n"
  "namespace dvc {\n\n"
  "namespace {\n"
  "constexpr shipped_profile_text all[] = {\n${body}};\n"
  "}  // namespace\n\n"
  "std::span<const shipped_profile_text> shipped_profile_texts() { return all; }\n\n"
  "}  // namespace dvc\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
