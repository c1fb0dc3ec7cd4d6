// The parser allocates nothing once warm. This executable replaces the global operator new and
// delete to count heap allocations while a parse runs.
#include <cstddef>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>

#include "allocation_counter.hpp"
#include "alm/webhooks/parser.hpp"
#include "catch.hpp"

using test_support::allocations;
using test_support::counting;

namespace {

namespace aw = alm::webhooks;

/// Heap allocations made by one parse of `body`, which must succeed.
template <class Body>
std::size_t allocations_of(aw::parser& p, const Body& body, std::size_t expected_events) {
  allocations = 0;
  counting = true;
  auto r = p.parse(body);
  counting = false;
  REQUIRE(r.has_value());
  CHECK(r->events.size() == expected_events);
  return allocations;
}

/// One event of each shape the batch format has, arrays included, in turn. With `data_first`,
/// every `data` precedes its `eventName` (the deferred path with the second parser).
std::string batch_body(std::size_t count, bool data_first) {
  const char* names[] = {"COURSE_ENROLLMENT",
                         "COURSE_COMPLETED",
                         "COURSE_UNENROLLMENT",
                         "LEARNER_PROGRESS",
                         "CI_STATS",
                         "LEARNING_OBJECT_MODIFICATION",
                         "LEARNING_OBJECT_INSTANCE_DELETION",
                         "RESPONSE:ASYNCAPI_USERGROUP_USER_ADDED",
                         "SOMETHING_NEW"};
  const char* data[] = {
      R"({"userId":4279332,"loId":"course:7374992","loInstanceId":"course:7374992_10250977","loType":"course","enrollmentSource":"ADMIN_ENROLL","dateEnrolled":1727414643})",
      R"({"userId":"4279332","loId":"course:7374992","loInstanceId":"course:7374992_10250977","loType":"course","dateCompleted":"2024-11-12T16:05:30.000Z","hasPassed":true,"score":88.5})",
      R"({"userId":5120887,"loId":"certification:98213","loInstanceId":"certification:98213_310045","loType":"certification","enrollmentSource":"SELF_ENROLL"})",
      R"({"userId":5120887,"loId":"course:7374992","loInstanceId":"course:7374992_10250977","loType":"course","dateStarted":1731222847000,"progressPercent":45,"moduleId":"module:3318420"})",
      R"({"loInstanceId":"course:7374992_10250977","waitlistCount":3,"enrollmentCount":25,"seatLimit":25,"seatAvailability":0,"waitListLimit":10,"waitlistAvailability":7})",
      R"({"loId":"learningProgram:155203","loType":"learning_program"})",
      R"({"loInstanceId":"course:7401155_10301003","loId":"course:7401155","loType":"course"})",
      R"({"status":"SUCCESS","request":{"metadata":{"userGroupId":"3318"},"data":[{"type":"user","id":4279332},{"type":"user","id":"5120887"},{"type":"user","id":"caf\u00e9"}]}})",
      R"({"anything":[1,{"x":"y"}]})"};
  std::string body = R"({"accountId":1010,"events":[)";
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t k = i % 9;
    const std::string id = "\"eventId\":\"evt-" + std::to_string(i) + "-\\u00e9\",";
    const std::string name = std::string("\"eventName\":\"") + names[k] + "\",";
    const std::string rest =
        R"("timestamp":"2024-11-08T03:49:52.000Z","eventInfo":"1727414643000-047210-84242-0",)";
    const std::string payload = std::string("\"data\":") + data[k];
    if (i) body += ',';
    body += '{';
    body += data_first ? payload + "," + id + rest + name.substr(0, name.size() - 1)
                       : id + name + rest + payload;
    body += '}';
  }
  body += "]}";
  return body;
}

}  // namespace

TEST_CASE("a warm parser parses a 100-event batch without allocating", "[parser][allocations]") {
  aw::parser p;
  for (const bool data_first : {false, true}) {
    INFO("data first: " << data_first);
    const std::string text = batch_body(100, data_first);
    const simdjson::padded_string padded(text);
    const simdjson::padded_string_view view(padded);
    allocations_of(p, view, 100);  // warm-up: buffers grow to size
    CHECK(allocations_of(p, view, 100) == 0);
    CHECK(allocations_of(p, view, 100) == 0);
    // The copying entry point reuses its buffer too.
    allocations_of(p, std::string_view(text), 100);
    CHECK(allocations_of(p, std::string_view(text), 100) == 0);
    // A smaller body of the same kind needs nothing new either.
    const std::string smaller = batch_body(40, data_first);
    CHECK(allocations_of(p, std::string_view(smaller), 40) == 0);
  }
}

TEST_CASE("a warm parser reads AsyncAPI events without allocating", "[parser][allocations]") {
  aw::parser p;
  const std::string bodies[] = {
      // Name first: the single pass.
      R"({"eventType":"USER_CREATED","eventId":"b3d85f70","accountId":"1010","timestamp":"2024-09-02T06:30:00.000Z",)"
      R"("user":{"userId":"6034518","name":"Jean-Luc","roles":["learner","manager","author"],"userType":"Internal"},"creationMethod":"ssoProvisioned"})",
      // Type-specific keys first: the rewind.
      R"({"updatedFields":["name","description"],"learningObject":{"loId":"course:1","loType":"course"},)"
      R"("eventType":"COURSE_UPDATED","eventId":"6d3c0a87","accountId":"1010","timestamp":1727414643})",
      // An unknown type: a raw event.
      R"({"eventType":"COURSE_ARCHIVED","eventId":"x","accountId":"1010","timestamp":1727414643,"course":{"id":1}})"};
  for (const auto& body : bodies) {
    INFO(body);
    allocations_of(p, std::string_view(body), 1);
    CHECK(allocations_of(p, std::string_view(body), 1) == 0);
  }
  // Warm for all three, in turn.
  for (const auto& body : bodies)
    CHECK(allocations_of(p, std::string_view(body), 1) == 0);
}

TEST_CASE("the allocation counter sees allocations", "[parser][allocations]") {
  // A fresh parser must allocate its buffers: proof that the counter is wired in.
  aw::parser p;
  const std::string text = batch_body(10, false);
  CHECK(allocations_of(p, std::string_view(text), 10) > 0);
}
