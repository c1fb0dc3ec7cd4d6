// The maximal AsyncAPI event of each of the 13 types (every property set), from the test
// fixtures under tests/data/asyncapi, found through ALM_WEBHOOKS_TEST_DATA.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace alm_bench {

/// The fixture names, one per event type, in the AsyncAPI document's order.
inline constexpr std::array<std::string_view, 13> asyncapi_events = {
    "learner_enrollment", "learner_completion", "learner_progress", "learner_unenrollment",
    "course_created",     "course_updated",     "badge_awarded",    "certification_completed",
    "skill_achieved",     "user_created",       "user_updated",     "user_deleted",
    "job_completed"};

/// The body of fixture `name`; exits when the file cannot be read (a broken checkout).
inline std::string asyncapi_body(std::string_view name) {
  const std::string path =
      std::string(ALM_WEBHOOKS_TEST_DATA) + "/asyncapi/" + std::string(name) + ".json";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace alm_bench
