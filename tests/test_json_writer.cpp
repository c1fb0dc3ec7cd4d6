#include "alm/webhooks/json_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "alm/webhooks/parser.hpp"
#include "catch.hpp"

using namespace alm::webhooks;

namespace {

date_time iso(std::string_view text) {
  return date_time::parse_iso8601(text).value();
}

learner_completion full_completion() {
  learner_completion e;
  e.event_type = "LEARNER_COMPLETION";
  e.event_id = "8a2f0c";
  e.account_id = id_value("1010");
  e.timestamp = iso("2024-11-08T03:49:52.000Z");
  e.source = event_source::system;
  e.learner = learner_reference{"u-42", "Ann Lee", "ann@example.com"};
  e.learning_object = learning_object_reference{"course:7374992", learning_object_type::course,
                                                "Safety 101", "course:7374992_1"};
  e.enrollment_id = "enr-9";
  e.completed_on = iso("2024-11-08T03:49:00Z");
  e.has_passed = true;
  e.score = 92.5;
  e.progress_percent = 100;
  return e;
}

batch_enrollment sample_enrollment() {
  batch_enrollment e;
  e.event_id = "d5fb7071-10a9-46b2-9f9e-79dde346c052";
  e.event_name = enum_value<batch_event_name>::from_text("COURSE_ENROLLMENT_BATCH");
  e.timestamp = date_time::from_epoch_number(1727414643000);
  e.event_info = "1727414643000-047210-84242-0";
  e.data.user_id = id_value("4279332", true);
  e.data.lo_id = "course:7374992";
  e.data.lo_instance_id = "course:7376092_10250977";
  e.data.lo_type = enum_value<learning_object_type>::from_text("course");
  e.data.enrollment_source = enum_value<enrollment_origin>::from_text("ADMIN_ENROLL");
  e.data.date_enrolled = date_time::from_epoch_number(1727414643);
  return e;
}

// The JSON a date is written as, seen through a learner_enrollment's dateEnrolled.
std::string date_json(date_time t) {
  learner_enrollment e;
  e.event_id = "e";
  e.date_enrolled = t;
  const std::string json = to_json(e);
  const std::string key = "\"dateEnrolled\":";
  const auto at = json.find(key);
  REQUIRE(at != std::string::npos);
  return json.substr(at + key.size(), json.size() - 1 - at - key.size());
}

// The JSON an AsyncAPI string field is written as (userId of a deleted user).
std::string string_json(std::string_view text) {
  user_deleted e;
  e.event_id = "e";
  e.user = user_reference{text, {}, {}};
  const std::string json = to_json(e);
  const std::string prefix =
      R"({"eventType":"USER_DELETED","eventId":"e","timestamp":"1970-01-01T00:00:00.000Z",)"
      R"("user":{"userId":)";
  REQUIRE(json.compare(0, prefix.size(), prefix) == 0);
  return json.substr(prefix.size(), json.size() - prefix.size() - 2);
}

// The JSON a score is written as.
std::string score_json(double score) {
  batch_completion e;
  e.event_id = "e";
  e.data.score = score;
  const std::string json = to_json(e);
  const std::string prefix = R"({"events":[{"eventId":"e","data":{"score":)";
  REQUIRE(json.compare(0, prefix.size(), prefix) == 0);
  return json.substr(prefix.size(), json.size() - prefix.size() - 4);
}

}  // namespace

TEST_CASE("an AsyncAPI event is written with every present field in wire order", "[json]") {
  CHECK(to_json(full_completion()) ==
        R"({"eventType":"LEARNER_COMPLETION","eventId":"8a2f0c","accountId":"1010",)"
        R"("timestamp":"2024-11-08T03:49:52.000Z","source":"system",)"
        R"("learner":{"userId":"u-42","name":"Ann Lee","email":"ann@example.com"},)"
        R"("learningObject":{"loId":"course:7374992","loType":"course","name":"Safety 101",)"
        R"("instanceId":"course:7374992_1"},"enrollmentId":"enr-9",)"
        R"("completedOn":"2024-11-08T03:49:00.000Z","hasPassed":true,"score":92.5,)"
        R"("progressPercent":100})");
}

