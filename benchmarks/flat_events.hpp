// The plain structs the two baseline parsers (the hand-written simdjson floor and the nlohmann
// path) extract into: every field the SDK's typed events carry, flattened into one struct per
// wire format. `S` is std::string_view for the floor (views, like the SDK's) and std::string for
// the nlohmann path (owning, as such code usually is).
#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <vector>

// field_reader.hpp, not enum_lookup.hpp: scripts/ab.sh builds these benchmarks against older
// revisions of the SDK too, whose field_reader.hpp holds the lookup itself.
#include <alm/webhooks/detail/field_reader.hpp>
#include <alm/webhooks/enums.hpp>
#include <alm/webhooks/time.hpp>

namespace bench {

/// An enumeration field: the text as sent and the value looked up from it.
template <class S, class E>
struct flat_enum {
  S text{};
  E value{E::unknown};
};

/// A date field: milliseconds since the epoch; `present` false when absent or null.
struct flat_date {
  std::int64_t ms{0};
  bool present{false};
};

/// An identifier sent as a number or a string, kept as text (like the SDK's id_value).
template <class S>
struct flat_id {
  S text{};
  bool is_number{false};
};

/// A batch envelope event: the entry's fields and the union of the enrollment, completion and
/// progress `data` fields (the event kinds of the benchmark bodies).
template <class S>
struct flat_batch_event {
  S event_id{};
  flat_enum<S, alm::webhooks::batch_event_name> event_name{};
  flat_date timestamp{};
  S event_info{};
  flat_id<S> user_id{};
  S lo_id{};
  S lo_instance_id{};
  flat_enum<S, alm::webhooks::learning_object_type> lo_type{};
  flat_enum<S, alm::webhooks::enrollment_origin> enrollment_source{};
  flat_date date{};            // dateEnrolled, dateCompleted or dateStarted
  std::int8_t has_passed{-1};  // -1 absent, 0 false, 1 true
  double score{0};
  bool has_score{false};
  std::int64_t progress_percent{-1};  // -1 absent
  S module_id{};
};

template <class S>
struct flat_batch {
  flat_id<S> account_id{};
  std::vector<flat_batch_event<S>> events;
};

/// LearnerReference, USER_*'s `user` (with userType for USER_CREATED; its roles are kept in
/// flat_asyncapi_event::roles).
template <class S>
struct flat_person {
  S user_id{};
  S name{};
  S email{};
  flat_enum<S, alm::webhooks::user_kind> user_type{};
};

template <class S>
struct flat_learning_object {
  S lo_id{};
  flat_enum<S, alm::webhooks::learning_object_type> lo_type{};
  S name{};
  S instance_id{};
};

/// The badge, certification and skill references share this shape: an id, a name, a third
/// string (imageUrl, instanceId or levelName) and, for skills, credits.
template <class S>
struct flat_award {
  S id{};
  S name{};
  S detail{};
  double credits{0};
  bool has_credits{false};
};

template <class S>
struct flat_job {
  S job_id{};
  flat_enum<S, alm::webhooks::job_kind> job_type{};
  flat_enum<S, alm::webhooks::job_status> status{};
  S download_url{};
  std::int64_t records_processed{-1};
  std::int64_t records_failed{-1};
};

/// Any of the 13 AsyncAPI events: the header and every scalar payload property of every type.
template <class S>
struct flat_asyncapi_scalars {
  flat_enum<S, alm::webhooks::event_type> event_type{};
  S event_id{};
  flat_id<S> account_id{};
  flat_date timestamp{};
  flat_enum<S, alm::webhooks::event_source> source{};
  flat_person<S> person{};  // `learner` or `user`
  flat_learning_object<S> learning_object{};
  flat_award<S> award{};  // `badge`, `certification` or `skill`
  flat_job<S> job{};
  S enrollment_id{};
  flat_enum<S, alm::webhooks::enrollment_method> enrollment_type{};
  flat_enum<S, alm::webhooks::unenrollment_actor> unenrolled_by{};
  flat_enum<S, alm::webhooks::user_creation_method> creation_method{};
  S created_by{};
  S updated_by{};
  std::int8_t has_passed{-1};
  double score{0};
  bool has_score{false};
  std::int64_t progress_percent{-1};
  // dateEnrolled, completedOn, dateUnenrolled, dateCreated, dateUpdated, dateAwarded,
  // dateAchieved, dateDeleted, dateCompleted: at most one per type, so one slot.
  flat_date date{};
  flat_date valid_until{};
  flat_date recertification_deadline{};
};

/// The scalars plus the two arrays: the user's roles (USER_CREATED) and updatedFields.
template <class S>
struct flat_asyncapi_event : flat_asyncapi_scalars<S> {
  std::vector<S> roles;
  std::vector<S> updated_fields;

  /// Back to the empty state, keeping the vectors' capacity.
  void reset() {
    static_cast<flat_asyncapi_scalars<S>&>(*this) = flat_asyncapi_scalars<S>{};
    roles.clear();
    updated_fields.clear();
  }
};

/// The enum lookup the SDK's readers use (spellings grouped by length at compile time, out of
/// line, one copy per enumeration), for both baselines: the contenders differ in how they read
/// JSON, not in how they name a value.
template <class E, class S>
flat_enum<S, E> make_enum(S text) {
  const E value = alm::webhooks::detail::enum_of_text<E>(std::string_view(text));
  return flat_enum<S, E>{std::move(text), value};
}

}  // namespace bench
