#include "sim/vocabulary.hpp"

#include "sim/data_reader.hpp"
#include "sim/embedded_data.hpp"

namespace dvc::sim {

const vocabulary& vocabulary::get() {
  static const vocabulary words;
  return words;
}

vocabulary::vocabulary() {
  const std::string source = "sim/data/vocabulary.json";
  const auto document = parse_data(embedded::vocabulary(), source);
  data_object top(document, source, "");

  std::array<bool, status_count> have_status{};
  for (auto& s : top.objects("statuses")) {
    const auto number = static_cast<std::size_t>(s.whole("national", 1, status_count));
    if (have_status[number - 1]) s.fail("national", "status " + std::to_string(number) + " is given twice");
    have_status[number - 1] = true;
    auto& words = statuses_[number - 1];
    words.label = s.text("label");
    auto contract = s.object("contract");
    words.contract_code = contract.text("code");
    words.contract_name = contract.text("name");
    contract.finish();
    for (auto& b : s.objects("shape_b")) {
      words.shape_b.emplace_back(static_cast<int>(b.whole("id", 0, 999)), b.text("name"));
      b.finish();
    }
    s.finish();
  }
  for (std::size_t n = 0; n < status_count; ++n) {
    if (!have_status[n]) top.fail("statuses", "status " + std::to_string(n + 1) + " is missing");
  }

  std::array<bool, channel_count> have_channel{};
  for (auto& c : top.objects("channels")) {
    const auto number = static_cast<std::size_t>(c.whole("national", 1, channel_count));
    if (have_channel[number - 1]) c.fail("national", "channel " + std::to_string(number) + " is given twice");
    have_channel[number - 1] = true;
    channels_[number - 1] = {c.text("name"), static_cast<int>(c.whole("contract", 0, 99)),
                             static_cast<int>(c.whole("shape_b", 0, 99))};
    c.finish();
  }
  for (std::size_t n = 0; n < channel_count; ++n) {
    if (!have_channel[n]) top.fail("channels", "channel " + std::to_string(n + 1) + " is missing");
  }

  auto payment = top.object("payment");
  paid_ = payment.texts("paid");
  not_paid_ = payment.texts("not_paid");
  payment_unknown_ = payment.text_or_empty("unknown");
  payment.finish();
  for (auto& m : top.objects("payment_methods")) {
    (m.whole("id", 0, 1) == 1 ? method_paid_ : method_not_paid_) = m.text("name");
    m.finish();
  }
  if (method_paid_.empty() || method_not_paid_.empty()) top.fail("payment_methods", "ids 1 and 0 are both needed");

  auto steps = top.object("steps");
  static constexpr std::array<const char*, step_role_count> roles{"reception", "verify", "appraise",
                                                                  "review",    "sign",   "amend"};
  for (std::size_t r = 0; r < step_role_count; ++r) {
    auto step = steps.object(roles[r]);
    steps_[r] = {step.text("name"), step.text_or_empty("position")};
    step.finish();
  }
  steps.finish();
  auto states = top.object("step_states");
  step_open_ = states.text("open");
  step_ended_ = states.text("ended");
  states.finish();
  leadership_ = top.text("leadership");
  auto languages = top.object("languages");
  language_vi_ = static_cast<int>(languages.whole("vi", 0, 9999));
  language_en_ = static_cast<int>(languages.whole("en", 0, 9999));
  languages.finish();
  top.finish();
}

}  // namespace dvc::sim
