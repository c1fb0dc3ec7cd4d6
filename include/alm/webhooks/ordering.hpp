// Ordering: ALM does not promise to deliver an enrollment's events in order (LEARNER_PROGRESS
// can arrive up to 15 minutes late, batch events arrive when an admin's job runs). Adobe's rules
// for receivers, per enrollment (userId + loInstanceId):
//   - ignore an enrollment that arrives after progress,
//   - ignore progress that arrives after completion,
//   - otherwise order by timestamp (an event older than the last one applied is stale).
// next_state() is that state machine as a pure function; enrollment_tracker keeps one state per
// enrollment, bounded in memory, and tells for each event whether to apply it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>

#include "alm/webhooks/batch_events.hpp"
#include "alm/webhooks/enums.hpp"
#include "alm/webhooks/error.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/result.hpp"
#include "alm/webhooks/time.hpp"

namespace alm::webhooks {

/// Where an enrollment stands.
enum class enrollment_status : std::uint8_t {
  unknown,      ///< nothing seen yet
  enrolled,     ///< enrolled, no progress reported
  in_progress,  ///< progress reported (see enrollment_state::percent)
  completed,    ///< completed
  unenrolled,   ///< unenrolled (a later enrollment re-enrolls)
};

constexpr std::string_view to_string(enrollment_status status) noexcept {
  switch (status) {
    case enrollment_status::unknown:
      return "unknown";
    case enrollment_status::enrolled:
      return "enrolled";
    case enrollment_status::in_progress:
      return "in_progress";
    case enrollment_status::completed:
      return "completed";
    case enrollment_status::unenrolled:
      return "unenrolled";
  }
  return "unknown";
}

/// What an event says about an enrollment.
enum class enrollment_signal : std::uint8_t {
  enrollment,           ///< *_ENROLLMENT(_BATCH), LEARNER_ENROLLMENT
  progress,             ///< LEARNER_PROGRESS (both formats)
  completion,           ///< *_COMPLETED(_BATCH), COURSE_COMPLETION, LEARNER_COMPLETION
  completion_rollback,  ///< LEARNING_PATH_COMPLETION_ROLLBACK(_BATCH): the completion is undone
  unenrollment,         ///< *_UNENROLLMENT(_BATCH), LEARNER_UNENROLLMENT
};

/// One event's update to one enrollment. The views point into the event (see its lifetime).
struct enrollment_update {
  enrollment_signal signal{enrollment_signal::enrollment};
  std::string_view user_id;             ///< `userId` / `learner.userId`
  std::string_view lo_instance_id;      ///< `loInstanceId` / `learningObject.instanceId` (or the
                                        ///< learning object id when the event names no instance)
  std::optional<date_time> timestamp;   ///< when the event happened, if it says
  std::optional<std::int64_t> percent;  ///< progressPercent, when the event carries one
};

/// The state of one enrollment.
struct enrollment_state {
  enrollment_status status{enrollment_status::unknown};
  /// The last progress percent (0 to 100); 100 once completed, 0 after (re-)enrollment.
  std::int64_t percent{0};
  /// The newest timestamp among the events applied; events older than this are stale.
  std::optional<date_time> last_timestamp;

  friend bool operator==(const enrollment_state& a, const enrollment_state& b) noexcept {
    return a.status == b.status && a.percent == b.percent && a.last_timestamp == b.last_timestamp;
  }
  friend bool operator!=(const enrollment_state& a, const enrollment_state& b) noexcept {
    return !(a == b);
  }
};

/// Whether an event should change the enrollment, and why not.
enum class ordering_decision : std::uint8_t {
  apply,                      ///< in order: act on the event
  stale,                      ///< older than the last event applied to this enrollment
  enrollment_after_progress,  ///< an enrollment after progress (or completion) was seen
  progress_after_completion,  ///< progress after a completion was seen
  not_applicable,             ///< the event is not about an enrollment (or names no user)
};

constexpr std::string_view to_string(ordering_decision decision) noexcept {
  switch (decision) {
    case ordering_decision::apply:
      return "apply";
    case ordering_decision::stale:
      return "stale";
    case ordering_decision::enrollment_after_progress:
      return "enrollment_after_progress";
    case ordering_decision::progress_after_completion:
      return "progress_after_completion";
    case ordering_decision::not_applicable:
      return "not_applicable";
  }
  return "unknown";
}

/// A decision and the enrollment's state after it (unchanged unless the decision is apply).
struct ordering_result {
  ordering_decision decision{ordering_decision::not_applicable};
  enrollment_state state;

