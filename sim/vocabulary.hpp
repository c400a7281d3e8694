#pragma once
// How the portals name statuses, channels, payments and steps, read from sim/data/vocabulary.json (built in).
// The numbers the simulator reasons with are enums; the words and wire codes of each shape are data.
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dvc::sim {

// The national portal's status numbers, which the simulator uses for both sides.
enum class national_status : std::uint8_t {
  registered = 1,
  received,
  not_accepted,
  processing,
  supplement_requested,
  financial_obligation,
  withdrawn,
  stopped,
  processed,
  returned,
};
inline constexpr std::size_t status_count = 10;
constexpr bool is_done(national_status s) { return s == national_status::processed || s == national_status::returned; }

// KenhThucHien numbering.
enum class channel : std::uint8_t { in_person = 1, online, post };
inline constexpr std::size_t channel_count = 3;

// A processing step by its role in a procedure.
enum class step_role : std::uint8_t { reception, verify, appraise, review, sign, amend };
inline constexpr std::size_t step_role_count = 6;

struct status_words {
  std::string label;  // the national label
  std::string contract_code, contract_name;
  std::vector<std::pair<int, std::string>> shape_b;  // (id, name); the second, if any, while signing
};

struct channel_words {
  std::string name;
  int contract = 0, shape_b = 0;  // applyMethod.id of each shape
};

struct step_words {
  std::string name, position;
};

class vocabulary {
 public:
  // The built-in vocabulary; a broken file throws data_error on first use.
  static const vocabulary& get();

  const status_words& status(national_status s) const { return statuses_[static_cast<std::size_t>(s) - 1]; }
  const channel_words& channel_of(channel c) const { return channels_[static_cast<std::size_t>(c) - 1]; }
  const step_words& step(step_role r) const { return steps_[static_cast<std::size_t>(r)]; }
  const std::vector<std::string>& paid() const { return paid_; }
  const std::vector<std::string>& not_paid() const { return not_paid_; }
  const std::string& payment_unknown() const { return payment_unknown_; }
  // paymentMethod.name of a shape-B platform for paid online (true) or not.
  const std::string& payment_method(bool paid) const { return paid ? method_paid_ : method_not_paid_; }
  const std::string& step_state(bool open) const { return open ? step_open_ : step_ended_; }
  const std::string& leadership() const { return leadership_; }
  int language_vi() const { return language_vi_; }
  int language_en() const { return language_en_; }

 private:
  vocabulary();

  std::array<status_words, status_count> statuses_;
  std::array<channel_words, channel_count> channels_;
  std::array<step_words, step_role_count> steps_;
  std::vector<std::string> paid_, not_paid_;
  std::string payment_unknown_, method_paid_, method_not_paid_, step_open_, step_ended_, leadership_;
  int language_vi_ = 0, language_en_ = 0;
};

}  // namespace dvc::sim
