// Every enumeration of both wire formats, each with an `unknown` value, and enum_value<E>, which
// keeps the raw text beside the value so that a value ALM adds tomorrow never fails a parse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace alm::webhooks {

/// Wire names of an enumeration: specialised below for every enum of the SDK. `names` lists
/// (value, spelling) pairs; the first spelling of a value is the one the SDK writes.
template <class Enum>
struct enum_traits;

/// The wire spelling of a known value ("learningProgram"), or "unknown".
template <class Enum, class = decltype(enum_traits<Enum>::names)>
constexpr std::string_view to_string(Enum value) noexcept {
  for (const auto& entry : enum_traits<Enum>::names) {
    if (entry.first == value) return entry.second;
  }
  return "unknown";
}

/// The value for a wire spelling, or Enum::unknown. Case-sensitive, as the wire is.
template <class Enum>
constexpr Enum enum_from_string(std::string_view text) noexcept {
  for (const auto& entry : enum_traits<Enum>::names) {
    if (entry.second == text) return entry.first;
  }
  return Enum::unknown;
}

/// A parsed enumeration field: the value (Enum::unknown for spellings the SDK does not know)
/// and the raw text exactly as sent. `text` views the body or the parser (see parser.hpp for
/// its lifetime). An absent field has empty text and value unknown.
template <class Enum>
struct enum_value {
  Enum value{Enum::unknown};
  std::string_view text{};

  constexpr enum_value() = default;
  constexpr enum_value(Enum v) noexcept : value(v), text(to_string(v)) {}
  constexpr enum_value(Enum v, std::string_view raw) noexcept : value(v), text(raw) {}
  static constexpr enum_value from_text(std::string_view raw) noexcept {
    return enum_value(enum_from_string<Enum>(raw), raw);
  }

  constexpr bool present() const noexcept { return !text.empty(); }
  constexpr bool known() const noexcept { return value != Enum::unknown; }

  /// Equal when the values are equal and, for unknown values, the texts are.
  friend constexpr bool operator==(const enum_value& a, const enum_value& b) noexcept {
    return a.value == b.value && (a.value != Enum::unknown || a.text == b.text);
  }
  friend constexpr bool operator!=(const enum_value& a, const enum_value& b) noexcept {
    return !(a == b);
  }
  friend constexpr bool operator==(const enum_value& a, Enum b) noexcept { return a.value == b; }
  friend constexpr bool operator!=(const enum_value& a, Enum b) noexcept { return a.value != b; }
};

// ---- AsyncAPI document enumerations -------------------------------------------------------

/// WebhookEventBase.source
enum class event_source : std::uint8_t { unknown, learner, admin, manager, system, api };
/// LearningObjectReference.loType and the batch `loType` (both spellings of learning programs).
enum class learning_object_type : std::uint8_t {
  unknown,
  course,
  learning_program,
  certification,
  job_aid
};
/// LearnerEnrollmentPayload.enrollmentType
enum class enrollment_method : std::uint8_t {
  unknown,
  self_enrolled,
  manager_nominated,
  admin_enrolled,
  auto_enrolled
};
/// LearnerUnenrollmentPayload.unenrolledBy
enum class unenrollment_actor : std::uint8_t { unknown, learner, manager, admin, system };
/// UserCreatedPayload.user.userType
enum class user_kind : std::uint8_t { unknown, internal, external };
/// UserCreatedPayload.creationMethod
enum class user_creation_method : std::uint8_t {
  unknown,
  self_registration,
  admin_created,
  csv_import,
  api_created,
  sso_provisioned
};
/// JobCompletedPayload.job.jobType
enum class job_kind : std::uint8_t {
  unknown,
  user_import,
  learner_transcript_export,
  training_report_export
};
/// JobCompletedPayload.job.status
enum class job_status : std::uint8_t { unknown, completed, failed };
/// The 13 AsyncAPI event types (`eventType`).
enum class event_type : std::uint8_t {
  unknown,
  learner_enrollment,
  learner_completion,
  learner_progress,
  learner_unenrollment,
  course_created,
  course_updated,
  badge_awarded,
  certification_completed,
  skill_achieved,
  user_created,
  user_updated,
  user_deleted,
  job_completed,
};

