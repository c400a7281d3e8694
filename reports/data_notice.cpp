#include "reports/data_notice.hpp"

#include "reconcile/instant.hpp"

namespace dvc {
namespace {

// "2024-07-25 10:00", Vietnam time: what the banner shows of an instant.
std::string short_time(instant t) {
  std::string text = format_vietnam_iso(t).substr(0, 16);
  text[10] = ' ';
  return text;
}

std::string run_label(const run_row& r) { return "#" + std::to_string(r.id) + " lúc " + short_time(r.started_at); }

nlohmann::json time_or_null(const maybe_instant& t) {
  return t ? nlohmann::json(format_vietnam_iso(*t)) : nlohmann::json(nullptr);
}

}  // namespace

data_status data_status_of(const ledger& db, instant now, std::int64_t max_age_s) {
  data_status s;
  s.last_evaluated = db.latest_evaluated_run();
  s.latest = db.latest_run();
  const auto finished = db.latest_run({run_status::ok, run_status::partial, run_status::failed});
  if (!s.last_evaluated) {
    if (!finished || (s.latest && s.latest->status == run_status::running)) {
      s.notice = data_notice{"first_sync",
                             s.latest && s.latest->status == run_status::running
                                 ? "Đang đồng bộ lần đầu (lần chạy " + run_label(*s.latest) +
                                       "): chưa tính tỷ lệ nào; số liệu hiện khi lần đối soát đầy đủ đầu tiên kết thúc."
                                 : "Chưa có lần đối soát nào: số liệu hiện khi lần đối soát đầy đủ đầu tiên kết thúc."};
    } else {
      s.notice =
          data_notice{"no_evaluation", "Chưa có lần đối soát đầy đủ nào: lần chạy gần nhất (" + run_label(*finished) +
                                           ") không đọc được đầy đủ cả hai cổng, nên chưa tính tỷ lệ nào."};
    }
    return s;
  }
  const std::string as_of = "lần đối soát đầy đủ " + run_label(*s.last_evaluated);
  if (finished && finished->id > s.last_evaluated->id) {
    s.notice =
        data_notice{"partial", "Lần chạy gần nhất (" + run_label(*finished) +
                                   ") không đọc được đầy đủ cả hai cổng: số liệu dưới đây là của " + as_of + "."};
    return s;
  }
  const instant ended = s.last_evaluated->ended_at.value_or(s.last_evaluated->started_at);
  if (now - ended > max_age_s) {
    s.notice = data_notice{"stale", "Số liệu đã cũ: " + as_of + " kết thúc " + std::to_string((now - ended) / 60) +
                                        " phút trước, quá " + std::to_string(max_age_s / 60) +
                                        " phút; dịch vụ có thể đã dừng hoặc không đọc được các cổng."};
  }
  return s;
}

nlohmann::json data_status_json(const data_status& s) {
  nlohmann::json out = {{"notice", nullptr}, {"last_evaluated_run", nullptr}, {"latest_run", nullptr}};
  if (s.notice) out["notice"] = {{"kind", s.notice->kind}, {"message", s.notice->message}};
  if (s.last_evaluated)
    out["last_evaluated_run"] = {{"id", s.last_evaluated->id},
                                 {"as_of", format_vietnam_iso(s.last_evaluated->as_of)},
                                 {"ended_at", time_or_null(s.last_evaluated->ended_at)}};
  if (s.latest)
    out["latest_run"] = {{"id", s.latest->id},
                         {"status", run_status_name(s.latest->status)},
                         {"started_at", format_vietnam_iso(s.latest->started_at)},
                         {"ended_at", time_or_null(s.latest->ended_at)}};
  return out;
}

}  // namespace dvc
