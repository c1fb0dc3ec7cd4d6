// Manager alerts on stalled progress: a learner who started a course but whose last progress is
// older than a threshold, and who has not completed it, is reported to their manager.
//
//   stalled_progress_alerts --now ISO-8601 [--days N] BODY...
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/core.h>

#include <alm/webhooks.hpp>

#include "support/bodies.hpp"

namespace hooks = alm::webhooks;

struct last_progress {
  hooks::date_time at;
  hooks::enrollment_state state;
};

int main(int argc, char** argv) {
  int first_body = 1;
  std::optional<hooks::date_time> now;
  long days = 7;
  for (; first_body + 1 < argc && std::string_view(argv[first_body]).substr(0, 2) == "--";
       first_body += 2) {
    const std::string_view option = argv[first_body];
    if (option == "--now")
      now = hooks::date_time::parse(argv[first_body + 1]).value_or(hooks::date_time{});
    if (option == "--days") days = std::strtol(argv[first_body + 1], nullptr, 10);
  }
  if (!now || days <= 0) {
    fmt::print(stderr, "usage: stalled_progress_alerts --now ISO-8601 [--days N] BODY...\n");
    return 64;
  }

  hooks::enrollment_tracker tracker;
  std::map<std::pair<std::string, std::string>, last_progress> progress;
  examples::for_each_delivery(
      examples::body_paths(argc, argv, first_body), [&](const hooks::delivery& d) {
        for (const hooks::event& e : d.events) {
          const auto update = hooks::enrollment_update_of(e);
          if (!update) continue;
          const auto r = tracker.observe(*update);
          if (!r || !r->applied()) continue;
          const auto at = update->timestamp.value_or(*now);
          progress[{std::string(update->user_id), std::string(update->lo_instance_id)}] = {
              at, r->state};
        }
      });

  const std::int64_t threshold_ms = days * 24 * 3600 * 1000;
  int alerts = 0;
  for (const auto& [key, p] : progress) {
    const bool started = p.state.status == hooks::enrollment_status::in_progress;
    const std::int64_t idle = now->milliseconds_since_epoch() - p.at.milliseconds_since_epoch();
    if (!started || idle < threshold_ms) continue;
    ++alerts;
    fmt::print("ALERT user {} stalled at {}% on {} for {} days (last progress {})\n", key.first,
               p.state.percent, key.second, idle / (24 * 3600 * 1000), p.at.to_iso8601());
  }
  fmt::print("{} alert(s)\n", alerts);
  return 0;
}