// ---- Batch envelope enumerations ----------------------------------------------------------

/// The batch `data.enrollmentSource`.
enum class enrollment_origin : std::uint8_t { unknown, self_enroll, admin_enroll };

/// Every batch `eventName` the documentation lists, plus the seed guides' completion names.
enum class batch_event_name : std::uint8_t {
  unknown,
  ci_stats,
  course_enrollment,
  course_completed,
  learning_path_enrollment,
  learning_path_completed,
  certification_enrollment,
  certification_completed,
  course_unenrollment,
  learning_path_unenrollment,
  certification_unenrollment,
  learning_object_draft,
  learning_object_deletion,
  learning_object_modification,
  learning_object_instance_modification,
  learning_object_instance_deletion,
  learning_path_completion_rollback,
  course_enrollment_batch,
  learning_path_enrollment_batch,
  certification_enrollment_batch,
  course_completed_batch,
  learning_path_completed_batch,
  certification_completed_batch,
  course_unenrollment_batch,
  learning_path_unenrollment_batch,
  certification_unenrollment_batch,
  learning_object_modification_batch,
  learning_object_instance_modification_batch,
  learning_path_completion_rollback_batch,
  learner_progress,
  usergroup_user_added_response,
  usergroup_user_removed_response,
  course_completion,   ///< seed guides' name, treated as a completion
  learner_completion,  ///< seed guides' name, treated as a completion
};

/// The shape of a batch event's `data`, decided by its name.
enum class batch_group : std::uint8_t {
  unknown,  ///< a name the SDK does not know: data stays raw JSON
  enrollment,
  completion,
  unenrollment,
  progress,
  ci_stats,
  learning_object,
  learning_object_instance,
  user_group_response,
};

#define ALM_WEBHOOKS_ENUM_NAMES(Enum, ...)                                      \
  template <>                                                                   \
  struct enum_traits<Enum> {                                                    \
    static constexpr std::pair<Enum, std::string_view> names[] = {__VA_ARGS__}; \
  }

ALM_WEBHOOKS_ENUM_NAMES(event_source, {event_source::learner, "learner"},
                        {event_source::admin, "admin"}, {event_source::manager, "manager"},
                        {event_source::system, "system"}, {event_source::api, "api"});
ALM_WEBHOOKS_ENUM_NAMES(learning_object_type, {learning_object_type::course, "course"},
                        {learning_object_type::learning_program, "learningProgram"},
                        {learning_object_type::learning_program, "learning_program"},
                        {learning_object_type::certification, "certification"},
                        {learning_object_type::job_aid, "jobAid"});
ALM_WEBHOOKS_ENUM_NAMES(enrollment_method, {enrollment_method::self_enrolled, "selfEnrolled"},
                        {enrollment_method::manager_nominated, "managerNominated"},
                        {enrollment_method::admin_enrolled, "adminEnrolled"},
                        {enrollment_method::auto_enrolled, "autoEnrolled"});
ALM_WEBHOOKS_ENUM_NAMES(unenrollment_actor, {unenrollment_actor::learner, "learner"},
                        {unenrollment_actor::manager, "manager"},
                        {unenrollment_actor::admin, "admin"},
                        {unenrollment_actor::system, "system"});
ALM_WEBHOOKS_ENUM_NAMES(user_kind, {user_kind::internal, "Internal"},
                        {user_kind::external, "External"});
