#include "alm/webhooks/ordering.hpp"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "receiving_support.hpp"

using namespace alm::webhooks;
using namespace receiving_test;

namespace {

enrollment_update update(enrollment_signal signal, std::optional<std::int64_t> ms,
                         std::optional<std::int64_t> percent = std::nullopt) {
  enrollment_update u;
  u.signal = signal;
  u.user_id = "7";
  u.lo_instance_id = "course:1_1";
  if (ms) u.timestamp = at(*ms);
  u.percent = percent;
  return u;
}

enrollment_state state_of(enrollment_status status, std::int64_t percent,
                          std::optional<std::int64_t> ms) {
  enrollment_state s;
  s.status = status;
  s.percent = percent;
  if (ms) s.last_timestamp = at(*ms);
  return s;
}

ordering_result observed(enrollment_tracker& tracker, const event& e) {
  const result<ordering_result> r = tracker.observe(e);
  REQUIRE(r);
  return *r;
}

}  // namespace

TEST_CASE("the state machine follows enrollment, progress and completion", "[ordering]") {
  enrollment_state s;
  ordering_result r = next_state(s, update(enrollment_signal::enrollment, 100));
  CHECK(r.applied());
  CHECK(r.state == state_of(enrollment_status::enrolled, 0, 100));

  r = next_state(r.state, update(enrollment_signal::progress, 200, 40));
  CHECK(r.applied());
  CHECK(r.state == state_of(enrollment_status::in_progress, 40, 200));

  r = next_state(r.state, update(enrollment_signal::progress, 300));  // no percent: keep 40
  CHECK(r.state == state_of(enrollment_status::in_progress, 40, 300));

  r = next_state(r.state, update(enrollment_signal::completion, 400));
  CHECK(r.applied());
  CHECK(r.state == state_of(enrollment_status::completed, 100, 400));

  r = next_state(r.state, update(enrollment_signal::unenrollment, 500));
  CHECK(r.applied());
  CHECK(r.state == state_of(enrollment_status::unenrolled, 100, 500));

  // Re-enrollment after unenrollment.
  r = next_state(r.state, update(enrollment_signal::enrollment, 600));
  CHECK(r.applied());
  CHECK(r.state == state_of(enrollment_status::enrolled, 0, 600));
}

TEST_CASE("Adobe's ordering rules ignore late events", "[ordering]") {
  const enrollment_state in_progress = state_of(enrollment_status::in_progress, 30, 1000);
  const enrollment_state completed = state_of(enrollment_status::completed, 100, 1000);

  SECTION("an enrollment after progress, even a newer one") {
    const ordering_result r = next_state(in_progress, update(enrollment_signal::enrollment, 2000));
    CHECK(r.decision == ordering_decision::enrollment_after_progress);
    CHECK(r.state == in_progress);
    CHECK(next_state(completed, update(enrollment_signal::enrollment, 2000)).decision ==
          ordering_decision::enrollment_after_progress);
  }
  SECTION("progress after completion, even a newer one") {
    const ordering_result r = next_state(completed, update(enrollment_signal::progress, 2000, 50));
    CHECK(r.decision == ordering_decision::progress_after_completion);
    CHECK(r.state == completed);
  }
  SECTION("anything older than the last event applied") {
    for (enrollment_signal signal :
         {enrollment_signal::progress, enrollment_signal::completion,
          enrollment_signal::unenrollment, enrollment_signal::completion_rollback}) {
      const ordering_result r = next_state(in_progress, update(signal, 999, 90));
      CHECK(r.decision == ordering_decision::stale);
      CHECK(r.state == in_progress);
    }
    const enrollment_state unenrolled = state_of(enrollment_status::unenrolled, 0, 1000);
    CHECK(next_state(unenrolled, update(enrollment_signal::enrollment, 999)).decision ==
          ordering_decision::stale);
  }
  SECTION("equal timestamps and missing timestamps are never stale") {
    CHECK(next_state(in_progress, update(enrollment_signal::progress, 1000, 35)).applied());
    CHECK(next_state(in_progress, update(enrollment_signal::completion, std::nullopt)).applied());
    const ordering_result r = next_state(state_of(enrollment_status::enrolled, 0, std::nullopt),
                                         update(enrollment_signal::progress, 5, 10));
    CHECK(r.state == state_of(enrollment_status::in_progress, 10, 5));
    // An update without a timestamp keeps the newest known one.
    CHECK(next_state(in_progress, update(enrollment_signal::completion, std::nullopt))
              .state.last_timestamp == at(1000));
  }
}