  bool applied() const noexcept { return decision == ordering_decision::apply; }
};

namespace detail {

template <class T>
std::string_view instance_or_object(const T& instance_id, std::string_view lo_id) noexcept {
  return instance_id.empty() ? lo_id : std::string_view(instance_id);
}

inline bool is_rollback(batch_event_name name) noexcept {
  return name == batch_event_name::learning_path_completion_rollback ||
         name == batch_event_name::learning_path_completion_rollback_batch;
}

}  // namespace detail

/// The enrollment update an event carries: the four enrollment-lifecycle AsyncAPI events
/// (learner_enrollment, learner_progress, learner_completion, learner_unenrollment) and the
/// batch enrollment, progress, completion, rollback and unenrollment events. nullopt for every
/// other event, and for an event that names no user or learning object.
inline std::optional<enrollment_update> enrollment_update_of(const event& e) noexcept {
  return std::visit(
      [](const auto& x) -> std::optional<enrollment_update> {
        using T = std::decay_t<decltype(x)>;
        enrollment_update u;
        if constexpr (std::is_same_v<T, learner_enrollment> ||
                      std::is_same_v<T, learner_progress> ||
                      std::is_same_v<T, learner_completion> ||
                      std::is_same_v<T, learner_unenrollment>) {
          if (!x.learner || !x.learning_object) return std::nullopt;
          u.user_id = x.learner->user_id;
          u.lo_instance_id =
              detail::instance_or_object(x.learning_object->instance_id, x.learning_object->lo_id);
          u.timestamp = x.timestamp;
          if constexpr (std::is_same_v<T, learner_enrollment>) {
            u.signal = enrollment_signal::enrollment;
          } else if constexpr (std::is_same_v<T, learner_progress>) {
            u.signal = enrollment_signal::progress;
            u.percent = x.progress_percent;
          } else if constexpr (std::is_same_v<T, learner_completion>) {
            u.signal = enrollment_signal::completion;
          } else {
            u.signal = enrollment_signal::unenrollment;
          }
        } else if constexpr (std::is_same_v<T, batch_enrollment> ||
                             std::is_same_v<T, batch_progress> ||
                             std::is_same_v<T, batch_completion> ||
                             std::is_same_v<T, batch_unenrollment>) {
          u.user_id = x.data.user_id.text;
          u.lo_instance_id = detail::instance_or_object(x.data.lo_instance_id, x.data.lo_id);
          u.timestamp = x.timestamp;
          if constexpr (std::is_same_v<T, batch_enrollment>) {
            u.signal = detail::is_rollback(x.event_name.value)
                           ? enrollment_signal::completion_rollback
                           : enrollment_signal::enrollment;
          } else if constexpr (std::is_same_v<T, batch_progress>) {
            u.signal = enrollment_signal::progress;
            u.percent = x.data.progress_percent;
          } else if constexpr (std::is_same_v<T, batch_completion>) {
            u.signal = enrollment_signal::completion;
          } else {
            u.signal = enrollment_signal::unenrollment;
          }
        } else {
          return std::nullopt;
        }
        if (u.user_id.empty() || u.lo_instance_id.empty()) return std::nullopt;
        return u;
      },
      e);
}

/// The state machine. From `current`, the update is checked in this order:
/// 1. an enrollment while in progress or completed -> enrollment_after_progress;
/// 2. progress while completed -> progress_after_completion;
/// 3. a timestamp older than current.last_timestamp -> stale (equal timestamps apply; an update
///    or a state without a timestamp is never stale);
/// 4. otherwise apply: enrollment -> enrolled (0 %), progress -> in_progress (its percent, or the
///    previous one when absent, clamped to 0..100), completion -> completed (100 %),
///    completion_rollback -> enrolled (0 %), unenrollment -> unenrolled (percent kept).
/// An unenrolled enrollment accepts a newer enrollment (re-enrollment).
constexpr ordering_result next_state(const enrollment_state& current,
                                     const enrollment_update& update) noexcept {
  const enrollment_status s = current.status;
  if (update.signal == enrollment_signal::enrollment &&
      (s == enrollment_status::in_progress || s == enrollment_status::completed)) {
    return {ordering_decision::enrollment_after_progress, current};
  }
  if (update.signal == enrollment_signal::progress && s == enrollment_status::completed) {
    return {ordering_decision::progress_after_completion, current};
  }
  if (update.timestamp && current.last_timestamp && *update.timestamp < *current.last_timestamp) {
    return {ordering_decision::stale, current};
  }
  enrollment_state next = current;
  if (update.timestamp) next.last_timestamp = update.timestamp;
  switch (update.signal) {
    case enrollment_signal::enrollment:
    case enrollment_signal::completion_rollback:
      next.status = enrollment_status::enrolled;
      next.percent = 0;
      break;
    case enrollment_signal::progress: {
      next.status = enrollment_status::in_progress;
      const std::int64_t p = update.percent ? *update.percent : current.percent;
      next.percent = p < 0 ? 0 : (p > 100 ? 100 : p);
      break;
    }
    case enrollment_signal::completion:
      next.status = enrollment_status::completed;
      next.percent = 100;
      break;
    case enrollment_signal::unenrollment:
      next.status = enrollment_status::unenrolled;
      break;
  }
  return {ordering_decision::apply, next};
}

/// Settings of enrollment_tracker.
struct ordering_options {
  /// Enrollments remembered; beyond this, the least recently updated one is forgotten (a late
  /// event for it is then judged as if it were the first). About 150 bytes each.
  std::size_t max_enrollments{100'000};
};

/// Tracks every enrollment's state and decides, per event, whether to act on it:
///
///     enrollment_tracker tracker;
///     // in a handler:
///     auto r = tracker.observe(e);
///     if (r && r->applied()) update_my_database(r->state);
///
/// Thread-safe (one mutex). Memory is bounded by ordering_options::max_enrollments. State lives
/// in process memory: for several receivers, keep it where they share it.
class enrollment_tracker {
 public:
  explicit enrollment_tracker(ordering_options options = {}) : options_(options) {
    if (options_.max_enrollments == 0) options_.max_enrollments = 1;
  }