ALM_WEBHOOKS_ENUM_NAMES(user_creation_method,
                        {user_creation_method::self_registration, "selfRegistration"},
                        {user_creation_method::admin_created, "adminCreated"},
                        {user_creation_method::csv_import, "csvImport"},
                        {user_creation_method::api_created, "apiCreated"},
                        {user_creation_method::sso_provisioned, "ssoProvisioned"});
ALM_WEBHOOKS_ENUM_NAMES(job_kind, {job_kind::user_import, "userImport"},
                        {job_kind::learner_transcript_export, "learnerTranscriptExport"},
                        {job_kind::training_report_export, "trainingReportExport"});
ALM_WEBHOOKS_ENUM_NAMES(job_status, {job_status::completed, "Completed"},
                        {job_status::failed, "Failed"});
ALM_WEBHOOKS_ENUM_NAMES(event_type, {event_type::learner_enrollment, "LEARNER_ENROLLMENT"},
                        {event_type::learner_completion, "LEARNER_COMPLETION"},
                        {event_type::learner_progress, "LEARNER_PROGRESS"},
                        {event_type::learner_unenrollment, "LEARNER_UNENROLLMENT"},
                        {event_type::course_created, "COURSE_CREATED"},
                        {event_type::course_updated, "COURSE_UPDATED"},
                        {event_type::badge_awarded, "BADGE_AWARDED"},
                        {event_type::certification_completed, "CERTIFICATION_COMPLETED"},
                        {event_type::skill_achieved, "SKILL_ACHIEVED"},
                        {event_type::user_created, "USER_CREATED"},
                        {event_type::user_updated, "USER_UPDATED"},
                        {event_type::user_deleted, "USER_DELETED"},
                        {event_type::job_completed, "JOB_COMPLETED"});
ALM_WEBHOOKS_ENUM_NAMES(enrollment_origin, {enrollment_origin::self_enroll, "SELF_ENROLL"},
                        {enrollment_origin::admin_enroll, "ADMIN_ENROLL"});
ALM_WEBHOOKS_ENUM_NAMES(
    batch_event_name, {batch_event_name::ci_stats, "CI_STATS"},
    {batch_event_name::course_enrollment, "COURSE_ENROLLMENT"},
    {batch_event_name::course_completed, "COURSE_COMPLETED"},
    {batch_event_name::learning_path_enrollment, "LEARNING_PATH_ENROLLMENT"},
    {batch_event_name::learning_path_completed, "LEARNING_PATH_COMPLETED"},
    {batch_event_name::certification_enrollment, "CERTIFICATION_ENROLLMENT"},
    {batch_event_name::certification_completed, "CERTIFICATION_COMPLETED"},
    {batch_event_name::course_unenrollment, "COURSE_UNENROLLMENT"},
    {batch_event_name::learning_path_unenrollment, "LEARNING_PATH_UNENROLLMENT"},
    {batch_event_name::certification_unenrollment, "CERTIFICATION_UNENROLLMENT"},
    {batch_event_name::learning_object_draft, "LEARNING_OBJECT_DRAFT"},
    {batch_event_name::learning_object_deletion, "LEARNING_OBJECT_DELETION"},
    {batch_event_name::learning_object_modification, "LEARNING_OBJECT_MODIFICATION"},
    {batch_event_name::learning_object_instance_modification,
     "LEARNING_OBJECT_INSTANCE_MODIFICATION"},
    {batch_event_name::learning_object_instance_deletion, "LEARNING_OBJECT_INSTANCE_DELETION"},
    {batch_event_name::learning_path_completion_rollback, "LEARNING_PATH_COMPLETION_ROLLBACK"},
    {batch_event_name::course_enrollment_batch, "COURSE_ENROLLMENT_BATCH"},
    {batch_event_name::learning_path_enrollment_batch, "LEARNING_PATH_ENROLLMENT_BATCH"},
    {batch_event_name::certification_enrollment_batch, "CERTIFICATION_ENROLLMENT_BATCH"},
    {batch_event_name::course_completed_batch, "COURSE_COMPLETED_BATCH"},
    {batch_event_name::learning_path_completed_batch, "LEARNING_PATH_COMPLETED_BATCH"},
    {batch_event_name::certification_completed_batch, "CERTIFICATION_COMPLETED_BATCH"},
    {batch_event_name::course_unenrollment_batch, "COURSE_UNENROLLMENT_BATCH"},
    {batch_event_name::learning_path_unenrollment_batch, "LEARNING_PATH_UNENROLLMENT_BATCH"},
    {batch_event_name::certification_unenrollment_batch, "CERTIFICATION_UNENROLLMENT_BATCH"},
    {batch_event_name::learning_object_modification_batch, "LEARNING_OBJECT_MODIFICATION_BATCH"},
    {batch_event_name::learning_object_instance_modification_batch,
     "LEARNING_OBJECT_INSTANCE_MODIFICATION_BATCH"},
    {batch_event_name::learning_path_completion_rollback_batch,
     "LEARNING_PATH_COMPLETION_ROLLBACK_BATCH"},
    {batch_event_name::learner_progress, "LEARNER_PROGRESS"},
    {batch_event_name::usergroup_user_added_response, "RESPONSE:ASYNCAPI_USERGROUP_USER_ADDED"},
    {batch_event_name::usergroup_user_removed_response, "RESPONSE:ASYNCAPI_USERGROUP_USER_REMOVED"},
    {batch_event_name::course_completion, "COURSE_COMPLETION"},
    {batch_event_name::learner_completion, "LEARNER_COMPLETION"});
