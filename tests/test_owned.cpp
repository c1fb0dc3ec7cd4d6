#include "alm/webhooks/owned.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "alm/webhooks/json_writer.hpp"
#include "alm/webhooks/parser.hpp"
#include "catch.hpp"

using namespace alm::webhooks;

namespace {

// Escapes make the parser unescape into its own storage, and the array lives there too: both
// must come along into the owned copy.
constexpr std::string_view asyncapi_body =
    R"({"eventType":"USER_CREATED","eventId":"evt-\u00e9-1","accountId":"1010",)"
    R"("timestamp":"2024-11-08T03:49:52.000Z","source":"admin",)"
    R"("user":{"userId":"u-42","name":"Ren\u00e9e \"R\" Lee","email":"r@example.com",)"
    R"("roles":["Learner","Author\tX"],"userType":"Internal"},"creationMethod":"csvImport"})";

constexpr std::string_view batch_body =
    R"({"accountId":1010,"events":[)"
    R"({"eventId":"e-1","eventName":"COURSE_ENROLLMENT","timestamp":1727414643000,)"
    R"("data":{"userId":4279332,"loId":"course:7374992","loType":"course",)"
    R"("enrollmentSource":"ADMIN_ENROLL","dateEnrolled":1727414643}},)"
    R"({"eventId":"g-\"2\"","eventName":"RESPONSE:ASYNCAPI_USERGROUP_USER_ADDED",)"
    R"("data":{"status":"SUCCESS","request":{"metadata":{"by":"\u00e9"},)"
    R"("data":[{"type":"user","id":7},{"type":"user","id":"u-8"}]}}},)"
    R"({"eventId":"x-3","eventName":"SOMETHING_NEW","data":{"a":[1,2]}}]})";

// Overwrites every byte of a body that a parser has read, and parses another body with the same
// parser: whatever still points into either is garbage afterwards.
void clobber(std::string& body, parser& p) {
  body.assign(body.size(), '#');
  const result<delivery> other = p.parse(std::string_view(
      R"({"eventType":"USER_DELETED","eventId":"zzzzzzzzzzzzzzzzzzzzzz","accountId":"9",)"
      R"("timestamp":"2000-01-01T00:00:00Z","user":{"userId":"\u0041\u0042\u0043\u0044",)"
      R"("name":"\u0058\u0058\u0058\u0058\u0058\u0058\u0058\u0058\u0058\u0058\u0058"}})"));
  REQUIRE(other);
}

}  // namespace

TEST_CASE("an owned AsyncAPI event outlives its parser and body", "[owned]") {
  std::string body(asyncapi_body);
  parser p;
  const result<delivery> d = p.parse(body);
  REQUIRE(d);
  const auto& original = std::get<user_created>(d->events[0]);
  const std::string expected_json = to_json(original);
  parser keep;
  const result<delivery> reference = keep.parse(std::string(asyncapi_body));
  REQUIRE(reference);

  result<owned<user_created>> copy = to_owned(original);
  REQUIRE(copy);
  clobber(body, p);

  const user_created& e = copy->get();
  CHECK(e == std::get<user_created>(reference->events[0]));
  CHECK(e.event_id == "evt-\xc3\xa9-1");
  REQUIRE(e.user);
  CHECK(e.user->name ==
        "Ren\xc3\xa9"
        "e \"R\" Lee");
  REQUIRE(e.user->roles.size() == 2);
  CHECK(e.user->roles[1] == "Author\tX");
  CHECK(e.creation_method == user_creation_method::csv_import);
  CHECK(copy->account_id() == "1010");
  CHECK(copy->json() == expected_json);
  CHECK((*copy.value()).event_type == "USER_CREATED");
  CHECK(copy.value()->event_type == "USER_CREATED");
}

TEST_CASE("owned batch events keep the account they were given", "[owned]") {
  std::string body(batch_body);
  parser p;
  const result<delivery> d = p.parse(body);
  REQUIRE(d);
  REQUIRE(d->events.size() == 3);

  std::vector<owned<event>> kept;
  std::vector<std::string> expected;
  for (const event& e : d->events) {
    result<owned<event>> copy = to_owned(e, d->account_id);
    REQUIRE(copy);
    expected.push_back(to_json(e, d->account_id));
    kept.push_back(std::move(copy).value());
  }
  result<owned<batch_enrollment>> typed =
      to_owned(std::get<batch_enrollment>(d->events[0]), d->account_id);
  REQUIRE(typed);
  clobber(body, p);

  parser fresh;
  const result<delivery> reference = fresh.parse(std::string(batch_body));
  REQUIRE(reference);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    CHECK(kept[i].get() == reference->events[i]);
    CHECK(kept[i].account_id() == "1010");
    CHECK(kept[i].account_id().is_number);
    CHECK(to_json(kept[i].get(), kept[i].account_id()) == expected[i]);
  }
  CHECK(typed->get() == std::get<batch_enrollment>(reference->events[0]));
  const auto& group = std::get<batch_user_group_response>(kept[1].get());
  REQUIRE(group.data.request);
  CHECK(group.data.request->metadata.text == R"({"by":"\u00e9"})");
  REQUIRE(group.data.request->data.size() == 2);
  CHECK(group.data.request->data[1].id == "u-8");
  CHECK(std::get<raw_event>(kept[2].get()).data.text == "{\"a\":[1,2]}");

  SECTION("without an account, a batch event is owned with none") {
    parser q;
    const result<delivery> again = q.parse(std::string(batch_body));
    REQUIRE(again);
    const result<owned<event>> bare = to_owned(again->events[0]);
    REQUIRE(bare);
    CHECK_FALSE(bare->account_id().present());
    CHECK(bare->get() == again->events[0]);
  }
}

