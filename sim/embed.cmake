# cmake -DIN=FILE -DOUT=FILE.cpp -DNAME=ident -P embed.cmake: writes a C++ file defining
# `std::string_view dvc::sim::embedded::NAME()`, the text of IN, so the simulator's data ships inside the binary.
file(READ "${IN}" text)
string(FIND "${text}" ")dvcsim\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN}: contains the raw-string delimiter )dvcsim\"")
endif()
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by sim/embed.cmake.\n#include \"sim/embedded_data.hpp\"\n\n"
                        "namespace dvc::sim::embedded {\n\nstd::string_view ${NAME}() {\n  return R\"dvcsim(${text})dvcsim\";\n}\n\n"
                        "}  // namespace dvc::sim::embedded\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
