#include "service/build_info.hpp"

#include "schema/migrations.hpp"

namespace dvc {

std::string_view build_version() { return DVC_VERSION; }

int build_schema_version() { return latest_schema_version(); }

}  // namespace dvc
