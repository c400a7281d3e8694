#pragma once
// The one reading of the wall clock, for the code that is not handed a clock of its own (commands, the service
// loop's default). Code under test takes its time as a parameter or a function instead.
#include "reconcile/instant.hpp"

namespace dvc {

// Unix seconds now.
instant wall_clock_now();

}  // namespace dvc
