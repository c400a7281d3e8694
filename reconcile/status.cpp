#include "reconcile/status.hpp"

#include <stdexcept>

#include "reconcile/normalize.hpp"
#include "reconcile/profile_file.hpp"

namespace dvc {

std::string_view national_status_label(int s) {
  switch (s) {
    case 1:
      return "Mới đăng ký";
    case 2:
      return "Đã tiếp nhận";
    case 3:
      return "Không được tiếp nhận";
    case 4:
      return "Đang xử lý";
    case 5:
      return "Yêu cầu bổ sung";
    case 6:
      return "Yêu cầu thực hiện nghĩa vụ tài chính";
    case 7:
      return "Công dân yêu cầu rút hồ sơ";
    case 8:
      return "Dừng xử lý";
    case 9:
      return "Đã xử lý xong";
    case 10:
      return "Đã trả kết quả";
    default:
      return "";
  }
}

status_map::status_map() {
  for (const auto& [wire, national] : shipped_profile("contract", side::provincial).record.status_table())
    table_.emplace(wire, national);
}

void status_map::set(std::string_view provincial_code, int national) {
  if (national < national_status_min || national > national_status_max)
    throw std::invalid_argument("status_map." + std::string(provincial_code) + ": national status " +
                                std::to_string(national) + " is not one of 1..10");
  const std::string code = normalize_code(provincial_code);
  if (code.empty()) throw std::invalid_argument("status_map: empty provincial status code");
  table_[code] = national;
  overrides_[code] = national;
}

std::optional<int> status_map::map(std::string_view provincial_code) const {
  const auto it = table_.find(normalize_code(provincial_code));
  if (it == table_.end()) return std::nullopt;
  return it->second;
}

}  // namespace dvc