TEST_CASE("absent fields stay absent", "[json]") {
  learner_completion e;
  e.event_type = "LEARNER_COMPLETION";
  e.event_id = "x";
  e.account_id = id_value("1010");
  e.timestamp = iso("2024-11-08T03:49:52Z");
  CHECK(to_json(e) == R"({"eventType":"LEARNER_COMPLETION","eventId":"x","accountId":"1010",)"
                      R"("timestamp":"2024-11-08T03:49:52.000Z"})");

  SECTION("a present nested object with no fields set stays present") {
    e.learner = learner_reference{};
    e.has_passed = false;
    e.score = 0.0;
    CHECK(to_json(e) ==
          R"({"eventType":"LEARNER_COMPLETION","eventId":"x","accountId":"1010",)"
          R"("timestamp":"2024-11-08T03:49:52.000Z","learner":{},"hasPassed":false,"score":0})");
  }
}

TEST_CASE("an event built in code without eventType gets its struct's type", "[json]") {
  course_updated e;
  e.event_id = "c1";
  CHECK(to_json(e) ==
        R"({"eventType":"COURSE_UPDATED","eventId":"c1","timestamp":"1970-01-01T00:00:00.000Z"})");
  e.event_type = "COURSE_UPDATED_V2";  // what the body said wins
  CHECK(to_json(e).find(R"("eventType":"COURSE_UPDATED_V2")") == 1);
}

TEST_CASE("a batch event is written as a complete envelope of one", "[json]") {
  const batch_enrollment e = sample_enrollment();
  const std::string expected =
      R"({"accountId":1010,"events":[{"eventId":"d5fb7071-10a9-46b2-9f9e-79dde346c052",)"
      R"("eventName":"COURSE_ENROLLMENT_BATCH","timestamp":1727414643000,)"
      R"("eventInfo":"1727414643000-047210-84242-0","data":{"userId":4279332,)"
      R"("loId":"course:7374992","loInstanceId":"course:7376092_10250977","loType":"course",)"
      R"("enrollmentSource":"ADMIN_ENROLL","dateEnrolled":1727414643}}]})";
  CHECK(to_json(e, id_value("1010", true)) == expected);
  CHECK(to_json(event(e), id_value("1010", true)) == expected);

  SECTION("a string account id stays a string") {
    CHECK(to_json(e, id_value("acct-7")).rfind(R"({"accountId":"acct-7","events":[{)", 0) == 0);
  }
  SECTION("without an account id the envelope has none") {
    CHECK(to_json(e).rfind(R"({"events":[{"eventId":"d5fb7071)", 0) == 0);
  }
  SECTION("data is written even when empty: it is the entry's payload") {
    batch_learning_object lo;
    lo.event_id = "l";
    lo.event_name = batch_event_name::learning_object_draft;
    CHECK(to_json(lo) ==
          R"({"events":[{"eventId":"l","eventName":"LEARNING_OBJECT_DRAFT","data":{}}]})");
  }
}

TEST_CASE("user-group responses: nested arrays of objects and raw metadata", "[json]") {
  const user_group_member members[] = {{"user", id_value("42", true)}, {"user", id_value("u-7")}};
  batch_user_group_response e;
  e.event_id = "r1";
  e.event_name = batch_event_name::usergroup_user_added_response;
  e.data.status = "SUCCESS";
  e.data.request = user_group_request{raw_json{R"({"groupId": 5, "tags": ["a"]})"},
                                      array_view<user_group_member>(members, 2)};
  CHECK(to_json(e, id_value("1010", true)) ==
        R"({"accountId":1010,"events":[{"eventId":"r1",)"
        R"("eventName":"RESPONSE:ASYNCAPI_USERGROUP_USER_ADDED","data":{"status":"SUCCESS",)"
        R"("request":{"metadata":{"groupId": 5, "tags": ["a"]},)"
        R"("data":[{"type":"user","id":42},{"type":"user","id":"u-7"}]}}}]})");
}

TEST_CASE("arrays of strings; empty arrays are left out", "[json]") {
  const std::string_view roles[] = {"Learner", "Manager \"M\""};
  user_created e;
  e.event_id = "u";
  e.user = user_profile{"u-1",
                        {},
                        {},
                        array_view<std::string_view>(roles, 2),
                        enum_value<user_kind>(user_kind::internal)};
  e.creation_method = enum_value<user_creation_method>::from_text("scimProvisioned");
  CHECK(to_json(e) ==
        R"({"eventType":"USER_CREATED","eventId":"u","timestamp":"1970-01-01T00:00:00.000Z",)"
        R"("user":{"userId":"u-1","roles":["Learner","Manager \"M\""],"userType":"Internal"},)"
        R"("creationMethod":"scimProvisioned"})");
  e.user->roles = {};
  CHECK(to_json(e).find("roles") == std::string::npos);
}

