#include "alm/webhooks/format.hpp"

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "catch.hpp"

using namespace alm::webhooks;

namespace {

date_time iso(std::string_view text) {
  return date_time::parse_iso8601(text).value();
}

learner_completion completion() {
  learner_completion e;
  e.event_type = "LEARNER_COMPLETION";
  e.event_id = "8a2f0c";
  e.account_id = id_value("1010");
  e.timestamp = iso("2024-11-08T03:49:52.000Z");
  e.learner = learner_reference{"u-42", "Ann Lee", {}};
  e.learning_object =
      learning_object_reference{"course:7374992", learning_object_type::course, {}, {}};
  e.has_passed = true;
  e.score = 92.5;
  return e;
}

batch_enrollment enrollment() {
  batch_enrollment e;
  e.event_id = "d5fb7071";
  e.event_name = enum_value<batch_event_name>::from_text("COURSE_ENROLLMENT_BATCH");
  e.timestamp = date_time::from_epoch_number(1727414643000);
  e.event_info = "1727414643000-047210-84242-0";
  e.data.user_id = id_value("4279332", true);
  e.data.lo_id = "course:7374992";
  e.data.lo_type = enum_value<learning_object_type>::from_text("course");
  e.data.enrollment_source = enum_value<enrollment_origin>::from_text("ADMIN_ENROLL");
  e.data.date_enrolled = date_time::from_epoch_number(1727414643);
  return e;
}

}  // namespace

TEST_CASE("an AsyncAPI event is one line: name, id, present fields, time", "[format]") {
  CHECK(fmt::format("{}", completion()) ==
        "LEARNER_COMPLETION 8a2f0c accountId=1010 learner={userId=u-42 name=\"Ann Lee\"} "
        "learningObject={loId=course:7374992 loType=course} hasPassed=true score=92.5 "
        "at 2024-11-08T03:49:52.000Z");
}

TEST_CASE("a batch event lists its data fields after its header fields", "[format]") {
  CHECK(fmt::format("{}", enrollment()) ==
        "COURSE_ENROLLMENT_BATCH d5fb7071 eventInfo=1727414643000-047210-84242-0 "
        "userId=4279332 loId=course:7374992 loType=course enrollmentSource=ADMIN_ENROLL "
        "dateEnrolled=2024-09-27T05:24:03.000Z at 2024-09-27T05:24:03.000Z");
}

TEST_CASE("the variant formats as the event it holds", "[format]") {
  CHECK(fmt::format("{}", event(completion())) == fmt::format("{}", completion()));
  CHECK(fmt::format("{}", event(enrollment())) == fmt::format("{}", enrollment()));
}

TEST_CASE("arrays, nested arrays of objects and raw JSON", "[format]") {
  const user_group_member members[] = {{"user", id_value("42", true)}, {"user", id_value("u 7")}};
  batch_user_group_response e;
  e.event_id = "r1";
  e.event_name = batch_event_name::usergroup_user_added_response;
  e.data.status = "SUCCESS";
  e.data.request = user_group_request{raw_json{"{\n  \"groupId\": 5,\n  \"note\": \"a b\"\n}"},
                                      array_view<user_group_member>(members, 2)};
  CHECK(fmt::format("{}", e) ==
        "RESPONSE:ASYNCAPI_USERGROUP_USER_ADDED r1 status=SUCCESS "
        "request={metadata={\"groupId\":5,\"note\":\"a b\"} "
        "data=[{type=user id=42},{type=user id=\"u 7\"}]}");

  const std::string_view fields[] = {"name", "email"};
  user_updated u;
  u.event_id = "u1";
  u.timestamp = iso("2024-01-02T03:04:05Z");
  u.updated_fields = array_view<std::string_view>(fields, 2);
  CHECK(fmt::format("{}", u) ==
        "USER_UPDATED u1 updatedFields=[name,email] at 2024-01-02T03:04:05.000Z");
}

TEST_CASE("raw events show their data on one line", "[format]") {
  raw_event e;
  e.event_id = "x1";
  e.event_name = "NEW_THING";
  e.data = raw_json{"{\r\n\t\"a\" : [1, 2],\n \"s\": \"keep  these  spaces\"\n}"};
  CHECK(fmt::format("{}", e) == "NEW_THING x1 data={\"a\":[1,2],\"s\":\"keep  these  spaces\"}");
}

