# cmake -DIN=FILE -DOUT=FILE.inc -P embed_profile.cmake: writes IN as one C++ raw string literal, which
# service/contract_transport.cpp includes, so the contract profiles ship inside the binary.
file(READ "${IN}" text)
string(FIND "${text}" ")dvcprofile\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN}: contains the raw-string delimiter )dvcprofile\"")
endif()
file(WRITE "${OUT}.tmp" "R\"dvcprofile(${text})dvcprofile\"\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