TEST_CASE("dates are written back in the form they were read in", "[json]") {
  CHECK(date_json(date_time::from_epoch_number(1727414643)) == "1727414643");
  CHECK(date_json(date_time::from_epoch_number(1727414643000)) == "1727414643000");
  CHECK(date_json(iso("2024-11-08T05:49:52.250+02:00")) == R"("2024-11-08T03:49:52.250Z")");
  CHECK(date_json(date_time::from_epoch_number(-86400)) == "-86400");

  SECTION("forms that would read back as another instant fall back to ISO-8601") {
    // Seconds cannot hold the 250 ms.
    CHECK(date_json(date_time::from_milliseconds(1727414643250, time_form::epoch_seconds)) ==
          R"("2024-09-27T05:24:03.250Z")");
    // 5000 ms would read back as 5000 seconds.
    CHECK(date_json(date_time::from_milliseconds(5000, time_form::epoch_milliseconds)) ==
          R"("1970-01-01T00:00:05.000Z")");
  }
}

TEST_CASE("ids are numbers when they came as numbers", "[json]") {
  batch_progress e;
  e.event_id = "p";
  const auto user_id_json = [&](id_value id) {
    e.data.user_id = id;
    const std::string json = to_json(e);
    const auto from = json.find("\"userId\":") + 9;
    return json.substr(from, json.find('}', from) - from);
  };
  CHECK(user_id_json(id_value("4279332", true)) == "4279332");
  CHECK(user_id_json(id_value("-12", true)) == "-12");
  CHECK(user_id_json(id_value("4279332", false)) == R"("4279332")");
  // An id marked as a number whose text is none is still valid JSON.
  CHECK(user_id_json(id_value("12abc", true)) == R"("12abc")");
  CHECK(user_id_json(id_value("01", true)) == R"("01")");
}

TEST_CASE("strings are escaped", "[json]") {
  CHECK(string_json("plain") == R"("plain")");
  CHECK(string_json("say \"hi\"") == R"("say \"hi\"")");
  CHECK(string_json("C:\\dir") == R"("C:\\dir")");
  CHECK(string_json("line\nbreak\ttab\r") == R"("line\u000abreak\u0009tab\u000d")");
  CHECK(string_json(std::string_view("nul\0x\x1f", 6)) == R"("nul\u0000x\u001f")");
  CHECK(string_json("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x8e\x93") ==
        "\"caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x8e\x93\"");  // UTF-8 passes through
  CHECK(string_json("/<script>") == R"("/<script>")");
}

