// Typed structs for the 13 events of the AsyncAPI document (spec/alm-webhooks.asyncapi.yaml):
// one event per body, named by `eventType`. Every property of every schema has a field.
//
// Lifetimes: every std::string_view, id_value, enum_value text and array_view in these structs
// views the request body or the parser that produced it, and is valid until that parser parses
// again or the body is freed, whichever comes first. Use to_owned() (owned.hpp) to keep one.
// Absent optional properties are empty views, empty arrays or std::nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>

#include "alm/webhooks/array_view.hpp"
#include "alm/webhooks/detail/reflection.hpp"
#include "alm/webhooks/enums.hpp"
#include "alm/webhooks/id.hpp"
#include "alm/webhooks/time.hpp"

namespace alm::webhooks {

/// WebhookEventBase: the fields every AsyncAPI event carries. eventType, eventId, accountId and
/// timestamp are required; the parser rejects a body without them.
struct event_header {
  std::string_view event_type;      ///< `eventType` exactly as sent, e.g. "LEARNER_COMPLETION"
  std::string_view event_id;        ///< `eventId`: opaque, the key for de-duplication
  id_value account_id;              ///< `accountId`: a string in the document; a number is accepted
  date_time timestamp;              ///< `timestamp`: when the event occurred
  enum_value<event_source> source;  ///< `source`: optional
};

/// LearnerReference; also the shape of `user` in USER_UPDATED and USER_DELETED.
struct user_reference {
  std::string_view user_id;  ///< `userId`
  std::string_view name;     ///< `name`
  std::string_view email;    ///< `email`
};
using learner_reference = user_reference;

/// LearningObjectReference
struct learning_object_reference {
  std::string_view lo_id;                    ///< `loId`, e.g. "course:7374992"
  enum_value<learning_object_type> lo_type;  ///< `loType`
  std::string_view name;                     ///< `name`
  std::string_view instance_id;              ///< `instanceId`
};

/// BadgeAwardedPayload.badge
struct badge_reference {
  std::string_view badge_id;   ///< `badgeId`
  std::string_view name;       ///< `name`
  std::string_view image_url;  ///< `imageUrl`
};

/// CertificationCompletedPayload.certification
struct certification_reference {
  std::string_view certification_id;  ///< `certificationId`
  std::string_view name;              ///< `name`
  std::string_view instance_id;       ///< `instanceId`
};

/// SkillAchievedPayload.skill
struct skill_reference {
  std::string_view skill_id;      ///< `skillId`
  std::string_view name;          ///< `name`
  std::string_view level_name;    ///< `levelName`
  std::optional<double> credits;  ///< `credits`
};

/// UserCreatedPayload.user
struct user_profile {
  std::string_view user_id;            ///< `userId`
  std::string_view name;               ///< `name`
  std::string_view email;              ///< `email`
  array_view<std::string_view> roles;  ///< `roles`
  enum_value<user_kind> user_type;     ///< `userType`
};

/// JobCompletedPayload.job
struct job_report {
  std::string_view job_id;                        ///< `jobId`
  enum_value<job_kind> job_type;                  ///< `jobType`
  enum_value<job_status> status;                  ///< `status`
  std::string_view download_url;                  ///< `downloadUrl`
  std::optional<std::int64_t> records_processed;  ///< `recordsProcessed`
  std::optional<std::int64_t> records_failed;     ///< `recordsFailed`
};

/// LEARNER_ENROLLMENT
struct learner_enrollment : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::learner_enrollment;
  std::optional<learner_reference> learner;
  std::optional<learning_object_reference> learning_object;
  std::string_view enrollment_id;
  enum_value<enrollment_method> enrollment_type;
  std::optional<date_time> date_enrolled;
};

/// LEARNER_COMPLETION
struct learner_completion : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::learner_completion;
  std::optional<learner_reference> learner;
  std::optional<learning_object_reference> learning_object;
  std::string_view enrollment_id;
  std::optional<date_time> completed_on;
  std::optional<bool> has_passed;
  std::optional<double> score;
  std::optional<std::int64_t> progress_percent;  ///< 100 when present
};

/// LEARNER_PROGRESS
struct learner_progress : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::learner_progress;
  std::optional<learner_reference> learner;
  std::optional<learning_object_reference> learning_object;
  std::string_view enrollment_id;
  std::optional<std::int64_t> progress_percent;  ///< 0 to 100
};

/// LEARNER_UNENROLLMENT
struct learner_unenrollment : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::learner_unenrollment;
  std::optional<learner_reference> learner;
  std::optional<learning_object_reference> learning_object;
  std::string_view enrollment_id;
  enum_value<unenrollment_actor> unenrolled_by;
  std::optional<date_time> date_unenrolled;
};

