# Writes a C++ source holding reports/labels_vi.json as a raw string literal, so the Vietnamese labels work without
# files at run time (docs/dashboard.md#labels). Inputs: OUTPUT (the .cpp to write), LABELS_FILE.
set(delim "dvc_labels")
file(READ "${LABELS_FILE}" text)
string(FIND "${text}" ")${delim}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${LABELS_FILE}: contains the raw-string delimiter )${delim}\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from reports/labels_vi.json by reports/embed_labels.cmake; edit the .json file instead.\n"
  "#include <string_view>\n\n"
  "namespace dvc {\n\n"
  "std::string_view vi_labels_text() { return R\"${delim}(${text})${delim}\"; }\n\n"
  "}  // namespace dvc\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