TEST_CASE("values that are not plain tokens are quoted, so the summary stays one line",
          "[format]") {
  user_deleted e;
  e.event_id = "id with space";
  e.timestamp = iso("2024-01-02T03:04:05Z");
  e.user = user_reference{"u=1", "line\nbreak", "\x1b[31mred"};
  const std::string text = fmt::format("{}", e);
  CHECK(text ==
        "USER_DELETED \"id with space\" user={userId=\"u=1\" name=\"line\\u000abreak\" "
        "email=\"\\u001b[31mred\"} at 2024-01-02T03:04:05.000Z");
  CHECK(text.find('\n') == std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("missing name and id show as dashes; eventType falls back to the struct", "[format]") {
  raw_event r;
  CHECK(fmt::format("{}", r) == "- -");
  badge_awarded b;
  b.timestamp = iso("2024-01-02T03:04:05Z");
  CHECK(fmt::format("{}", b) == "BADGE_AWARDED - at 2024-01-02T03:04:05.000Z");
}

TEST_CASE("nested structs format on their own", "[format]") {
  CHECK(fmt::format("{}", learner_reference{"u-1", {}, "a@b.c"}) == "{userId=u-1 email=a@b.c}");
  skill_reference s{"sk", "C++", {}, 1.5};
  CHECK(fmt::format("{}", s) == "{skillId=sk name=C++ credits=1.5}");
  CHECK(fmt::format("{}", enrollment().data) ==
        "{userId=4279332 loId=course:7374992 loType=course enrollmentSource=ADMIN_ENROLL "
        "dateEnrolled=2024-09-27T05:24:03.000Z}");
}

TEST_CASE("deliveries", "[format]") {
  const event events[] = {enrollment(), completion()};
  CHECK(fmt::format("{}", delivery{body_format::batch, id_value("1010", true),
                                   array_view<event>(events, 2)}) ==
        "batch accountId=1010 events=2 [COURSE_ENROLLMENT_BATCH d5fb7071, "
        "LEARNER_COMPLETION 8a2f0c]");
  CHECK(fmt::format("{}", delivery{body_format::batch, {}, {}}) == "batch events=0 []");
}

TEST_CASE("scalars: dates, ids, enums, enum values, raw JSON, body formats", "[format]") {
  CHECK(fmt::format("{}", date_time::from_epoch_number(1727414643)) == "2024-09-27T05:24:03.000Z");
  CHECK(fmt::format("{}", iso("2024-11-08T05:49:52.5+02:00")) == "2024-11-08T03:49:52.500Z");
  CHECK(fmt::format("{}", id_value("4279332", true)) == "4279332");
  CHECK(fmt::format("{}", id_value("course:1")) == "course:1");
  CHECK(fmt::format("{}", learning_object_type::learning_program) == "learningProgram");
  CHECK(fmt::format("{}", batch_event_name::usergroup_user_removed_response) ==
        "RESPONSE:ASYNCAPI_USERGROUP_USER_REMOVED");
  CHECK(fmt::format("{}", event_type::job_completed) == "JOB_COMPLETED");
  CHECK(fmt::format("{}", job_status::unknown) == "unknown");
  CHECK(fmt::format("{}", batch_group::ci_stats) == "ci_stats");
  CHECK(fmt::format("{}", enum_value<enrollment_method>::from_text("peerNominated")) ==
        "peerNominated");
  CHECK(fmt::format("{}", enum_value<user_kind>(user_kind::external)) == "External");
  CHECK(fmt::format("{}", enum_value<user_kind>()).empty());
  CHECK(fmt::format("{}", raw_json{"[ 1,\n 2 ]"}) == "[1,2]");
  CHECK(fmt::format("{}", body_format::asyncapi) == "asyncapi");
  CHECK(fmt::format("{}", body_format::batch) == "batch");
}

TEST_CASE("every enumeration has its formatter", "[format]") {
  CHECK(fmt::format("{} {} {} {} {} {} {} {} {} {} {} {}", event_source::api,
                    learning_object_type::job_aid, enrollment_method::auto_enrolled,
                    unenrollment_actor::manager, user_kind::internal,
                    user_creation_method::sso_provisioned, job_kind::user_import,
                    job_status::failed, event_type::skill_achieved, enrollment_origin::self_enroll,
                    batch_event_name::ci_stats, batch_group::progress) ==
        "api jobAid autoEnrolled manager Internal ssoProvisioned userImport Failed "
        "SKILL_ACHIEVED SELF_ENROLL CI_STATS progress");
}

TEST_CASE("string specs apply: width, fill and alignment", "[format]") {
  CHECK(fmt::format("[{:>10}]", learning_object_type::course) == "[    course]");
  CHECK(fmt::format("[{:*<8}]", id_value("42", true)) == "[42******]");
  CHECK(fmt::format("[{:^7}]", body_format::batch) == "[ batch ]");
  CHECK(fmt::format("{:.4}", date_time::from_epoch_number(0)) == "1970");
  CHECK(fmt::format("{:>30}", learner_reference{"u-1", {}, {}}) ==
        std::string(30 - 12, ' ') + "{userId=u-1}");
}
