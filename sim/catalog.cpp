#include "sim/catalog.hpp"

#include <array>

namespace dvc::sim {
namespace {

using L = unit_level;

constexpr std::string_view province_desk = "Trung tâm Phục vụ hành chính công tỉnh";

constexpr std::array unit_table{
    unit_info{"000.00.02.H10", "Sở Nội vụ", L::department, province_desk, "Phó Giám đốc Sở", 2},
    unit_info{"000.00.04.H10", "Sở Tư pháp", L::department, province_desk, "Phó Giám đốc Sở", 6},
    unit_info{"000.00.05.H10", "Sở Kế hoạch và Đầu tư", L::department, province_desk, "Phó Giám đốc Sở", 8},
    unit_info{"000.00.06.H10", "Sở Tài chính", L::department, province_desk, "Phó Giám đốc Sở", 2},
    unit_info{"000.00.09.H10", "Sở Y tế", L::department, province_desk, "Phó Giám đốc Sở", 3},
    unit_info{"000.00.11.H10", "Sở Tài nguyên và Môi trường", L::department, province_desk, "Phó Giám đốc Sở", 5},
    unit_info{"000.00.12.H10", "Sở Giao thông vận tải", L::department, province_desk, "Phó Giám đốc Sở", 12},
    unit_info{"000.00.21.H10", "UBND thành phố Đồng Xoài", L::district,
              "Bộ phận Tiếp nhận và Trả kết quả thành phố Đồng Xoài", "Phó Chủ tịch UBND thành phố", 7},
    unit_info{"000.00.22.H10", "UBND thị xã Bình Long", L::district,
              "Bộ phận Tiếp nhận và Trả kết quả thị xã Bình Long", "Phó Chủ tịch UBND thị xã", 3},
    unit_info{"000.00.23.H10", "UBND thị xã Phước Long", L::district,
              "Bộ phận Tiếp nhận và Trả kết quả thị xã Phước Long", "Phó Chủ tịch UBND thị xã", 3},
    unit_info{"000.00.24.H10", "UBND thị xã Chơn Thành", L::district,
              "Bộ phận Tiếp nhận và Trả kết quả thị xã Chơn Thành", "Phó Chủ tịch UBND thị xã", 4},
    unit_info{"000.00.25.H10", "UBND huyện Đồng Phú", L::district, "Bộ phận Tiếp nhận và Trả kết quả huyện Đồng Phú",
              "Phó Chủ tịch UBND huyện", 4},
    unit_info{"000.00.26.H10", "UBND huyện Bù Gia Mập", L::district,
              "Bộ phận Tiếp nhận và Trả kết quả huyện Bù Gia Mập", "Phó Chủ tịch UBND huyện", 3},
    unit_info{"000.00.27.H10", "UBND huyện Lộc Ninh", L::district, "Bộ phận Tiếp nhận và Trả kết quả huyện Lộc Ninh",
              "Phó Chủ tịch UBND huyện", 5},
    unit_info{"000.00.28.H10", "UBND huyện Bù Đốp", L::district, "Bộ phận Tiếp nhận và Trả kết quả huyện Bù Đốp",
              "Phó Chủ tịch UBND huyện", 3},
    unit_info{"000.00.29.H10", "UBND huyện Hớn Quản", L::district, "Bộ phận Tiếp nhận và Trả kết quả huyện Hớn Quản",
              "Phó Chủ tịch UBND huyện", 5},
    unit_info{"000.00.30.H10", "UBND huyện Bù Đăng", L::district, "Bộ phận Tiếp nhận và Trả kết quả huyện Bù Đăng",
              "Phó Chủ tịch UBND huyện", 4},
    unit_info{"000.00.31.H10", "UBND huyện Phú Riềng", L::district, "Bộ phận Tiếp nhận và Trả kết quả huyện Phú Riềng",
              "Phó Chủ tịch UBND huyện", 6},
};

// Department procedures first (indexes 0..15), then district ones; procedures_for relies on this order.
constexpr std::array procedure_table{
    procedure_info{"1.002804", "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "G12-DB", "Đường bộ",
                   L::department, "Phòng Quản lý vận tải, phương tiện và người lái", "Giấy phép lái xe", 5},
    procedure_info{"1.002835", "Cấp lại giấy phép lái xe", "G12-DB", "Đường bộ", L::department,
                   "Phòng Quản lý vận tải, phương tiện và người lái", "Giấy phép lái xe", 10},
    procedure_info{"1.001765", "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô", "G12-DB", "Đường bộ", L::department,
                   "Phòng Quản lý vận tải, phương tiện và người lái", "Giấy phép kinh doanh vận tải bằng xe ô tô", 5},
    procedure_info{"2.001610", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", "G05-DN",
                   "Thành lập và hoạt động của doanh nghiệp", L::department, "Phòng Đăng ký kinh doanh",
                   "Giấy chứng nhận đăng ký doanh nghiệp", 3},
    procedure_info{"2.002042", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "G05-DN",
                   "Thành lập và hoạt động của doanh nghiệp", L::department, "Phòng Đăng ký kinh doanh",
                   "Giấy xác nhận thay đổi nội dung đăng ký doanh nghiệp", 3},
    procedure_info{"1.004227", "Cấp giấy phép khai thác, sử dụng nước dưới đất", "G11-TNN", "Tài nguyên nước",
                   L::department, "Phòng Tài nguyên nước, Khoáng sản và Khí tượng thủy văn",
                   "Giấy phép khai thác, sử dụng nước dưới đất", 30},
    procedure_info{"1.003010", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "G11-DD",
                   "Đất đai", L::department, "Văn phòng Đăng ký đất đai", "Giấy chứng nhận quyền sử dụng đất", 10},
    procedure_info{"1.005384", "Thủ tục thi tuyển công chức", "G02-CCVC", "Công chức, viên chức", L::department,
                   "Phòng Tổ chức, biên chế và tổ chức phi chính phủ", "Quyết định tuyển dụng công chức", 30},
    procedure_info{"1.003822", "Công nhận ban vận động thành lập hội", "G02-TCPCP", "Tổ chức phi chính phủ",
                   L::department, "Phòng Tổ chức, biên chế và tổ chức phi chính phủ",
                   "Quyết định công nhận ban vận động thành lập hội", 15},
    procedure_info{"1.005433", "Đăng ký mã số đơn vị có quan hệ với ngân sách", "G06-TCNS", "Tài chính ngân sách",
                   L::department, "Phòng Quản lý ngân sách", "Giấy chứng nhận mã số đơn vị có quan hệ với ngân sách",
                   2},
    procedure_info{"1.004616", "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "G09-KCB", "Khám bệnh, chữa bệnh",
                   L::department, "Phòng Nghiệp vụ Y", "Chứng chỉ hành nghề khám bệnh, chữa bệnh", 20},
    procedure_info{"1.004512", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược", "G09-DMP", "Dược - Mỹ phẩm",
                   L::department, "Phòng Nghiệp vụ Dược", "Giấy chứng nhận đủ điều kiện kinh doanh dược", 30},
    procedure_info{
        "2.000488", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        "G04-LLTP", "Lý lịch tư pháp", L::department, "Phòng Hành chính tư pháp", "Phiếu lý lịch tư pháp", 10},
    procedure_info{"1.001233", "Thủ tục đăng ký hành nghề công chứng", "G04-CC", "Công chứng", L::department,
                   "Phòng Bổ trợ tư pháp", "Thẻ công chứng viên", 7},
    procedure_info{"1.000786", "Cấp giấy phép lái xe quốc tế", "G12-DB", "Đường bộ", L::department,
                   "Phòng Quản lý vận tải, phương tiện và người lái", "Giấy phép lái xe quốc tế", 5},
    procedure_info{"1.004839", "Cấp giấy phép môi trường", "G11-MT", "Môi trường", L::department,
                   "Chi cục Bảo vệ môi trường", "Giấy phép môi trường", 30},
    procedure_info{"2.000815",
                   "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của Việt Nam cấp "
                   "hoặc chứng nhận",
                   "H04-CT", "Chứng thực", L::district, "Phòng Tư pháp", "Bản sao chứng thực điện tử", 1},
    procedure_info{"1.001022", "Đăng ký kết hôn có yếu tố nước ngoài", "H04-HT", "Hộ tịch", L::district,
                   "Phòng Tư pháp", "Giấy chứng nhận kết hôn", 15},
    procedure_info{"2.000720", "Đăng ký thành lập hộ kinh doanh", "H05-HKD", "Thành lập và hoạt động của hộ kinh doanh",
                   L::district, "Phòng Tài chính - Kế hoạch", "Giấy chứng nhận đăng ký hộ kinh doanh", 3},
    procedure_info{
        "1.003560",
        "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu",
        "H11-DD", "Đất đai", L::district, "Phòng Tài nguyên và Môi trường",
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất", 30},
    procedure_info{"1.004199", "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền",
                   "H11-DD", "Đất đai", L::district, "Phòng Tài nguyên và Môi trường",
                   "Quyết định cho phép chuyển mục đích sử dụng đất", 15},
    procedure_info{"1.009994", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "H12-XD", "Hoạt động xây dựng",
                   L::district, "Phòng Kinh tế - Hạ tầng", "Giấy phép xây dựng", 15},
    procedure_info{"1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng", "H07-BTXH",
                   "Bảo trợ xã hội", L::district, "Phòng Lao động - Thương binh và Xã hội",
                   "Quyết định hưởng trợ cấp xã hội hàng tháng", 12},
    procedure_info{"1.004492", "Cho phép trường mẫu giáo, trường mầm non hoạt động giáo dục", "H08-GDMN",
                   "Giáo dục mầm non", L::district, "Phòng Giáo dục và Đào tạo",
                   "Quyết định cho phép hoạt động giáo dục", 20},
    procedure_info{"2.001234",
                   "Cấp Giấy chứng nhận đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh thực phẩm",
                   "H03-ATTP", "An toàn thực phẩm", L::district, "Phòng Kinh tế",
                   "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", 20},
    procedure_info{"1.001612", "Cấp giấy phép kinh doanh bán lẻ sản phẩm rượu", "H03-LT",
                   "Lưu thông hàng hóa trong nước", L::district, "Phòng Kinh tế", "Giấy phép bán lẻ sản phẩm rượu", 10},
};

constexpr std::array<std::uint8_t, 16> department_procedures{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
constexpr std::array<std::uint8_t, 10> district_procedures{16, 17, 18, 19, 20, 21, 22, 23, 24, 25};
static_assert(procedure_table.size() == department_procedures.size() + district_procedures.size());

constexpr std::array family{
    person_name{"Nguyễn", "nguyen"}, person_name{"Trần", "tran"},   person_name{"Lê", "le"},
    person_name{"Phạm", "pham"},     person_name{"Hoàng", "hoang"}, person_name{"Huỳnh", "huynh"},
    person_name{"Phan", "phan"},     person_name{"Vũ", "vu"},       person_name{"Võ", "vo"},
    person_name{"Đặng", "dang"},     person_name{"Bùi", "bui"},     person_name{"Đỗ", "do"},
    person_name{"Hồ", "ho"},         person_name{"Ngô", "ngo"},     person_name{"Dương", "duong"},
    person_name{"Lý", "ly"},         person_name{"Điểu", "dieu"},   person_name{"Trương", "truong"},
};

constexpr std::array<std::string_view, 12> middle{"Văn",  "Thị",  "Hữu", "Đức",  "Minh", "Thanh",
                                                  "Ngọc", "Quốc", "Thu", "Hoài", "Xuân", "Kim"};

constexpr std::array given{
    person_name{"An", "an"},       person_name{"Bình", "binh"},   person_name{"Cường", "cuong"},
    person_name{"Dũng", "dung"},   person_name{"Hà", "ha"},       person_name{"Hải", "hai"},
    person_name{"Hạnh", "hanh"},   person_name{"Hùng", "hung"},   person_name{"Hương", "huong"},
    person_name{"Khánh", "khanh"}, person_name{"Lan", "lan"},     person_name{"Linh", "linh"},
    person_name{"Long", "long"},   person_name{"Mai", "mai"},     person_name{"Nam", "nam"},
    person_name{"Nga", "nga"},     person_name{"Phong", "phong"}, person_name{"Phương", "phuong"},
    person_name{"Quân", "quan"},   person_name{"Sơn", "son"},     person_name{"Tâm", "tam"},
    person_name{"Thảo", "thao"},   person_name{"Trang", "trang"}, person_name{"Tuấn", "tuan"},
    person_name{"Việt", "viet"},   person_name{"Yến", "yen"},     person_name{"Đạt", "dat"},
    person_name{"Ánh", "anh"},
};

constexpr std::array<std::string_view, 10> businesses{
    "Công ty TNHH Thương mại Dịch vụ Phú Riềng",
    "Công ty Cổ phần Cao su Đồng Phú",
    "Công ty TNHH Chế biến Hạt điều Bình Phước",
    "Công ty TNHH MTV Vận tải Đồng Xoài",
    "Công ty Cổ phần Xây dựng Chơn Thành",
    "Hợp tác xã Nông nghiệp Bù Đăng",
    "Công ty TNHH Dược phẩm Sông Bé",
    "Doanh nghiệp tư nhân Vàng bạc Lộc Ninh",
    "Công ty Cổ phần Gỗ Hớn Quản",
    "Công ty TNHH Thực phẩm Phước Long",
};

constexpr std::array<std::string_view, 6> organisations{
    "Trường Mầm non Hoa Sen", "Hội Nông dân xã Tân Lập", "Trạm Y tế xã Lộc Thái", "Hội Cựu chiến binh phường Tân Phú",
    "Chùa Phước Huệ",         "Trường Tiểu học Bù Nho",
};

}  // namespace

std::span<const unit_info> units() { return unit_table; }
std::span<const procedure_info> procedures() { return procedure_table; }
std::span<const std::uint8_t> procedures_for(unit_level level) {
  if (level == unit_level::department) return department_procedures;
  return district_procedures;
}
std::span<const person_name> family_names() { return family; }
std::span<const std::string_view> middle_names() { return middle; }
std::span<const person_name> given_names() { return given; }
std::span<const std::string_view> business_names() { return businesses; }
std::span<const std::string_view> organisation_names() { return organisations; }

}  // namespace dvc::sim