/// COURSE_CREATED
struct course_created : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::course_created;
  std::optional<learning_object_reference> learning_object;
  std::string_view created_by;
  std::optional<date_time> date_created;
};

/// COURSE_UPDATED
struct course_updated : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::course_updated;
  std::optional<learning_object_reference> learning_object;
  std::string_view updated_by;
  array_view<std::string_view> updated_fields;
  std::optional<date_time> date_updated;
};

/// BADGE_AWARDED
struct badge_awarded : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::badge_awarded;
  std::optional<learner_reference> learner;
  std::optional<badge_reference> badge;
  std::optional<date_time> date_awarded;
};

/// CERTIFICATION_COMPLETED
struct certification_completed : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::certification_completed;
  std::optional<learner_reference> learner;
  std::optional<certification_reference> certification;
  std::optional<date_time> completed_on;
  std::optional<date_time> valid_until;
  std::optional<date_time> recertification_deadline;
};

/// SKILL_ACHIEVED
struct skill_achieved : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::skill_achieved;
  std::optional<learner_reference> learner;
  std::optional<skill_reference> skill;
  std::optional<date_time> date_achieved;
};

/// USER_CREATED
struct user_created : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::user_created;
  std::optional<user_profile> user;
  enum_value<user_creation_method> creation_method;
};

/// USER_UPDATED
struct user_updated : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::user_updated;
  std::optional<user_reference> user;
  array_view<std::string_view> updated_fields;
};

/// USER_DELETED (the document's `user` has userId and email; `name` stays empty)
struct user_deleted : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::user_deleted;
  std::optional<user_reference> user;
  std::optional<date_time> date_deleted;
};

/// JOB_COMPLETED
struct job_completed : event_header {
  static constexpr webhooks::event_type type = webhooks::event_type::job_completed;
  std::optional<job_report> job;
  std::optional<date_time> date_completed;
};

// ---- Field tables (wire names) ------------------------------------------------------------

namespace detail {
inline constexpr auto event_header_fields = std::make_tuple(
    make_field("eventType", &event_header::event_type),
    make_field("eventId", &event_header::event_id),
    make_field("accountId", &event_header::account_id),
    make_field("timestamp", &event_header::timestamp), make_field("source", &event_header::source));
}  // namespace detail

template <>
struct fields_of<event_header> {
  static constexpr auto value = detail::event_header_fields;
};
ALM_WEBHOOKS_FIELDS(user_reference, detail::make_field("userId", &user_reference::user_id),
                    detail::make_field("name", &user_reference::name),
                    detail::make_field("email", &user_reference::email));
ALM_WEBHOOKS_FIELDS(learning_object_reference,
                    detail::make_field("loId", &learning_object_reference::lo_id),
                    detail::make_field("loType", &learning_object_reference::lo_type),
                    detail::make_field("name", &learning_object_reference::name),
                    detail::make_field("instanceId", &learning_object_reference::instance_id));
ALM_WEBHOOKS_FIELDS(badge_reference, detail::make_field("badgeId", &badge_reference::badge_id),
                    detail::make_field("name", &badge_reference::name),
                    detail::make_field("imageUrl", &badge_reference::image_url));
ALM_WEBHOOKS_FIELDS(certification_reference,
                    detail::make_field("certificationId",
                                       &certification_reference::certification_id),
                    detail::make_field("name", &certification_reference::name),
                    detail::make_field("instanceId", &certification_reference::instance_id));
ALM_WEBHOOKS_FIELDS(skill_reference, detail::make_field("skillId", &skill_reference::skill_id),
                    detail::make_field("name", &skill_reference::name),
                    detail::make_field("levelName", &skill_reference::level_name),
                    detail::make_field("credits", &skill_reference::credits));
ALM_WEBHOOKS_FIELDS(user_profile, detail::make_field("userId", &user_profile::user_id),
                    detail::make_field("name", &user_profile::name),
                    detail::make_field("email", &user_profile::email),
                    detail::make_field("roles", &user_profile::roles),
                    detail::make_field("userType", &user_profile::user_type));
ALM_WEBHOOKS_FIELDS(job_report, detail::make_field("jobId", &job_report::job_id),
                    detail::make_field("jobType", &job_report::job_type),
                    detail::make_field("status", &job_report::status),
                    detail::make_field("downloadUrl", &job_report::download_url),
                    detail::make_field("recordsProcessed", &job_report::records_processed),
                    detail::make_field("recordsFailed", &job_report::records_failed));

