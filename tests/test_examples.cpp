// Feeds the examples (the use cases of ALM's users) sample bodies and checks what they print.
#include <string>
#include <vector>

#include "catch.hpp"
#include "process.hpp"

using test_support::run;

namespace {

const std::string bin = ALM_WEBHOOKS_EXAMPLES_DIR;
const std::string data = ALM_WEBHOOKS_TEST_DATA;
const std::string team = data + "/examples/";
const std::vector<std::string> team_bodies = {team + "1-enrollments.json", team + "2-progress.json",
                                              team + "3-completions.json",
                                              team + "4-late-events.json"};

std::vector<std::string> command(const std::string& example, std::vector<std::string> args) {
  args.insert(args.begin(), bin + "/" + example);
  return args;
}

std::vector<std::string> with_team(std::vector<std::string> args) {
  args.insert(args.end(), team_bodies.begin(), team_bodies.end());
  return args;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("progress dashboard: state per learner, ALM's ordering rules applied", "[examples]") {
  const auto r = run(command("progress_dashboard", with_team({})));
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, R"({"userId":"1001","loInstanceId":"course:7374992_10250977",)"
                        R"("status":"completed","percent":100})"));
  CHECK(contains(r.out, R"("userId":"1002","loInstanceId":"course:7374992_10250977",)"
                        R"("status":"in_progress","percent":30})"));
  CHECK(contains(r.out, R"("userId":"1003","loInstanceId":"course:7374992_10250977",)"
                        R"("status":"in_progress","percent":80})"));
  // The late enrollment and the progress after completion of user 1001 are ignored.
  CHECK(contains(r.out, R"("ignoredOutOfOrder":2,"bodiesRejected":0})"));
}

TEST_CASE("completion certificates: one per passed completion, redeliveries ignored",
          "[examples]") {
  const std::string completions = team + "3-completions.json";
  const auto r = run(command("completion_certificates",
                             {completions, completions, data + "/asyncapi/learner_completion.json",
                              data + "/asyncapi/certification_completed.json"}));
  REQUIRE(r.code == 0);
  CHECK(contains(r.out,
                 R"({"certificateId":"CERT-1001-2024-11-08","userId":"1001",)"
                 R"("learningObject":"course:7374992","completedOn":"2024-11-08T03:20:00.000Z",)"
                 R"("score":95})"));
  CHECK(contains(r.out, R"("userId":"4279332","learningObject":"learningProgram:155203")"));
  CHECK(contains(r.out, R"("validUntil":")"));
  CHECK_FALSE(contains(r.out, R"("userId":"1004")"));  // did not pass
  CHECK(contains(r.err, "no certificate: user 1004 did not pass"));
  CHECK(contains(r.err, "5 certificate(s) issued"));
}

TEST_CASE("stalled progress alerts: started, not completed, idle past the threshold",
          "[examples]") {
  const auto week = run(command("stalled_progress_alerts",
                                with_team({"--now", "2024-11-16T03:33:20Z", "--days", "7"})));
  REQUIRE(week.code == 0);
  CHECK(
      contains(week.out, "ALERT user 1002 stalled at 30% on course:7374992_10250977 for 19 days"));
  CHECK(contains(week.out, "ALERT user 1003 stalled at 80%"));
  CHECK_FALSE(contains(week.out, "user 1001"));  // completed
  CHECK(contains(week.out, "2 alert(s)"));
  const auto fortnight = run(command("stalled_progress_alerts",
                                     with_team({"--now", "2024-11-16T03:33:20Z", "--days", "15"})));
  CHECK(contains(fortnight.out, "1 alert(s)"));
  CHECK(run(command("stalled_progress_alerts", {team + "1-enrollments.json"})).code == 64);
}

TEST_CASE("compliance tracker: completion share and risk by department", "[examples]") {
  const auto r =
      run(command("compliance_tracker", with_team({"--departments", team + "departments.csv"})));
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "Engineering              3         2       66.7%  high"));
  CHECK(contains(r.out, "Sales                    2         1       50.0%  high"));
  CHECK(contains(r.out, "Support                  1         1      100.0%  low"));
}

TEST_CASE("gamification points: a leaderboard, each event counted once", "[examples]") {
  std::vector<std::string> args = with_team({});
  args.push_back(team + "3-completions.json");  // redelivered: no extra points
  args.push_back(data + "/asyncapi/badge_awarded.json");
  const auto r = run(command("gamification_points", args));
  REQUIRE(r.code == 0);
  // 1001: enrollment 10 + progress 50 + completion 100 + score bonus 50 + late enrollment 10
  // + progress gained from 50 to 60: 10.
  CHECK(contains(r.out, " 1. user 1001           230 points"));
  CHECK(contains(r.out, "user 1005           150 points"));
  CHECK(contains(r.out, "user 1004            10 points"));  // failed completion: 0
  CHECK(contains(r.out, "user 4279332         50 points"));  // a badge
}

TEST_CASE("examples skip a malformed body and go on", "[examples]") {
  const auto r = run(command("progress_dashboard", {data + "/no-such-file.json", "-"}), "{oops");
  CHECK(r.code == 0);
  CHECK(contains(r.out, R"("bodiesRejected":2)"));
  CHECK(contains(r.err, "cannot read"));
}
