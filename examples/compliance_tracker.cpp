// Compliance tracker by department: the share of enrollments completed in each department, with
// a risk level (high below 70 %, medium below 90 %, low from 90 %), as a compliance dashboard
// would show it. Departments come from a CSV of `userId,department` lines (an HR export).
//
//   compliance_tracker --departments FILE BODY...
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/core.h>

#include <alm/webhooks.hpp>

#include "support/bodies.hpp"

namespace hooks = alm::webhooks;

namespace {

std::map<std::string, std::string> read_departments(const std::string& path) {
  std::map<std::string, std::string> departments;
  std::ifstream file(path);
  for (std::string line; std::getline(file, line);) {
    const auto comma = line.find(',');
    if (comma != std::string::npos) departments[line.substr(0, comma)] = line.substr(comma + 1);
  }
  return departments;
}

std::string_view risk_level(double compliance) {
  if (compliance < 0.70) return "high";
  if (compliance < 0.90) return "medium";
  return "low";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || std::string_view(argv[1]) != "--departments") {
    fmt::print(stderr, "usage: compliance_tracker --departments FILE BODY...\n");
    return 64;
  }
  const auto departments = read_departments(argv[2]);
  hooks::enrollment_tracker tracker;
  std::map<std::pair<std::string, std::string>, hooks::enrollment_status> enrollments;
  examples::for_each_delivery(examples::body_paths(argc, argv, 3), [&](const hooks::delivery& d) {
    for (const hooks::event& e : d.events) {
      const auto update = hooks::enrollment_update_of(e);
      if (!update) continue;
      const auto r = tracker.observe(*update);
      if (r && r->applied()) {
        enrollments[{std::string(update->user_id), std::string(update->lo_instance_id)}] =
            r->state.status;
      }
    }
  });

  struct tally {
    int assigned = 0;
    int completed = 0;
  };
  std::map<std::string, tally> by_department;
  for (const auto& [key, status] : enrollments) {
    if (status == hooks::enrollment_status::unenrolled) continue;  // no longer assigned
    const auto found = departments.find(key.first);
    tally& t = by_department[found == departments.end() ? "(unassigned)" : found->second];
    ++t.assigned;
    if (status == hooks::enrollment_status::completed) ++t.completed;
  }
  fmt::print("{:<16} {:>9} {:>9} {:>11}  risk\n", "department", "assigned", "completed",
             "compliance");
  for (const auto& [department, t] : by_department) {
    const double compliance = t.assigned == 0 ? 1.0 : double(t.completed) / t.assigned;
    fmt::print("{:<16} {:>9} {:>9} {:>10.1f}%  {}\n", department, t.assigned, t.completed,
               compliance * 100, risk_level(compliance));
  }
  return 0;
}