TEST_CASE("a completion rollback re-opens the enrollment; percent is clamped", "[ordering]") {
  const enrollment_state completed = state_of(enrollment_status::completed, 100, 1000);
  ordering_result r = next_state(completed, update(enrollment_signal::completion_rollback, 2000));
  CHECK(r.applied());
  CHECK(r.state == state_of(enrollment_status::enrolled, 0, 2000));
  r = next_state(r.state, update(enrollment_signal::progress, 3000, 250));
  CHECK(r.state.percent == 100);
  r = next_state(r.state, update(enrollment_signal::progress, 4000, -5));
  CHECK(r.state.percent == 0);
  CHECK(to_string(r.state.status) == "in_progress");
  CHECK(to_string(ordering_decision::progress_after_completion) == "progress_after_completion");
}

TEST_CASE("enrollment updates are read from both formats", "[ordering]") {
  const auto u1 = enrollment_update_of(enrollment("e", "42", "course:1_2", 5000));
  REQUIRE(u1);
  CHECK(u1->signal == enrollment_signal::enrollment);
  CHECK(u1->user_id == "42");
  CHECK(u1->lo_instance_id == "course:1_2");
  CHECK(u1->timestamp == at(5000));

  const auto rollback = enrollment_update_of(
      enrollment("e", "42", "course:1_2", 5000, "LEARNING_PATH_COMPLETION_ROLLBACK_BATCH"));
  REQUIRE(rollback);
  CHECK(rollback->signal == enrollment_signal::completion_rollback);

  const auto p = enrollment_update_of(progress("p", "42", "course:1_2", 60));
  REQUIRE(p);
  CHECK(p->signal == enrollment_signal::progress);
  CHECK(p->percent == 60);
  CHECK_FALSE(p->timestamp);

  CHECK(enrollment_update_of(completion("c", "42", "course:1_2"))->signal ==
        enrollment_signal::completion);
  CHECK(enrollment_update_of(unenrollment("u", "42", "course:1_2"))->signal ==
        enrollment_signal::unenrollment);

  auto lp = learner_event<learner_progress>("a", "u-9", "course:1_3", 7000);
  lp.progress_percent = 25;
  const auto a = enrollment_update_of(lp);
  REQUIRE(a);
  CHECK(a->signal == enrollment_signal::progress);
  CHECK(a->user_id == "u-9");
  CHECK(a->lo_instance_id == "course:1_3");
  CHECK(a->percent == 25);
  CHECK(a->timestamp == at(7000));
  CHECK(enrollment_update_of(learner_event<learner_enrollment>("a", "u", "i", 1))->signal ==
        enrollment_signal::enrollment);
  CHECK(enrollment_update_of(learner_event<learner_completion>("a", "u", "i", 1))->signal ==
        enrollment_signal::completion);
  CHECK(enrollment_update_of(learner_event<learner_unenrollment>("a", "u", "i", 1))->signal ==
        enrollment_signal::unenrollment);

  // Without an instance id, the learning object id keys the enrollment.
  auto no_instance = learner_event<learner_enrollment>("a", "u", "", 1);
  CHECK(enrollment_update_of(no_instance)->lo_instance_id == "course:1");
  CHECK(enrollment_update_of(enrollment("e", "42", ""))->lo_instance_id == "course:1");
}

