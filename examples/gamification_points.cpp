// Gamification points engine: learners earn points for what they do, and a leaderboard ranks
// them. Completions 100 (50 more with a score of 90 or above), certifications 250, badges 50,
// skills 20 per credit, enrollments 10, progress 1 per percent gained. Each event counts once,
// however often it is delivered.
//
//   gamification_points BODY...
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include <alm/webhooks.hpp>

#include "support/bodies.hpp"

namespace hooks = alm::webhooks;

class points_engine {
 public:
  void on(const hooks::batch_enrollment& e) { award(e.event_id, e.data.user_id.text, 10); }
  void on(const hooks::learner_enrollment& e) { award(e.event_id, user_of(e), 10); }
  void on(const hooks::batch_completion& e) {
    award(e.event_id, e.data.user_id.text, completion_points(e.data.has_passed, e.data.score));
  }
  void on(const hooks::learner_completion& e) {
    award(e.event_id, user_of(e), completion_points(e.has_passed, e.score));
  }
  void on(const hooks::certification_completed& e) { award(e.event_id, user_of(e), 250); }
  void on(const hooks::badge_awarded& e) { award(e.event_id, user_of(e), 50); }
  void on(const hooks::skill_achieved& e) {
    const double credits = e.skill && e.skill->credits ? *e.skill->credits : 1.0;
    award(e.event_id, user_of(e), static_cast<long>(std::lround(credits * 20)));
  }
  void on(const hooks::batch_progress& e) {
    progress(e.event_id, e.data.user_id.text, e.data.lo_instance_id, e.data.progress_percent);
  }
  void on(const hooks::learner_progress& e) {
    progress(e.event_id, user_of(e), e.learning_object ? e.learning_object->lo_id : "",
             e.progress_percent);
  }

  void print_leaderboard() const {
    std::vector<std::pair<std::string, long>> ranking(points_.begin(), points_.end());
    std::stable_sort(ranking.begin(), ranking.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    int rank = 0;
    for (const auto& [user, points] : ranking)
      fmt::print("{:>2}. user {:<12} {:>5} points\n", ++rank, user, points);
  }

 private:
  template <class E>
  static std::string_view user_of(const E& e) {
    return e.learner ? e.learner->user_id : std::string_view{};
  }
  static long completion_points(std::optional<bool> passed, std::optional<double> score) {
    if (passed == false) return 0;
    return 100 + (score && *score >= 90 ? 50 : 0);
  }
  void progress(std::string_view event_id, std::string_view user, std::string_view lo,
                std::optional<std::int64_t> percent) {
    if (!percent) return;
    long& best = best_percent_[std::string(user) + "|" + std::string(lo)];
    const long gained = std::max(0L, static_cast<long>(*percent) - best);
    best = std::max(best, static_cast<long>(*percent));
    award(event_id, user, gained);
  }
  void award(std::string_view event_id, std::string_view user, long points) {
    if (user.empty() || !seen_.insert(std::string(event_id)).second) return;
    points_[std::string(user)] += points;
  }

  std::set<std::string> seen_;
  std::map<std::string, long> best_percent_;
  std::map<std::string, long> points_;
};

int main(int argc, char** argv) {
  points_engine engine;
  examples::for_each_delivery(examples::body_paths(argc, argv),
                              [&](const hooks::delivery& d) { (void)hooks::dispatch(engine, d); });
  engine.print_leaderboard();
  return 0;
}
