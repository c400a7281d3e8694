# Writes a C++ source holding alerts/alert_texts.json as a raw string literal, so the binary needs no file at run
# time. Inputs: OUTPUT (the .cpp to write), TEXTS (the JSON file).
set(delim "dvc_alerts")
file(READ "${TEXTS}" text)
string(FIND "${text}" ")${delim}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${TEXTS}: contains the raw-string delimiter )${delim}\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from alerts/alert_texts.json by alerts/embed_texts.cmake; edit the .json file instead.\n"
  "#include \"alerts/alert_text.hpp\"\n\n"
  "namespace dvc {\n\n"
  "std::string_view alert_texts_json() { return R\"${delim}(${text})${delim}\"; }\n\n"
  "}  // namespace dvc\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
