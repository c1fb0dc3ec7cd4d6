// Real-time progress dashboard feed: the state of every learner's enrollment, built from
// enrollment, progress, completion and unenrollment events of either format, with ALM's ordering
// rules applied (late enrollments and progress after completion are ignored). Prints the
// dashboard as JSON.
//
//   progress_dashboard BODY...
#include <map>
#include <string>
#include <utility>

#include <fmt/core.h>

#include <alm/webhooks.hpp>

#include "support/bodies.hpp"
#include "support/json_text.hpp"

namespace hooks = alm::webhooks;

int main(int argc, char** argv) {
  hooks::enrollment_tracker tracker;
  // (userId, learning object instance) -> state, in a stable order for the output.
  std::map<std::pair<std::string, std::string>, hooks::enrollment_state> dashboard;
  int ignored = 0;

  const int skipped = examples::for_each_delivery(
      examples::body_paths(argc, argv), [&](const hooks::delivery& delivery) {
        for (const hooks::event& e : delivery.events) {
          const auto update = hooks::enrollment_update_of(e);
          if (!update) continue;
          const auto decision = tracker.observe(*update);
          if (!decision || !decision->applied()) {
            ++ignored;
            continue;
          }
          dashboard[{std::string(update->user_id), std::string(update->lo_instance_id)}] =
              decision->state;
        }
      });

  fmt::print("{{\"enrollments\":[");
  bool first = true;
  for (const auto& [key, state] : dashboard) {
    fmt::print("{}\n  {{\"userId\":{},\"loInstanceId\":{},\"status\":\"{}\",\"percent\":{}}}",
               first ? "" : ",", examples::quoted(key.first), examples::quoted(key.second),
               hooks::to_string(state.status), state.percent);
    first = false;
  }
  fmt::print("\n],\"ignoredOutOfOrder\":{},\"bodiesRejected\":{}}}\n", ignored, skipped);
  return 0;
}
