#include "connectors/wall_clock.hpp"

#include <chrono>

namespace dvc {

instant wall_clock_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace dvc
