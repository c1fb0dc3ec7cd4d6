// Typed structs for the ALM batch envelope (spec/legacy-envelope.md), the format real accounts
// receive: `{accountId, events: [{eventId, eventName, timestamp, eventInfo, data}]}`. Each
// event's `data` is typed by its group, decided by `eventName` (see group_of in enums.hpp).
//
// Lifetimes: as for the AsyncAPI structs, every view is valid until the parser that produced it
// parses again or the body is freed. Use to_owned() (owned.hpp) to keep one longer.
// Absent optional fields are empty views, empty arrays or std::nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>

#include "alm/webhooks/array_view.hpp"
#include "alm/webhooks/detail/reflection.hpp"
#include "alm/webhooks/enums.hpp"
#include "alm/webhooks/id.hpp"
#include "alm/webhooks/raw_json.hpp"
#include "alm/webhooks/time.hpp"

namespace alm::webhooks {

/// The fields of one entry of `events[]` besides `data`. The older aliases `eventTime`,
/// `eventData` and `eventInitiator` are read into the same members.
struct batch_event_header {
  std::string_view event_id;                ///< `eventId`: opaque, the de-duplication key
  enum_value<batch_event_name> event_name;  ///< `eventName`, with its raw text
  std::optional<date_time> timestamp;       ///< `timestamp` (or `eventTime`)
  std::string_view event_info;              ///< `eventInfo`: opaque
  id_value event_initiator;                 ///< `eventInitiator`, in older samples
};

/// `data` of enrollment events and of completion rollbacks.
struct enrollment_data {
  id_value user_id;                                 ///< `userId`
  std::string_view lo_id;                           ///< `loId`, e.g. "course:7374992"
  std::string_view lo_instance_id;                  ///< `loInstanceId`
  enum_value<learning_object_type> lo_type;         ///< `loType`
  enum_value<enrollment_origin> enrollment_source;  ///< `enrollmentSource`
  std::optional<date_time> date_enrolled;           ///< `dateEnrolled`
};

/// `data` of completion events (including the seed names COURSE_COMPLETION and
/// LEARNER_COMPLETION).
struct completion_data {
  id_value user_id;                                 ///< `userId`
  std::string_view lo_id;                           ///< `loId`
  std::string_view lo_instance_id;                  ///< `loInstanceId`
  enum_value<learning_object_type> lo_type;         ///< `loType`
  enum_value<enrollment_origin> enrollment_source;  ///< `enrollmentSource`
  std::optional<date_time> date_completed;          ///< `dateCompleted`
  std::optional<bool> has_passed;                   ///< `hasPassed`: absent for certifications
  std::optional<double> score;                      ///< `score`: sometimes present
};

/// `data` of unenrollment events.
struct unenrollment_data {
  id_value user_id;                                 ///< `userId`
  std::string_view lo_id;                           ///< `loId`
  std::string_view lo_instance_id;                  ///< `loInstanceId`
  enum_value<learning_object_type> lo_type;         ///< `loType`
  enum_value<enrollment_origin> enrollment_source;  ///< `enrollmentSource`
};

/// `data` of LEARNER_PROGRESS (which can arrive up to 15 minutes late).
struct progress_data {
  id_value user_id;                              ///< `userId`
  std::string_view lo_id;                        ///< `loId`
  std::string_view lo_instance_id;               ///< `loInstanceId`
  enum_value<learning_object_type> lo_type;      ///< `loType`
  std::optional<date_time> date_started;         ///< `dateStarted`
  std::optional<std::int64_t> progress_percent;  ///< `progressPercent`, 0 to 100
  std::string_view module_id;                    ///< `moduleId`, in older samples
};

/// `data` of CI_STATS (seat and waitlist counts of a course instance).
struct ci_stats_data {
  std::string_view lo_instance_id;                    ///< `loInstanceId`
  std::optional<std::int64_t> waitlist_count;         ///< `waitlistCount`
  std::optional<std::int64_t> enrollment_count;       ///< `enrollmentCount`
  std::optional<std::int64_t> seat_limit;             ///< `seatLimit`
  std::optional<std::int64_t> seat_availability;      ///< `seatAvailability`
  std::optional<std::int64_t> wait_list_limit;        ///< `waitListLimit`
  std::optional<std::int64_t> waitlist_availability;  ///< `waitlistAvailability`
};

/// `data` of learning-object draft, modification and deletion events.
struct learning_object_data {
  std::string_view lo_id;                    ///< `loId`
  enum_value<learning_object_type> lo_type;  ///< `loType`
};

/// `data` of learning-object instance modification and deletion events.
struct learning_object_instance_data {
  std::string_view lo_instance_id;           ///< `loInstanceId`
  std::string_view lo_id;                    ///< `loId`
  enum_value<learning_object_type> lo_type;  ///< `loType`
};

/// One `{type, id}` entry of a user-group response's `request.data`.
struct user_group_member {
  std::string_view type;  ///< `type`, e.g. "user"
  id_value id;            ///< `id`
};

/// `request` of a user-group response.
struct user_group_request {
  raw_json metadata;                   ///< `metadata` as raw JSON (its shape is unpublished)
  array_view<user_group_member> data;  ///< `data`
};

/// `data` of RESPONSE:ASYNCAPI_USERGROUP_USER_ADDED / _REMOVED.
struct user_group_response_data {
  std::string_view status;                    ///< `status`, e.g. "SUCCESS"
  std::optional<user_group_request> request;  ///< `request`
};

/// One typed batch event: the envelope entry's fields plus its typed `data`.
template <class Data>
struct batch_event : batch_event_header {
  using data_type = Data;
  Data data;
};

using batch_enrollment = batch_event<enrollment_data>;
using batch_completion = batch_event<completion_data>;
using batch_unenrollment = batch_event<unenrollment_data>;
using batch_progress = batch_event<progress_data>;
using batch_ci_stats = batch_event<ci_stats_data>;
using batch_learning_object = batch_event<learning_object_data>;
using batch_learning_object_instance = batch_event<learning_object_instance_data>;
using batch_user_group_response = batch_event<user_group_response_data>;

/// The group of each data struct, for code generic over batch events.
template <class Data>
struct batch_group_of;
template <>
struct batch_group_of<enrollment_data> {
  static constexpr batch_group value = batch_group::enrollment;
};
template <>
struct batch_group_of<completion_data> {
  static constexpr batch_group value = batch_group::completion;
};
template <>
struct batch_group_of<unenrollment_data> {
  static constexpr batch_group value = batch_group::unenrollment;
};
template <>
struct batch_group_of<progress_data> {
  static constexpr batch_group value = batch_group::progress;
};
template <>
struct batch_group_of<ci_stats_data> {
  static constexpr batch_group value = batch_group::ci_stats;
};
template <>
struct batch_group_of<learning_object_data> {
  static constexpr batch_group value = batch_group::learning_object;
};
template <>
struct batch_group_of<learning_object_instance_data> {
  static constexpr batch_group value = batch_group::learning_object_instance;
};
template <>
struct batch_group_of<user_group_response_data> {
  static constexpr batch_group value = batch_group::user_group_response;
};

// ---- Field tables (wire names) ------------------------------------------------------------

namespace detail {
// `data` is not in this table: the parser reads it by group and the writer writes it last.
inline constexpr auto batch_event_header_fields =
    std::make_tuple(make_field("eventId", &batch_event_header::event_id),
                    make_field("eventName", &batch_event_header::event_name),
                    make_field("timestamp", &batch_event_header::timestamp),
                    make_field("eventInfo", &batch_event_header::event_info),
                    make_field("eventInitiator", &batch_event_header::event_initiator));
}  // namespace detail

template <>
struct fields_of<batch_event_header> {
  static constexpr auto value = detail::batch_event_header_fields;
};
template <class Data>
struct fields_of<batch_event<Data>> {
  static constexpr auto value =
      std::tuple_cat(detail::batch_event_header_fields,
                     std::make_tuple(detail::make_field("data", &batch_event<Data>::data)));
};

ALM_WEBHOOKS_FIELDS(enrollment_data, detail::make_field("userId", &enrollment_data::user_id),
                    detail::make_field("loId", &enrollment_data::lo_id),
                    detail::make_field("loInstanceId", &enrollment_data::lo_instance_id),
                    detail::make_field("loType", &enrollment_data::lo_type),
                    detail::make_field("enrollmentSource", &enrollment_data::enrollment_source),
                    detail::make_field("dateEnrolled", &enrollment_data::date_enrolled));
ALM_WEBHOOKS_FIELDS(completion_data, detail::make_field("userId", &completion_data::user_id),
                    detail::make_field("loId", &completion_data::lo_id),
                    detail::make_field("loInstanceId", &completion_data::lo_instance_id),
                    detail::make_field("loType", &completion_data::lo_type),
                    detail::make_field("enrollmentSource", &completion_data::enrollment_source),
                    detail::make_field("dateCompleted", &completion_data::date_completed),
                    detail::make_field("hasPassed", &completion_data::has_passed),
                    detail::make_field("score", &completion_data::score));
ALM_WEBHOOKS_FIELDS(unenrollment_data, detail::make_field("userId", &unenrollment_data::user_id),
                    detail::make_field("loId", &unenrollment_data::lo_id),
                    detail::make_field("loInstanceId", &unenrollment_data::lo_instance_id),
                    detail::make_field("loType", &unenrollment_data::lo_type),
                    detail::make_field("enrollmentSource", &unenrollment_data::enrollment_source));
ALM_WEBHOOKS_FIELDS(progress_data, detail::make_field("userId", &progress_data::user_id),
                    detail::make_field("loId", &progress_data::lo_id),
                    detail::make_field("loInstanceId", &progress_data::lo_instance_id),
                    detail::make_field("loType", &progress_data::lo_type),
                    detail::make_field("dateStarted", &progress_data::date_started),
                    detail::make_field("progressPercent", &progress_data::progress_percent),
                    detail::make_field("moduleId", &progress_data::module_id));
ALM_WEBHOOKS_FIELDS(ci_stats_data,
                    detail::make_field("loInstanceId", &ci_stats_data::lo_instance_id),
                    detail::make_field("waitlistCount", &ci_stats_data::waitlist_count),
                    detail::make_field("enrollmentCount", &ci_stats_data::enrollment_count),
                    detail::make_field("seatLimit", &ci_stats_data::seat_limit),
                    detail::make_field("seatAvailability", &ci_stats_data::seat_availability),
                    detail::make_field("waitListLimit", &ci_stats_data::wait_list_limit),
                    detail::make_field("waitlistAvailability",
                                       &ci_stats_data::waitlist_availability));
ALM_WEBHOOKS_FIELDS(learning_object_data, detail::make_field("loId", &learning_object_data::lo_id),
                    detail::make_field("loType", &learning_object_data::lo_type));
ALM_WEBHOOKS_FIELDS(learning_object_instance_data,
                    detail::make_field("loInstanceId",
                                       &learning_object_instance_data::lo_instance_id),
                    detail::make_field("loId", &learning_object_instance_data::lo_id),
                    detail::make_field("loType", &learning_object_instance_data::lo_type));
ALM_WEBHOOKS_FIELDS(user_group_member, detail::make_field("type", &user_group_member::type),
                    detail::make_field("id", &user_group_member::id));
ALM_WEBHOOKS_FIELDS(user_group_request,
                    detail::make_field("metadata", &user_group_request::metadata),
                    detail::make_field("data", &user_group_request::data));
ALM_WEBHOOKS_FIELDS(user_group_response_data,
                    detail::make_field("status", &user_group_response_data::status),
                    detail::make_field("request", &user_group_response_data::request));

}  // namespace alm::webhooks
