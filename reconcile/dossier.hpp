#pragma once
// The canonical dossier: one shape for a record from either portal, after field mapping and normalisation.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reconcile/canonical_field.hpp"
#include "reconcile/instant.hpp"

namespace dvc {

enum class side : std::uint8_t { provincial, national };
std::string_view side_name(side s);  // "provincial" / "national"

struct result_document {
  std::string code;
  std::string name;
  std::string url;
};

struct processing_step {
  std::string name;        // provincial `name`, national `NoiDungXuLy`
  std::string handler;     // `handler` / `NguoiXuLy`
  std::string position;    // `position` / `ChucDanh`
  std::string department;  // `department` / `PhongBanXuLy`
  std::string status;      // national `TrangThai` (free text); empty on provincial
  maybe_instant start;     // `startDate` / `NgayBatDau`
  maybe_instant end;       // `endDate` / `ThoiDiemXuLy`; absent while the step is open
  maybe_instant due;       // `dueDate` / `NgayKetThucTheoQuyDinh`
  bool open = false;       // the profile's `open`; without one, open while it has no `end` (docs/profiles.md)
};

struct dossier {
  side origin = side::provincial;
  std::string key;            // docs/rules.md#matching-key: provincial nationCode or code, national MaHoSo; normalised
  std::string id;             // provincial `id`; empty on national
  std::string code;           // provincial `code` / national `MaHoSo`, normalised
  std::string status_code;    // status as received, normalised ("COMPLETED", "9")
  std::optional<int> status;  // national numbering; nullopt when the code is unknown (reported, never guessed)
  bool registered = false;    // the status is one of the profile's `new` values: not expected on national
  std::string procedure_code, procedure_name;
  std::string sector_code, sector_name;
  std::string unit_code, unit_name;
  std::string applicant_name, applicant_phone, applicant_email;
  std::optional<int> applicant_type;  // LoaiDoiTuong numbering
  std::string summary;                // national `TrichYeuHoSo`
  std::optional<int> channel;         // national numbering: 1 in person, 2 online, 3 post
  std::optional<bool> online_payment;
  std::optional<bool> digitized;
  maybe_instant received;   // appliedDate / NgayTiepNhan
  maybe_instant due;        // appointmentDate / NgayHenTra
  maybe_instant completed;  // completedDate / NgayKetThucXuLy
  maybe_instant returned;   // returnedDate / NgayTra
  maybe_instant updated;    // updatedDate / NgayCapNhat
  std::vector<result_document> results;
  std::vector<processing_step> steps;
  // Fields this record does not give (docs/profiles.md#record): a profile's `not_provided`, and `absent: unknown`
  // fields that were missing. Their members above are empty and mean nothing.
  canonical_set unknown;
};

// What the rules (docs/rules.md#findings) read of one side: small enough to hold a million of each side in memory, and
// stored as columns of the ledger so re-evaluation needs no JSON.
struct dossier_facts {
  side origin = side::provincial;
  std::string key;
  std::string code;
  std::string unit_code;
  std::string procedure_code;
  std::string status_code;
  std::optional<int> status;
  bool registered = false;
  std::optional<int> channel;
  std::optional<bool> online_payment;
  std::optional<bool> digitized;
  maybe_instant received, due, completed, updated;
  std::uint32_t result_count = 0;
  std::uint32_t steps_ended = 0;
  bool step_open = false;
  maybe_instant last_step_end;  // latest `end` among ended steps
  canonical_set unknown;        // docs/rules.md#unknown-fields: rules needing one of these are not evaluated

  bool operator==(const dossier_facts&) const = default;
};

dossier_facts facts_of(const dossier& d);

}  // namespace dvc