TEST_CASE("numbers", "[json]") {
  CHECK(score_json(92.5) == "92.5");
  CHECK(score_json(0.1) == "0.1");
  CHECK(score_json(100.0) == "100");
  CHECK(score_json(-3.25) == "-3.25");
  CHECK(score_json(1e21) == "1e+21");
  CHECK(score_json(1.0 / 3.0) == "0.3333333333333333");
  CHECK(std::stod(score_json(1.0 / 3.0)) == 1.0 / 3.0);
  // JSON has no NaN or infinity.
  CHECK(score_json(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(score_json(std::numeric_limits<double>::infinity()) == "null");

  batch_ci_stats s;
  s.event_id = "s";
  s.data.lo_instance_id = "course:1_2";
  s.data.seat_limit = std::numeric_limits<std::int64_t>::max();
  s.data.seat_availability = std::numeric_limits<std::int64_t>::min();
  s.data.waitlist_count = 0;
  CHECK(to_json(s) ==
        R"({"events":[{"eventId":"s","data":{"loInstanceId":"course:1_2","waitlistCount":0,)"
        R"("seatLimit":9223372036854775807,"seatAvailability":-9223372036854775808}}]})");
}

TEST_CASE("enums keep their raw text; values set in code use their wire spelling", "[json]") {
  batch_completion e;
  e.event_id = "c";
  e.event_name = batch_event_name::course_completed;
  e.data.lo_type = enum_value<learning_object_type>::from_text("learning_program");
  e.data.enrollment_source = enum_value<enrollment_origin>::from_text("MANAGER_ENROLL");
  CHECK(to_json(e) == R"({"events":[{"eventId":"c","eventName":"COURSE_COMPLETED","data":{)"
                      R"("loType":"learning_program","enrollmentSource":"MANAGER_ENROLL"}}]})");
  e.data.lo_type = learning_object_type::learning_program;
  CHECK(to_json(e).find(R"("loType":"learningProgram")") != std::string::npos);
  // A known value whose text was cleared is still written.
  e.data.lo_type.text = {};
  CHECK(to_json(e).find(R"("loType":"learningProgram")") != std::string::npos);
}

TEST_CASE("raw events", "[json]") {
  SECTION("a batch raw event is an envelope entry with raw data") {
    raw_event e;
    e.format = body_format::batch;
    e.event_id = "r";
    e.event_name = "NEW_THING";
    e.timestamp = iso("2024-11-08T03:49:52Z");
    e.event_info = "info";
    e.data = raw_json{R"({"a":[1,2,{"b":null}]})"};
    CHECK(to_json(event(e), id_value("1010", true)) ==
          R"({"accountId":1010,"events":[{"eventId":"r","eventName":"NEW_THING",)"
          R"("timestamp":"2024-11-08T03:49:52.000Z","eventInfo":"info",)"
          R"("data":{"a":[1,2,{"b":null}]}}]})");
  }
  SECTION("an AsyncAPI raw event is its raw JSON, verbatim") {
    raw_event e;
    e.format = body_format::asyncapi;
    e.event_name = "COURSE_ARCHIVED";
    e.data = raw_json{"{ \"eventType\": \"COURSE_ARCHIVED\", \"x\": 1 }"};
    CHECK(to_json(e) == "{ \"eventType\": \"COURSE_ARCHIVED\", \"x\": 1 }");
  }
  SECTION("an AsyncAPI raw event built in code without a body") {
    raw_event e;
    e.format = body_format::asyncapi;
    e.event_name = "COURSE_ARCHIVED";
    e.event_id = "a1";
    e.timestamp = date_time::from_epoch_number(1727414643);
    CHECK(to_json(e) == R"({"eventType":"COURSE_ARCHIVED","eventId":"a1","timestamp":1727414643})");
  }
}

TEST_CASE("deliveries", "[json]") {
  const event events[] = {sample_enrollment(), full_completion()};
  SECTION("batch: the envelope with every event") {
    batch_progress p;
    p.event_id = "p1";
    p.event_name = batch_event_name::learner_progress;
    p.data.progress_percent = 40;
    const event batch[] = {sample_enrollment(), p};
    const delivery d{body_format::batch, id_value("1010", true), array_view<event>(batch, 2)};
    CHECK(to_json(d) ==
          R"({"accountId":1010,"events":[{"eventId":"d5fb7071-10a9-46b2-9f9e-79dde346c052",)"
          R"("eventName":"COURSE_ENROLLMENT_BATCH","timestamp":1727414643000,)"
          R"("eventInfo":"1727414643000-047210-84242-0","data":{"userId":4279332,)"
          R"("loId":"course:7374992","loInstanceId":"course:7376092_10250977",)"
          R"("loType":"course","enrollmentSource":"ADMIN_ENROLL","dateEnrolled":1727414643}},)"
          R"({"eventId":"p1","eventName":"LEARNER_PROGRESS","data":{"progressPercent":40}}]})");
  }
  SECTION("batch with no events") {
    const delivery d{body_format::batch, id_value("1010", true), {}};
    CHECK(to_json(d) == R"({"accountId":1010,"events":[]})");
  }
  SECTION("AsyncAPI: the one event is the body") {
    const delivery d{body_format::asyncapi, id_value("1010"), array_view<event>(events + 1, 1)};
    CHECK(to_json(d) == to_json(full_completion()));
  }
  SECTION("AsyncAPI with no event") {
    const delivery d{body_format::asyncapi, id_value("1010"), {}};
    CHECK(to_json(d) == "{}");
  }
}

TEST_CASE("write_json appends to a buffer; every overload writes the same text", "[json]") {
  fmt::memory_buffer out;
  out.append(std::string_view("prefix:"));
  const learner_completion e = full_completion();
  REQUIRE(write_json(out, e));
  const std::string expected = "prefix:" + to_json(e);
  CHECK(fmt::to_string(out) == expected);

  out.clear();
  REQUIRE(write_json(out, event(e)));
  CHECK(fmt::to_string(out) == to_json(e));

  const event one[] = {e};
  out.clear();
  REQUIRE(
      write_json(out, delivery{body_format::asyncapi, e.account_id, array_view<event>(one, 1)}));
  CHECK(fmt::to_string(out) == to_json(e));
}

TEST_CASE("a warm buffer is reused without growing", "[json]") {
  fmt::memory_buffer out;
  const batch_enrollment e = sample_enrollment();
  REQUIRE(write_json(out, e, id_value("1010", true)));
  const std::size_t size = out.size();
  out.reserve(4096);
  const std::size_t capacity = out.capacity();
  const char* data = out.data();
  for (int i = 0; i < 100; ++i) {
    out.clear();
    REQUIRE(write_json(out, e, id_value("1010", true)));
  }
  CHECK(out.size() == size);
  CHECK(out.capacity() == capacity);
  CHECK(out.data() == data);
}

TEST_CASE("the JSON number grammar used for numeric ids", "[json]") {
  using alm::webhooks::detail::is_json_number;
  CHECK(is_json_number("0"));
  CHECK(is_json_number("-0"));
  CHECK(is_json_number("42"));
  CHECK(is_json_number("1.5e-3"));
  CHECK(is_json_number("2E+10"));
  CHECK_FALSE(is_json_number(""));
  CHECK_FALSE(is_json_number("-"));
  CHECK_FALSE(is_json_number("01"));
  CHECK_FALSE(is_json_number("1."));
  CHECK_FALSE(is_json_number(".5"));
  CHECK_FALSE(is_json_number("1e"));
  CHECK_FALSE(is_json_number("+1"));
  CHECK_FALSE(is_json_number("1 "));
  CHECK_FALSE(is_json_number("0x10"));
}

// ---- Round trips through the parser --------------------------------------------------------

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every fixture body: all of asyncapi/ and batch/, and the top-level legacy samples.
std::vector<std::filesystem::path> fixture_bodies() {
  const std::filesystem::path root(ALM_WEBHOOKS_TEST_DATA);
  std::vector<std::filesystem::path> paths;
  for (const char* dir : {"asyncapi", "batch"}) {
    for (const auto& entry : std::filesystem::directory_iterator(root / dir)) {
      if (entry.path().extension() == ".json") paths.push_back(entry.path());
    }
  }
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (entry.path().filename().string().rfind("legacy-", 0) == 0) paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// parse(to_json(x)) == x for the whole delivery and for each event alone, and writing the
// re-parsed value gives the same text again.
void check_round_trip(std::string_view body) {
  parser first_parser;
  const result<delivery> first = first_parser.parse(body);
  INFO(body);
  REQUIRE(first);
  REQUIRE_FALSE(first->events.empty());

  const std::string whole = to_json(*first);
  INFO(whole);
  parser again_parser;
  const result<delivery> again = again_parser.parse(whole);
  REQUIRE(again);
  CHECK(again->format == first->format);
  CHECK(again->account_id == first->account_id);
  REQUIRE(again->events.size() == first->events.size());
  for (std::size_t i = 0; i < first->events.size(); ++i) {
    CHECK(again->events[i] == first->events[i]);
  }
  CHECK(to_json(*again) == whole);

  for (const event& e : first->events) {
    const std::string json = to_json(e, first->account_id);
    INFO(json);
    parser one_parser;
    const result<delivery> one = one_parser.parse(json);
    REQUIRE(one);
    REQUIRE(one->events.size() == 1);
    CHECK(one->events[0].index() == e.index());
    CHECK(one->events[0] == e);
    CHECK(one->account_id == first->account_id);
    CHECK(to_json(one->events[0], one->account_id) == json);
  }
}

template <class T>
struct type_tag {
  using type = T;
};

template <class... Ts, class Fn>
void for_each_alternative(std::variant<Ts...>*, Fn&& fn) {
  (fn(type_tag<Ts>{}), ...);
}

}  // namespace

TEST_CASE("every fixture survives parse, write, parse", "[json][round-trip]") {
  const auto paths = fixture_bodies();
  REQUIRE(paths.size() >= 22);  // 13 AsyncAPI types, every batch group, the legacy samples
  std::size_t asyncapi_types = 0;
  for (const auto& path : paths) {
    INFO(path.string());
    check_round_trip(read_file(path));
    if (path.parent_path().filename() == "asyncapi") ++asyncapi_types;
  }
  CHECK(asyncapi_types == 13);
}

TEST_CASE("round trips keep escapes, unknown events and unusual forms", "[json][round-trip]") {
  SECTION("escaped and non-ASCII strings") {
    check_round_trip(R"({"eventType":"USER_UPDATED","eventId":"q\"1\\","accountId":"10\u00310",)"
                     R"("timestamp":"2024-11-08T05:49:52.5+02:00","user":{"userId":"u\n1",)"
                     R"("name":"Ren\u00e9e \u2713 \ud83c\udf93 caf\u00e9","email":"\/a@b.c"},)"
                     R"("updatedFields":["name","e\tmail",""]})");
  }
  SECTION("an unknown AsyncAPI event stays raw") {
    check_round_trip(R"({ "eventType": "COURSE_ARCHIVED", "eventId": "a-1", "accountId": "1010",)"
                     R"( "timestamp": "2025-01-14T09:30:00Z", "extra": [1, {"x": null}] })");
  }
  SECTION("numbers as ids, epoch dates, unknown enum spellings") {
    check_round_trip(
        R"({"accountId":"1010","events":[{"eventId":77,"eventName":"LEARNER_PROGRESS",)"
        R"("timestamp":1725604147,"eventInitiator":3897410,"data":{"userId":"4279332",)"
        R"("loId":"course:1","loType":"jobAid","dateStarted":1727414643000,)"
        R"("progressPercent":0,"moduleId":"m-1"}},)"
        R"({"eventId":"c","eventName":"COURSE_COMPLETED","data":{"userId":1,)"
        R"("enrollmentSource":"PEER_ENROLL","hasPassed":false,"score":0.1}}]})");
  }
  SECTION("data before eventName, and an envelope without accountId") {
    check_round_trip(R"({"events":[{"data":{"loInstanceId":"course:1_2","seatLimit":30,)"
                     R"("waitlistCount":-1},"eventName":"CI_STATS","eventId":"s"}]})");
  }
}

TEST_CASE("hand-built events of every type read back as themselves", "[json][round-trip]") {
  // Every alternative of `event`, default-built with only what the parser requires.
  const auto check_alternative = [](auto tag) {
    using T = typename decltype(tag)::type;
    T e{};
    e.event_id = "id-1";
    if constexpr (std::is_base_of_v<event_header, T>) {
      e.event_type = to_string(T::type);
      e.account_id = id_value("1010");
      e.timestamp = date_time::from_epoch_number(1727414643);
    } else if constexpr (std::is_same_v<T, raw_event>) {
      e.event_name = "SOMETHING_NEW";
      e.data = raw_json{R"({"k":[true]})"};
    } else {
      // The first name of the struct's group.
      for (const auto& entry : enum_traits<batch_event_name>::names) {
        if (batch_group_of<typename T::data_type>::value == group_of(entry.first)) {
          e.event_name = entry.first;
          break;
        }
      }
    }
    parser p;
    const std::string json = to_json(e, id_value("1010", true));
    INFO(json);
    const result<delivery> d = p.parse(json);
    REQUIRE(d);
    REQUIRE(d->events.size() == 1);
    const T* back = std::get_if<T>(&d->events[0]);
    REQUIRE(back != nullptr);
    CHECK(*back == e);
  };
  for_each_alternative(static_cast<event*>(nullptr), check_alternative);
}
