#pragma once
// The simulator's data files (sim/data/), built into the binary.
#include <string_view>

namespace dvc::sim::embedded {

std::string_view binh_phuoc();  // sim/data/binh-phuoc.json
std::string_view dong_nai();    // sim/data/dong-nai.json
std::string_view vocabulary();  // sim/data/vocabulary.json

}  // namespace dvc::sim::embedded