ALM_WEBHOOKS_ENUM_NAMES(batch_group, {batch_group::enrollment, "enrollment"},
                        {batch_group::completion, "completion"},
                        {batch_group::unenrollment, "unenrollment"},
                        {batch_group::progress, "progress"}, {batch_group::ci_stats, "ci_stats"},
                        {batch_group::learning_object, "learning_object"},
                        {batch_group::learning_object_instance, "learning_object_instance"},
                        {batch_group::user_group_response, "user_group_response"});

#undef ALM_WEBHOOKS_ENUM_NAMES

/// The data group of each batch event name (rollbacks carry enrollment-shaped data).
constexpr batch_group group_of(batch_event_name name) noexcept {
  using n = batch_event_name;
  switch (name) {
    case n::course_enrollment:
    case n::learning_path_enrollment:
    case n::certification_enrollment:
    case n::course_enrollment_batch:
    case n::learning_path_enrollment_batch:
    case n::certification_enrollment_batch:
    case n::learning_path_completion_rollback:
    case n::learning_path_completion_rollback_batch:
      return batch_group::enrollment;
    case n::course_completed:
    case n::learning_path_completed:
    case n::certification_completed:
    case n::course_completed_batch:
    case n::learning_path_completed_batch:
    case n::certification_completed_batch:
    case n::course_completion:
    case n::learner_completion:
      return batch_group::completion;
    case n::course_unenrollment:
    case n::learning_path_unenrollment:
    case n::certification_unenrollment:
    case n::course_unenrollment_batch:
    case n::learning_path_unenrollment_batch:
    case n::certification_unenrollment_batch:
      return batch_group::unenrollment;
    case n::learner_progress:
      return batch_group::progress;
    case n::ci_stats:
      return batch_group::ci_stats;
    case n::learning_object_draft:
    case n::learning_object_deletion:
    case n::learning_object_modification:
    case n::learning_object_modification_batch:
      return batch_group::learning_object;
    case n::learning_object_instance_modification:
    case n::learning_object_instance_deletion:
    case n::learning_object_instance_modification_batch:
      return batch_group::learning_object_instance;
    case n::usergroup_user_added_response:
    case n::usergroup_user_removed_response:
      return batch_group::user_group_response;
    case n::unknown:
      break;
  }
  return batch_group::unknown;
}

}  // namespace alm::webhooks
