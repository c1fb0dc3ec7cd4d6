#include "alm/webhooks/enums.hpp"

#include <string>
#include <string_view>

#include "alm/webhooks/detail/field_reader.hpp"

#include "catch.hpp"

using namespace alm::webhooks;

TEST_CASE("enum spellings map both ways", "[enums]") {
  CHECK(enum_from_string<learning_object_type>("learningProgram") ==
        learning_object_type::learning_program);
  CHECK(enum_from_string<learning_object_type>("learning_program") ==
        learning_object_type::learning_program);
  CHECK(to_string(learning_object_type::learning_program) == "learningProgram");
  CHECK(enum_from_string<job_status>("Failed") == job_status::failed);
  CHECK(enum_from_string<user_kind>("internal") == user_kind::unknown);  // case-sensitive wire
  CHECK(to_string(event_source::unknown) == "unknown");
}

TEST_CASE("an unknown spelling keeps its raw text", "[enums]") {
  const auto v = enum_value<enrollment_method>::from_text("peerNominated");
  CHECK(v.value == enrollment_method::unknown);
  CHECK(v.text == "peerNominated");
  CHECK(v.present());
  CHECK_FALSE(v.known());
  CHECK(v != enum_value<enrollment_method>::from_text("other"));
  CHECK(v == enum_value<enrollment_method>::from_text("peerNominated"));

  const enum_value<enrollment_method> absent;
  CHECK_FALSE(absent.present());
  const auto known = enum_value<enrollment_method>::from_text("adminEnrolled");
  CHECK(known == enrollment_method::admin_enrolled);
  CHECK(known.known());
}

TEST_CASE("every batch event name of the envelope notes maps to its group", "[enums]") {
  struct expectation {
    std::string_view name;
    batch_group group;
  };
  const expectation table[] = {
      {"CI_STATS", batch_group::ci_stats},
      {"COURSE_ENROLLMENT", batch_group::enrollment},
      {"COURSE_COMPLETED", batch_group::completion},
      {"LEARNING_PATH_ENROLLMENT", batch_group::enrollment},
      {"LEARNING_PATH_COMPLETED", batch_group::completion},
      {"CERTIFICATION_ENROLLMENT", batch_group::enrollment},
      {"CERTIFICATION_COMPLETED", batch_group::completion},
      {"COURSE_UNENROLLMENT", batch_group::unenrollment},
      {"LEARNING_PATH_UNENROLLMENT", batch_group::unenrollment},
      {"CERTIFICATION_UNENROLLMENT", batch_group::unenrollment},
      {"LEARNING_OBJECT_DRAFT", batch_group::learning_object},
      {"LEARNING_OBJECT_DELETION", batch_group::learning_object},
      {"LEARNING_OBJECT_MODIFICATION", batch_group::learning_object},
      {"LEARNING_OBJECT_INSTANCE_MODIFICATION", batch_group::learning_object_instance},
      {"LEARNING_OBJECT_INSTANCE_DELETION", batch_group::learning_object_instance},
      {"LEARNING_PATH_COMPLETION_ROLLBACK", batch_group::enrollment},
      {"COURSE_ENROLLMENT_BATCH", batch_group::enrollment},
      {"LEARNING_PATH_ENROLLMENT_BATCH", batch_group::enrollment},
      {"CERTIFICATION_ENROLLMENT_BATCH", batch_group::enrollment},
      {"COURSE_COMPLETED_BATCH", batch_group::completion},
      {"LEARNING_PATH_COMPLETED_BATCH", batch_group::completion},
      {"CERTIFICATION_COMPLETED_BATCH", batch_group::completion},
      {"COURSE_UNENROLLMENT_BATCH", batch_group::unenrollment},
      {"LEARNING_PATH_UNENROLLMENT_BATCH", batch_group::unenrollment},
      {"CERTIFICATION_UNENROLLMENT_BATCH", batch_group::unenrollment},
      {"LEARNING_OBJECT_MODIFICATION_BATCH", batch_group::learning_object},
      {"LEARNING_OBJECT_INSTANCE_MODIFICATION_BATCH", batch_group::learning_object_instance},
      {"LEARNING_PATH_COMPLETION_ROLLBACK_BATCH", batch_group::enrollment},
      {"LEARNER_PROGRESS", batch_group::progress},
      {"RESPONSE:ASYNCAPI_USERGROUP_USER_ADDED", batch_group::user_group_response},
      {"RESPONSE:ASYNCAPI_USERGROUP_USER_REMOVED", batch_group::user_group_response},
      {"COURSE_COMPLETION", batch_group::completion},
      {"LEARNER_COMPLETION", batch_group::completion},
      {"SOMETHING_NEW", batch_group::unknown},
  };
  for (const auto& row : table) {
    CAPTURE(row.name);
    const auto name = enum_from_string<batch_event_name>(row.name);
    CHECK(group_of(name) == row.group);
    if (row.group != batch_group::unknown) CHECK(to_string(name) == row.name);
  }
}

TEST_CASE("every AsyncAPI event type has its wire name", "[enums]") {
  const std::string_view names[] = {
      "LEARNER_ENROLLMENT", "LEARNER_COMPLETION", "LEARNER_PROGRESS", "LEARNER_UNENROLLMENT",
      "COURSE_CREATED",     "COURSE_UPDATED",     "BADGE_AWARDED",    "CERTIFICATION_COMPLETED",
      "SKILL_ACHIEVED",     "USER_CREATED",       "USER_UPDATED",     "USER_DELETED",
      "JOB_COMPLETED"};
  for (const auto name : names) {
    CAPTURE(name);
    const auto type = enum_from_string<event_type>(name);
    CHECK(type != event_type::unknown);
    CHECK(to_string(type) == name);
  }
}

namespace {
/// The parser's lookup agrees with enum_from_string on every spelling of `Enum`, and a change of
/// any one byte (first, middle, last: every word and tail position) is noticed.
template <class Enum>
void check_parser_lookup() {
  for (const auto& [value, name] : enum_traits<Enum>::names) {
    INFO(name);
    const std::string copy(name);  // another address, as in a parsed body
    CHECK(detail::enum_of_text<Enum>(copy) == value);
    for (std::size_t i = 0; i < copy.size(); ++i) {
      std::string changed = copy;
      changed[i] = static_cast<char>(changed[i] ^ 0x01);
      CHECK(detail::enum_of_text<Enum>(changed) == enum_from_string<Enum>(changed));
      CHECK(detail::enum_of_text<Enum>(changed) != value);
    }
    CHECK(detail::enum_of_text<Enum>(copy + "x") == enum_from_string<Enum>(copy + "x"));
  }
  CHECK(detail::enum_of_text<Enum>("") == Enum::unknown);
}
}  // namespace

TEST_CASE("the parser's enum lookup matches whole spellings only", "[enums]") {
  check_parser_lookup<batch_event_name>();
  check_parser_lookup<learning_object_type>();
  check_parser_lookup<enrollment_origin>();
  check_parser_lookup<job_status>();
  check_parser_lookup<event_source>();
  check_parser_lookup<enrollment_method>();
  check_parser_lookup<unenrollment_actor>();
  check_parser_lookup<user_kind>();
  check_parser_lookup<user_creation_method>();
  check_parser_lookup<job_kind>();
  check_parser_lookup<event_type>();
  check_parser_lookup<batch_group>();
}
