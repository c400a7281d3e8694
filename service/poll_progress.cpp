#include "service/poll_progress.hpp"

#include <cstdio>
#include <string>

#include "service/log.hpp"

namespace dvc {
namespace {

std::string decimal(double v, int places) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

double seconds_between(poll_progress::clock::time_point from, poll_progress::clock::time_point to) {
  return to > from ? std::chrono::duration<double>(to - from).count() : 0.0;
}

}  // namespace

poll_live poll_figures(std::int64_t records, std::int64_t pages, double seconds,
                       std::optional<std::int64_t> remaining) {
  poll_live out;
  out.running = true;
  out.records = records;
  out.pages = pages;
  out.seconds = seconds;
  out.records_per_s = seconds > 0 ? static_cast<double>(records) / seconds : 0;
  out.remaining = remaining;
  if (remaining && *remaining == 0)
    out.eta_s = 0;
  else if (remaining && out.records_per_s > 0)
    out.eta_s = static_cast<double>(*remaining) / out.records_per_s;
  return out;
}

poll_progress::poll_progress(service_status& status, publisher publish, clock::time_point started)
    : status_(status), publish_(std::move(publish)), started_(started) {
  for (const side s : {side::provincial, side::national}) {
    side_status& st = status_.of(s);
    base_of(s) = {st.records_read_total, st.pages_total};
    st.poll = poll_figures(0, 0, 0, std::nullopt);
  }
  if (publish_) publish_(status_);
}

poll_progress::~poll_progress() {
  status_.provincial.poll.running = false;
  status_.national.poll.running = false;
}

void poll_progress::update(side s, const poll_outcome& so_far, std::optional<std::int64_t> remaining,
                           clock::time_point now) {
  side_status& st = status_.of(s);
  st.records_read_total = base_of(s).records + so_far.records;
  st.pages_total = base_of(s).pages + so_far.pages;
  st.poll = poll_figures(so_far.records, so_far.pages, seconds_between(started_, now), remaining);
}

void poll_progress::page(side s, const poll_outcome& so_far, std::optional<std::int64_t> remaining,
                         clock::time_point now) {
  update(s, so_far, remaining, now);
  if (publish_) publish_(status_);
}

void poll_progress::end(side s, const poll_outcome& outcome, clock::time_point now) {
  update(s, outcome, outcome.ok() ? std::optional<std::int64_t>(0) : status_.of(s).poll.remaining, now);
  status_.of(s).poll.running = false;
  if (publish_) publish_(status_);
}

void poll_progress::log_running(clock::time_point now) {
  bool any = false;
  for (const side s : {side::provincial, side::national}) {
    poll_live& live = status_.of(s).poll;
    if (!live.running) continue;
    any = true;
    live = poll_figures(live.records, live.pages, seconds_between(started_, now), live.remaining);
    log::info("poll_progress", {{"side", std::string(side_name(s))},
                                {"records", std::to_string(live.records)},
                                {"pages", std::to_string(live.pages)},
                                {"seconds", decimal(live.seconds, 1)},
                                {"records_per_s", decimal(live.records_per_s, 1)},
                                {"remaining", live.remaining ? std::to_string(*live.remaining) : "unknown"},
                                {"eta_s", live.eta_s ? decimal(*live.eta_s, 0) : "unknown"}});
  }
  if (any && publish_) publish_(status_);
}

}  // namespace dvc