  /// Decides on `e` and, when applied, records the new state. Events that are not about an
  /// enrollment give not_applicable. Fails only with out_of_memory.
  result<ordering_result> observe(const event& e) noexcept {
    const std::optional<enrollment_update> update = enrollment_update_of(e);
    if (!update) return ordering_result{};
    return observe(*update);
  }

  /// Decides on `update` and, when applied, records the new state.
  result<ordering_result> observe(const enrollment_update& update) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    try {
      make_key(update.user_id, update.lo_instance_id);
      auto found = index_.find(key_);
      const enrollment_state current =
          found == index_.end() ? enrollment_state{} : found->second->second;
      const ordering_result r = next_state(current, update);
      if (!r.applied()) return r;
      if (found != index_.end()) {
        found->second->second = r.state;
        recent_.splice(recent_.begin(), recent_, found->second);
        return r;
      }
      if (index_.size() >= options_.max_enrollments) {
        index_.erase(recent_.back().first);
        recent_.pop_back();
      }
      recent_.emplace_front(key_, r.state);
      index_.emplace(recent_.front().first, recent_.begin());
      return r;
    } catch (const std::bad_alloc&) {
      return result<ordering_result>(error_code::out_of_memory,
                                     "the enrollment tracker could not allocate");
    }
  }

  /// The state of one enrollment, or nullopt when none was recorded (or it was evicted).
  std::optional<enrollment_state> state(std::string_view user_id,
                                        std::string_view lo_instance_id) const noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    try {
      make_key(user_id, lo_instance_id);
    } catch (const std::bad_alloc&) {
      return std::nullopt;
    }
    const auto found = index_.find(key_);
    if (found == index_.end()) return std::nullopt;
    return found->second->second;
  }

  /// Enrollments remembered.
  std::size_t size() const noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    return index_.size();
  }

  void clear() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    index_.clear();
    recent_.clear();
  }

 private:
  // "<length of userId>:<userId><loInstanceId>": unambiguous whatever bytes the ids hold.
  void make_key(std::string_view user_id, std::string_view lo_instance_id) const {
    key_.clear();
    key_.append(std::to_string(user_id.size())).push_back(':');
    key_.append(user_id).append(lo_instance_id);
  }

  using entry = std::pair<std::string, enrollment_state>;

  ordering_options options_;
  mutable std::mutex mutex_;
  mutable std::string key_;  // scratch, guarded by mutex_
  std::list<entry> recent_;  // most recently updated first
  std::unordered_map<std::string_view, std::list<entry>::iterator> index_;  // views recent_ keys
};

}  // namespace alm::webhooks