TEST_CASE("events that are not about an enrollment give no update", "[ordering]") {
  CHECK_FALSE(enrollment_update_of(unknown_event("x", "SOMETHING_NEW")));
  course_created created;
  CHECK_FALSE(enrollment_update_of(created));
  auto anonymous = learner_event<learner_completion>("a", "u", "i", 1);
  anonymous.learner.reset();
  CHECK_FALSE(enrollment_update_of(anonymous));
  CHECK_FALSE(enrollment_update_of(enrollment("e", "", "course:1_1")));

  enrollment_tracker tracker;
  const ordering_result r = observed(tracker, created);
  CHECK(r.decision == ordering_decision::not_applicable);
  CHECK_FALSE(r.applied());
  CHECK(tracker.size() == 0);
}

TEST_CASE("the tracker applies Adobe's rules per enrollment", "[ordering]") {
  enrollment_tracker tracker;
  // Progress arrives before its enrollment (a late batch): the enrollment is then ignored.
  CHECK(observed(tracker, progress("p1", "7", "course:1_1", 20, 2000)).applied());
  CHECK(observed(tracker, enrollment("e1", "7", "course:1_1", 1000)).decision ==
        ordering_decision::enrollment_after_progress);
  // The same user's other enrollment is independent.
  CHECK(observed(tracker, enrollment("e2", "7", "course:1_9", 1000)).applied());
  CHECK(observed(tracker, completion("c1", "7", "course:1_1", 3000)).applied());
  // A progress event 15 minutes late, after completion: ignored.
  CHECK(observed(tracker, progress("p2", "7", "course:1_1", 90, 2500)).decision ==
        ordering_decision::progress_after_completion);
  // AsyncAPI events key the same enrollment.
  CHECK(observed(tracker, learner_event<learner_unenrollment>("u1", "7", "course:1_1", 1500))
            .decision == ordering_decision::stale);

  const auto s = tracker.state("7", "course:1_1");
  REQUIRE(s);
  CHECK(*s == state_of(enrollment_status::completed, 100, 3000));
  CHECK(tracker.state("7", "course:1_9")->status == enrollment_status::enrolled);
  CHECK_FALSE(tracker.state("8", "course:1_1"));
  // Keys are unambiguous: "7" + "1course" differs from "71" + "course".
  CHECK_FALSE(tracker.state("7c", "ourse:1_1"));
  CHECK(tracker.size() == 2);
  tracker.clear();
  CHECK(tracker.size() == 0);
}

TEST_CASE("the tracker is bounded and forgets the least recently updated", "[ordering]") {
  ordering_options options;
  options.max_enrollments = 2;
  enrollment_tracker tracker(options);
  CHECK(observed(tracker, enrollment("a", "1", "i", 10)).applied());
  CHECK(observed(tracker, enrollment("b", "2", "i", 10)).applied());
  CHECK(observed(tracker, progress("c", "1", "i", 50, 20)).applied());  // 1 is now the newest
  CHECK(observed(tracker, enrollment("d", "3", "i", 10)).applied());    // evicts 2
  CHECK(tracker.size() == 2);
  CHECK(tracker.state("1", "i"));
  CHECK_FALSE(tracker.state("2", "i"));
  CHECK(tracker.state("3", "i"));
  // A decision that is not applied changes nothing.
  CHECK_FALSE(observed(tracker, enrollment("e", "1", "i", 30)).applied());
  CHECK(tracker.state("1", "i")->status == enrollment_status::in_progress);
}

TEST_CASE("the tracker is safe to share between threads", "[ordering]") {
  enrollment_tracker tracker;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&tracker, &failures, t] {
      const std::string user = std::to_string(t);
      for (int i = 1; i <= 500; ++i) {
        const auto r = tracker.observe(progress("p", user, "course:1_1", i % 101, i));
        if (!r || !r->applied()) ++failures;
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  CHECK(failures == 0);
  CHECK(tracker.size() == 4);
  for (int t = 0; t < 4; ++t) {
    const auto s = tracker.state(std::to_string(t), "course:1_1");
    REQUIRE(s);
    CHECK(s->percent == 500 % 101);
    CHECK(s->last_timestamp == at(500));
  }
}