TEST_CASE("copies re-parse into their own storage; moves keep it", "[owned]") {
  parser p;
  const result<delivery> d = p.parse(std::string_view(asyncapi_body));
  REQUIRE(d);
  result<owned<event>> made = to_owned(d->events[0]);
  REQUIRE(made);
  auto first = std::make_unique<owned<event>>(std::move(made).value());
  const auto& name_in_first = std::get<user_created>(first->get()).user->name;

  SECTION("copy construction") {
    const owned<event> second(*first);
    const auto& name_in_second = std::get<user_created>(second.get()).user->name;
    CHECK(name_in_second == name_in_first);
    CHECK(name_in_second.data() != name_in_first.data());
    CHECK(second.json().data() != first->json().data());
    first.reset();  // the copy does not depend on the original
    CHECK(second.get() == d->events[0]);
    CHECK(std::get<user_created>(second.get()).user->roles[1] == "Author\tX");
  }
  SECTION("copy assignment, including to itself") {
    parser q;
    const result<delivery> other = q.parse(std::string_view(batch_body));
    REQUIRE(other);
    result<owned<event>> target = to_owned(other->events[1], other->account_id);
    REQUIRE(target);
    target.value() = *first;
    first.reset();
    CHECK(target->get() == d->events[0]);
    CHECK(target->account_id() == "1010");
    owned<event>& self = target.value();
    target.value() = self;
    CHECK(target->get() == d->events[0]);
  }
  SECTION("move construction and assignment keep every view") {
    const char* json_before = first->json().data();
    const char* name_before = name_in_first.data();
    owned<event> moved(std::move(*first));
    CHECK(moved.json().data() == json_before);
    CHECK(std::get<user_created>(moved.get()).user->name.data() == name_before);
    // The moved-from object holds a default event and nothing that views the moved buffers.
    CHECK(first->json().empty());
    CHECK(first->get() == event{});
    first.reset();
    CHECK(moved.get() == d->events[0]);

    parser q;
    const result<delivery> other = q.parse(std::string_view(batch_body));
    REQUIRE(other);
    result<owned<event>> target = to_owned(other->events[0], other->account_id);
    REQUIRE(target);
    target.value() = std::move(moved);
    CHECK(target->json().data() == json_before);
    CHECK(target->get() == d->events[0]);
  }
}

TEST_CASE("an owned event can be handed to another thread", "[owned]") {
  std::string body(asyncapi_body);
  parser p;
  const result<delivery> d = p.parse(body);
  REQUIRE(d);
  result<owned<user_created>> copy = to_owned(std::get<user_created>(d->events[0]));
  REQUIRE(copy);
  std::string seen;
  std::thread worker([e = std::move(copy).value(), &seen] { seen = std::string(e->user->name); });
  clobber(body, p);
  worker.join();
  CHECK(seen ==
        "Ren\xc3\xa9"
        "e \"R\" Lee");
}

TEST_CASE("events that cannot be read back are errors, not exceptions", "[owned]") {
  SECTION("an AsyncAPI event built without its required fields") {
    learner_completion e;
    e.event_id = "c-1";  // no accountId
    const result<owned<learner_completion>> r = to_owned(e);
    REQUIRE_FALSE(r);
    CHECK(r.code() == error_code::missing_field);
    CHECK(r.error().path == "accountId");
  }
  SECTION("a batch event without a name") {
    batch_completion e;
    e.event_id = "c-2";
    const result<owned<batch_completion>> r = to_owned(e, id_value("1010", true));
    REQUIRE_FALSE(r);
    CHECK(r.code() == error_code::missing_field);
    CHECK(r.error().path == "events[0].eventName");
  }
  SECTION("a batch event whose name belongs to another group") {
    batch_completion e;
    e.event_id = "c-3";
    e.event_name = batch_event_name::learner_progress;
    const result<owned<batch_completion>> r = to_owned(e, id_value("1010", true));
    REQUIRE_FALSE(r);
    CHECK(r.code() == error_code::invalid_value);
    CHECK(r.error().message.find("LEARNER_PROGRESS") != std::string::npos);
    // As the variant it is owned fine, as what it reads back as.
    const result<owned<event>> as_event = to_owned(event(e), id_value("1010", true));
    REQUIRE(as_event);
    CHECK(std::holds_alternative<batch_progress>(as_event->get()));
  }
  SECTION("an AsyncAPI event whose eventType names another type") {
    learner_completion e;
    e.event_type = "LEARNER_PROGRESS";
    e.event_id = "c-4";
    e.account_id = id_value("1010");
    const result<owned<learner_completion>> r = to_owned(e);
    REQUIRE_FALSE(r);
    CHECK(r.code() == error_code::invalid_value);
  }
}

TEST_CASE("owned is only for events", "[owned]") {
  CHECK(std::is_copy_constructible_v<owned<event>>);
  CHECK(std::is_nothrow_move_constructible_v<owned<event>>);
  CHECK(std::is_nothrow_move_assignable_v<owned<learner_completion>>);
  CHECK_FALSE(std::is_default_constructible_v<owned<event>>);
  CHECK(detail::is_ownable_v<raw_event>);
  CHECK(detail::is_ownable_v<batch_ci_stats>);
  CHECK_FALSE(detail::is_ownable_v<learner_reference>);
  CHECK_FALSE(detail::is_ownable_v<delivery>);
}