ALM_WEBHOOKS_FIELDS_WITH_BASE(
    detail::event_header_fields, learner_enrollment,
    detail::make_field("learner", &learner_enrollment::learner),
    detail::make_field("learningObject", &learner_enrollment::learning_object),
    detail::make_field("enrollmentId", &learner_enrollment::enrollment_id),
    detail::make_field("enrollmentType", &learner_enrollment::enrollment_type),
    detail::make_field("dateEnrolled", &learner_enrollment::date_enrolled));
ALM_WEBHOOKS_FIELDS_WITH_BASE(
    detail::event_header_fields, learner_completion,
    detail::make_field("learner", &learner_completion::learner),
    detail::make_field("learningObject", &learner_completion::learning_object),
    detail::make_field("enrollmentId", &learner_completion::enrollment_id),
    detail::make_field("completedOn", &learner_completion::completed_on),
    detail::make_field("hasPassed", &learner_completion::has_passed),
    detail::make_field("score", &learner_completion::score),
    detail::make_field("progressPercent", &learner_completion::progress_percent));
ALM_WEBHOOKS_FIELDS_WITH_BASE(detail::event_header_fields, learner_progress,
                              detail::make_field("learner", &learner_progress::learner),
                              detail::make_field("learningObject",
                                                 &learner_progress::learning_object),
                              detail::make_field("enrollmentId", &learner_progress::enrollment_id),
                              detail::make_field("progressPercent",
                                                 &learner_progress::progress_percent));
ALM_WEBHOOKS_FIELDS_WITH_BASE(
    detail::event_header_fields, learner_unenrollment,
    detail::make_field("learner", &learner_unenrollment::learner),
    detail::make_field("learningObject", &learner_unenrollment::learning_object),
    detail::make_field("enrollmentId", &learner_unenrollment::enrollment_id),
    detail::make_field("unenrolledBy", &learner_unenrollment::unenrolled_by),
    detail::make_field("dateUnenrolled", &learner_unenrollment::date_unenrolled));
ALM_WEBHOOKS_FIELDS_WITH_BASE(detail::event_header_fields, course_created,
                              detail::make_field("learningObject",
                                                 &course_created::learning_object),
                              detail::make_field("createdBy", &course_created::created_by),
                              detail::make_field("dateCreated", &course_created::date_created));
ALM_WEBHOOKS_FIELDS_WITH_BASE(detail::event_header_fields, course_updated,
                              detail::make_field("learningObject",
                                                 &course_updated::learning_object),
                              detail::make_field("updatedBy", &course_updated::updated_by),
                              detail::make_field("updatedFields", &course_updated::updated_fields),
                              detail::make_field("dateUpdated", &course_updated::date_updated));
ALM_WEBHOOKS_FIELDS_WITH_BASE(detail::event_header_fields, badge_awarded,
                              detail::make_field("learner", &badge_awarded::learner),
                              detail::make_field("badge", &badge_awarded::badge),
                              detail::make_field("dateAwarded", &badge_awarded::date_awarded));
ALM_WEBHOOKS_FIELDS_WITH_BASE(
    detail::event_header_fields, certification_completed,
    detail::make_field("learner", &certification_completed::learner),
    detail::make_field("certification", &certification_completed::certification),
    detail::make_field("completedOn", &certification_completed::completed_on),
    detail::make_field("validUntil", &certification_completed::valid_until),
    detail::make_field("recertificationDeadline",
                       &certification_completed::recertification_deadline));
ALM_WEBHOOKS_FIELDS_WITH_BASE(detail::event_header_fields, skill_achieved,
                              detail::make_field("learner", &skill_achieved::learner),
                              detail::make_field("skill", &skill_achieved::skill),
                              detail::make_field("dateAchieved", &skill_achieved::date_achieved));
ALM_WEBHOOKS_FIELDS_WITH_BASE(detail::event_header_fields, user_created,
                              detail::make_field("user", &user_created::user),
                              detail::make_field("creationMethod", &user_created::creation_method));
ALM_WEBHOOKS_FIELDS_WITH_BASE(detail::event_header_fields, user_updated,
                              detail::make_field("user", &user_updated::user),
                              detail::make_field("updatedFields", &user_updated::updated_fields));
ALM_WEBHOOKS_FIELDS_WITH_BASE(detail::event_header_fields, user_deleted,
                              detail::make_field("user", &user_deleted::user),
                              detail::make_field("dateDeleted", &user_deleted::date_deleted));
ALM_WEBHOOKS_FIELDS_WITH_BASE(detail::event_header_fields, job_completed,
                              detail::make_field("job", &job_completed::job),
                              detail::make_field("dateCompleted", &job_completed::date_completed));

}  // namespace alm::webhooks
