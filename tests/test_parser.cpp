#include "alm/webhooks/parser.hpp"

#include "alm/webhooks/json_writer.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <simdjson.h>

#include "catch.hpp"

namespace aw = alm::webhooks;
using aw::body_format;
using aw::error_code;

namespace {

std::string read_file(const std::string& relative) {
  std::ifstream in(std::string(ALM_WEBHOOKS_TEST_DATA) + "/" + relative, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Parses and requires success; the delivery views `p` and `body`.
aw::delivery parse_ok(aw::parser& p, std::string_view body) {
  auto r = p.parse(body);
  if (!r) FAIL_CHECK(r.error().to_string());
  REQUIRE(r.has_value());
  return *r;
}

aw::error parse_error(std::string_view body, aw::parser_options options = {}) {
  aw::parser p(options);
  auto r = p.parse(body);
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

void expect_error(std::string_view body, error_code code, std::string_view path,
                  aw::parser_options options = {}) {
  INFO("body: " << body.substr(0, 200));
  const aw::error e = parse_error(body, options);
  INFO("error: " << e.to_string());
  CHECK(e.code == code);
  CHECK(e.path == path);
  CHECK_FALSE(e.message.empty());
}

template <class T>
const T& only_event(const aw::delivery& d) {
  REQUIRE(d.events.size() == 1);
  REQUIRE(std::holds_alternative<T>(d.events[0]));
  return std::get<T>(d.events[0]);
}

template <class T>
const T& event_at(const aw::delivery& d, std::size_t i) {
  REQUIRE(i < d.events.size());
  REQUIRE(std::holds_alternative<T>(d.events[i]));
  return std::get<T>(d.events[i]);
}

aw::date_time iso(std::string_view text) {
  auto r = aw::date_time::parse_iso8601(text);
  REQUIRE(r.has_value());
  return *r;
}

// ---- An independent oracle: simdjson's DOM parser, walked through the same field tables ----

using dom_element = simdjson::dom::element;

std::optional<dom_element> find_key(dom_element object, std::string_view name) {
  dom_element found;
  if (!object.is_object()) return std::nullopt;
  if (!object.get_object().at_key(name).get(found)) return found;
  // The older batch aliases.
  const std::string_view alias = name == "timestamp" ? "eventTime"
                                 : name == "data"    ? "eventData"
                                                     : "";
  if (!alias.empty() && !object.get_object().at_key(alias).get(found)) return found;
  return std::nullopt;
}

std::string number_text(dom_element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::INT64:
      return std::to_string(int64_t(e));
    case simdjson::dom::element_type::UINT64:
      return std::to_string(uint64_t(e));
    default:
      return simdjson::to_string(e);
  }
}

aw::date_time oracle_date(dom_element e) {
  if (e.is_string()) {
    auto r = aw::date_time::parse(std::string_view(e));
    REQUIRE(r.has_value());
    return *r;
  }
  return aw::date_time::from_epoch_number(int64_t(e));
}

/// `json` as compact text with the members of every object sorted by key, to compare values
/// whatever the order they were sent in.
std::string canonical_json(dom_element json) {
  if (json.is_object()) {
    std::vector<std::pair<std::string, std::string>> members;
    for (auto [key, value] : simdjson::dom::object(json)) {
      members.emplace_back(std::string(key), canonical_json(value));
    }
    std::sort(members.begin(), members.end());
    std::string out = "{";
    for (std::size_t i = 0; i < members.size(); ++i) {
      out += (i ? ",\"" : "\"") + members[i].first + "\":" + members[i].second;
    }
    return out + "}";
  }
  if (json.is_array()) {
    std::string out = "[";
    bool first = true;
    for (dom_element item : simdjson::dom::array(json)) {
      out += (first ? "" : ",") + canonical_json(item);
      first = false;
    }
    return out + "]";
  }
  return simdjson::to_string(json);
}

template <class T>
void expect_object(const T& parsed, dom_element json, const std::string& path);

template <class M>
void expect_member(const M& m, std::optional<dom_element> json, const std::string& path) {
  INFO("field " << path);
  const bool present = json.has_value() && !json->is_null();
  if constexpr (std::is_same_v<M, std::string_view>) {
    if (!present) {
      CHECK(m.empty());
    } else if (json->is_string()) {
      CHECK(m == std::string_view(*json));
    } else {
      CHECK(std::string(m) == number_text(*json));
    }
  } else if constexpr (std::is_same_v<M, aw::id_value>) {
    if (!present) {
      CHECK_FALSE(m.present());
    } else if (json->is_string()) {
      CHECK(m.text == std::string_view(*json));
      CHECK_FALSE(m.is_number);
    } else {
      CHECK(std::string(m.text) == number_text(*json));
      CHECK(m.is_number);
    }
  } else if constexpr (aw::detail::is_enum_value<M>::value) {
    if (!present) {
      CHECK_FALSE(m.present());
    } else {
      CHECK(m.text == std::string_view(*json));
      CHECK(m.value == aw::enum_from_string<decltype(m.value)>(std::string_view(*json)));
    }
  } else if constexpr (std::is_same_v<M, aw::date_time>) {
    REQUIRE(present);
    CHECK(m == oracle_date(*json));
  } else if constexpr (std::is_same_v<M, aw::raw_json>) {
    if (!json) {
      CHECK_FALSE(m.present());
    } else {
      simdjson::dom::parser reparser;
      dom_element reparsed;
      REQUIRE_FALSE(reparser.parse(simdjson::padded_string(m.text)).get(reparsed));
      CHECK(canonical_json(reparsed) == canonical_json(*json));
    }
  } else if constexpr (aw::detail::is_optional<M>::value) {
    using V = typename M::value_type;
    REQUIRE(m.has_value() == present);
    if (!present) return;
    if constexpr (std::is_same_v<V, aw::date_time>) {
      CHECK(*m == oracle_date(*json));
    } else if constexpr (std::is_same_v<V, std::int64_t>) {
      CHECK(*m == int64_t(*json));
    } else if constexpr (std::is_same_v<V, double>) {
      CHECK(*m == double(*json));
    } else if constexpr (std::is_same_v<V, bool>) {
      CHECK(*m == bool(*json));
    } else {
      expect_object(*m, *json, path);
    }
  } else if constexpr (aw::detail::is_array_view<M>::value) {
    using E = typename M::value_type;
    if (!present) {
      CHECK(m.empty());
      return;
    }
    const simdjson::dom::array array = *json;
    REQUIRE(m.size() == array.size());
    std::size_t i = 0;
    for (dom_element item : array) {
      if constexpr (std::is_same_v<E, std::string_view>) {
        CHECK(m[i] == std::string_view(item));
      } else {
        expect_object(m[i], item, path + "[" + std::to_string(i) + "]");
      }
      ++i;
    }
  } else {
    static_assert(aw::detail::is_described_v<M>);
    REQUIRE(json.has_value());
    expect_object(m, *json, path);
  }
}

template <class T>
void expect_object(const T& parsed, dom_element json, const std::string& path) {
  aw::detail::for_each_field(parsed, [&](const auto& field, const auto& member) {
    expect_member(member, find_key(json, field.name), path + "." + std::string(field.name));
  });
}

/// A fixture is maximal when it sets every field of its struct (minus `absent`, fields the
/// schema does not give that shape) and nothing the struct does not know.
template <class T>
void expect_maximal(dom_element json, const std::string& path,
                    const std::vector<std::string>& absent);

template <class M>
void expect_maximal_member(dom_element json, const std::string& path,
                           const std::vector<std::string>& absent) {
  if constexpr (aw::detail::is_optional<M>::value) {
    expect_maximal_member<typename M::value_type>(json, path, absent);
  } else if constexpr (aw::detail::is_array_view<M>::value) {
    using E = typename M::value_type;
    if constexpr (aw::detail::is_described_v<E>) {
      for (dom_element item : simdjson::dom::array(json))
        expect_maximal<E>(item, path, absent);
    }
  } else if constexpr (aw::detail::is_described_v<M>) {
    expect_maximal<M>(json, path, absent);
  }
}

template <class T>
void expect_maximal(dom_element json, const std::string& path,
                    const std::vector<std::string>& absent) {
  std::vector<std::string> names;
  std::apply(
      [&](const auto&... field) {
        (
            [&] {
              using M = typename std::decay_t<decltype(field)>::member_type;
              const std::string name(field.name);
              names.push_back(name);
              const std::string here = path + "." + name;
              INFO("fixture property " << here);
              const auto value = find_key(json, name);
              bool exempt = false;
              for (const auto& a : absent)
                exempt = exempt || a == here;
              if (exempt) return;
              REQUIRE(value.has_value());
              expect_maximal_member<M>(*value, here, absent);
            }(),
            ...);
      },
      aw::fields_of<T>::value);
  for (auto [key, value] : simdjson::dom::object(json)) {
    (void)value;
    std::string k(key);
    if (k == "eventTime") k = "timestamp";
    if (k == "eventData") k = "data";
    INFO("fixture key " << path << "." << k);
    CHECK(std::find(names.begin(), names.end(), k) != names.end());
  }
}

dom_element load_dom(simdjson::dom::parser& p, const std::string& text) {
  dom_element root;
  REQUIRE_FALSE(p.parse(text).get(root));
  return root;
}

template <class T>
const T& check_asyncapi_fixture(aw::parser& p, const std::string& file, std::string& text,
                                const std::vector<std::string>& absent = {}) {
  INFO("fixture " << file);
  text = read_file("asyncapi/" + file + ".json");
  const aw::delivery d = parse_ok(p, text);
  CHECK(d.format == body_format::asyncapi);
  const T& e = only_event<T>(d);
  simdjson::dom::parser dom;
  const dom_element root = load_dom(dom, text);
  expect_object(e, root, "");
  expect_maximal<T>(root, "", absent);
  CHECK(e.event_type == aw::to_string(T::type));
  CHECK(d.account_id == e.account_id);
  CHECK(e.source.known());
  return e;
}

/// Checks every event of a batch fixture against the oracle and returns the delivery.
aw::delivery check_batch_fixture(aw::parser& p, const std::string& file, std::string& text) {
  INFO("fixture " << file);
  text = read_file(file);
  const aw::delivery d = parse_ok(p, text);
  CHECK(d.format == body_format::batch);
  simdjson::dom::parser dom;
  const dom_element root = load_dom(dom, text);
  expect_member(d.account_id, find_key(root, "accountId"), "accountId");
  const simdjson::dom::array events = root["events"];
  REQUIRE(d.events.size() == events.size());
  std::size_t i = 0;
  for (dom_element json : events) {
    std::visit([&](const auto& e) { expect_object(e, json, "events[" + std::to_string(i) + "]"); },
               d.events[i]);
    ++i;
  }
  return d;
}

/// `json` as compact text with the members of every object in reverse order: an AsyncAPI
/// event's payload then comes before its eventType, a batch event's data before its eventName.
std::string reversed_json(dom_element json) {
  if (json.is_object()) {
    std::vector<std::string> members;
    for (auto [key, value] : simdjson::dom::object(json)) {
      members.insert(members.begin(), "\"" + std::string(key) + "\":" + reversed_json(value));
    }
    std::string out = "{";
    for (std::size_t i = 0; i < members.size(); ++i)
      out += (i ? "," : "") + members[i];
    return out + "}";
  }
  if (json.is_array()) {
    std::string out = "[";
    bool first = true;
    for (dom_element item : simdjson::dom::array(json)) {
      out += (first ? "" : ",") + reversed_json(item);
      first = false;
    }
    return out + "]";
  }
  return simdjson::to_string(json);
}

}  // namespace

// ---- AsyncAPI fixtures ----------------------------------------------------------------------

TEST_CASE("every AsyncAPI event type reads every property of its schema", "[parser][asyncapi]") {
  aw::parser p;
  std::string text;
  {
    const auto& e = check_asyncapi_fixture<aw::learner_enrollment>(p, "learner_enrollment", text);
    CHECK(e.event_id == "3f2b9c1e-8d4a-4f6b-9e2d-7a1c5b8e0f34");
    CHECK(e.account_id == "1010");
    CHECK_FALSE(e.account_id.is_number);
    CHECK(e.timestamp == iso("2024-11-08T03:49:52.000Z"));
    CHECK(e.timestamp.form() == aw::time_form::iso8601);
    CHECK(e.source == aw::event_source::admin);
    REQUIRE(e.learner);
    CHECK(e.learner->user_id == "4279332");
    CHECK(e.learner->name == "Priya Raman");
    CHECK(e.learner->email == "priya.raman@example.com");
    REQUIRE(e.learning_object);
    CHECK(e.learning_object->lo_id == "course:7374992");
    CHECK(e.learning_object->lo_type == aw::learning_object_type::course);
    CHECK(e.learning_object->name == "Workplace Safety Essentials");
    CHECK(e.learning_object->instance_id == "course:7374992_10250977");
    CHECK(e.enrollment_id == "enrollment:7374992_10250977_4279332");
    CHECK(e.enrollment_type == aw::enrollment_method::admin_enrolled);
    CHECK(e.date_enrolled == iso("2024-11-08T03:49:50Z"));
  }
  {
    const auto& e = check_asyncapi_fixture<aw::learner_completion>(p, "learner_completion", text);
    CHECK(e.learning_object->lo_type == aw::learning_object_type::learning_program);
    CHECK(e.has_passed == true);
    CHECK(e.score == 92.5);
    CHECK(e.progress_percent == 100);
    CHECK(e.timestamp.milliseconds_since_epoch() == 1731427531250);
  }
  {
    const auto& e = check_asyncapi_fixture<aw::learner_progress>(p, "learner_progress", text);
    CHECK(e.progress_percent == 45);
    CHECK(e.learner->name == "Tom\xC3\xA1s \xC3\x81lvarez");
    CHECK(e.timestamp == iso("2024-11-10T07:14:07Z"));  // +02:00 in the body
  }
  {
    const auto& e =
        check_asyncapi_fixture<aw::learner_unenrollment>(p, "learner_unenrollment", text);
    CHECK(e.unenrolled_by == aw::unenrollment_actor::manager);
    CHECK(e.learning_object->lo_type == aw::learning_object_type::certification);
    CHECK(e.date_unenrolled == iso("2024-11-15T11:19:58Z"));
  }
  {
    const auto& e = check_asyncapi_fixture<aw::course_created>(p, "course_created", text);
    CHECK(e.learning_object->name == "Data Privacy \"GDPR\" Refresher");
    CHECK(e.created_by == "3897410");
    CHECK(e.source == aw::event_source::api);
  }
  {
    const auto& e = check_asyncapi_fixture<aw::course_updated>(p, "course_updated", text);
    REQUIRE(e.updated_fields.size() == 4);
    CHECK(e.updated_fields[0] == "name");
    CHECK(e.updated_fields[3] == "skills");
    CHECK(e.updated_by == "3897410");
  }
  {
    const auto& e = check_asyncapi_fixture<aw::badge_awarded>(p, "badge_awarded", text);
    CHECK(e.badge->badge_id == "badge:60321");
    CHECK(e.badge->image_url == "https://cdn.example.com/badges/60321/safety-champion.png");
  }
  {
    const auto& e =
        check_asyncapi_fixture<aw::certification_completed>(p, "certification_completed", text);
    CHECK(e.certification->certification_id == "certification:98213");
    CHECK(e.valid_until == iso("2025-11-20T00:00:00Z"));
    CHECK(e.recertification_deadline == iso("2025-10-20T00:00:00Z"));
  }
  {
    const auto& e = check_asyncapi_fixture<aw::skill_achieved>(p, "skill_achieved", text);
    CHECK(e.skill->level_name == "Practitioner");
    CHECK(e.skill->credits == 2.5);
  }
  {
    const auto& e = check_asyncapi_fixture<aw::user_created>(p, "user_created", text);
    REQUIRE(e.user);
    REQUIRE(e.user->roles.size() == 3);
    CHECK(e.user->roles[1] == "manager");
    CHECK(e.user->user_type == aw::user_kind::internal);
    CHECK(e.creation_method == aw::user_creation_method::sso_provisioned);
  }
  {
    const auto& e = check_asyncapi_fixture<aw::user_updated>(p, "user_updated", text);
    REQUIRE(e.updated_fields.size() == 2);
    CHECK(e.updated_fields[1] == "manager");
  }
  {
    const auto& e =
        check_asyncapi_fixture<aw::user_deleted>(p, "user_deleted", text, {".user.name"});
    CHECK(e.user->user_id == "6034518");
    CHECK(e.user->name.empty());
    CHECK(e.date_deleted == iso("2024-12-01T00:04:58Z"));
  }
  {
    const auto& e = check_asyncapi_fixture<aw::job_completed>(p, "job_completed", text);
    CHECK(e.job->job_type == aw::job_kind::learner_transcript_export);
    CHECK(e.job->status == aw::job_status::completed);
    CHECK(e.job->records_processed == 18342);
    CHECK(e.job->records_failed == 7);
  }
}

// ---- Batch fixtures ---------------------------------------------------------------------------

TEST_CASE("batch fixtures of every group read every field", "[parser][batch]") {
  aw::parser p;
  std::string text;

  SECTION("the seed sample") {
    const auto d = check_batch_fixture(p, "legacy-course-enrollment-batch.json", text);
    CHECK(d.account_id == "1010");
    CHECK(d.account_id.is_number);
    const auto& e = only_event<aw::batch_enrollment>(d);
    CHECK(e.event_id == "d5fb7071-10a9-46b2-9f9e-79dde346c052");
    CHECK(e.event_name == aw::batch_event_name::course_enrollment_batch);
    CHECK(e.event_name.text == "COURSE_ENROLLMENT_BATCH");
    CHECK(e.timestamp->milliseconds_since_epoch() == 1727414643000);
    CHECK(e.timestamp->form() == aw::time_form::epoch_milliseconds);
    CHECK(e.event_info == "1727414643000-047210-84242-0");
    CHECK(e.data.user_id == "4279332");
    CHECK(e.data.user_id.is_number);
    CHECK(e.data.lo_id == "course:7374992");
    CHECK(e.data.lo_instance_id == "course:7376092_10250977");
    CHECK(e.data.lo_type == aw::learning_object_type::course);
    CHECK(e.data.enrollment_source == aw::enrollment_origin::admin_enroll);
    CHECK(e.data.date_enrolled->milliseconds_since_epoch() == 1727414643000);
    CHECK(e.data.date_enrolled->form() == aw::time_form::epoch_seconds);
  }
  SECTION("enrollment: every time form, both loType spellings, an unknown source") {
    const auto d = check_batch_fixture(p, "batch/enrollment.json", text);
    REQUIRE(d.events.size() == 3);
    const auto& first = event_at<aw::batch_enrollment>(d, 0);
    CHECK(first.timestamp == iso("2024-11-08T03:49:52Z"));
    CHECK(first.data.enrollment_source == aw::enrollment_origin::self_enroll);
    const auto& second = event_at<aw::batch_enrollment>(d, 1);
    CHECK(second.data.user_id == "5120887");
    CHECK_FALSE(second.data.user_id.is_number);
    CHECK(second.data.lo_type == aw::learning_object_type::learning_program);
    CHECK(second.data.date_enrolled->form() == aw::time_form::epoch_seconds);
    const auto& rollback = event_at<aw::batch_enrollment>(d, 2);
    CHECK(rollback.event_name == aw::batch_event_name::learning_path_completion_rollback);
    CHECK(rollback.data.lo_type == aw::learning_object_type::learning_program);
    CHECK(rollback.data.lo_type.text == "learning_program");
    CHECK_FALSE(rollback.data.enrollment_source.known());
    CHECK(rollback.data.enrollment_source.text == "MANAGER_NOMINATION");
    CHECK(rollback.data.date_enrolled->milliseconds_since_epoch() == 1725604100000);
    CHECK(rollback.timestamp->milliseconds_since_epoch() == 1725604147000);
  }
  SECTION("completion, including the seed names and a certification without hasPassed") {
    const auto d = check_batch_fixture(p, "batch/completion.json", text);
    REQUIRE(d.events.size() == 4);
    CHECK(event_at<aw::batch_completion>(d, 0).data.score == 88.0);
    CHECK(event_at<aw::batch_completion>(d, 0).data.has_passed == true);
    CHECK_FALSE(event_at<aw::batch_completion>(d, 1).data.has_passed.has_value());
    const auto& seed = event_at<aw::batch_completion>(d, 2);
    CHECK(seed.event_name == aw::batch_event_name::course_completion);
    CHECK(seed.data.has_passed == false);
    CHECK(seed.data.score == 41.5);
    CHECK(seed.event_info.empty());
    const auto& learner = event_at<aw::batch_completion>(d, 3);
    CHECK(learner.event_name == aw::batch_event_name::learner_completion);
    CHECK(learner.timestamp == iso("2024-11-12T16:05:31Z"));
  }
  SECTION("unenrollment with a string accountId") {
    const auto d = check_batch_fixture(p, "batch/unenrollment.json", text);
    CHECK(d.account_id == "1010");
    CHECK_FALSE(d.account_id.is_number);
    CHECK(event_at<aw::batch_unenrollment>(d, 1).event_name ==
          aw::batch_event_name::certification_unenrollment_batch);
  }
  SECTION("progress with and without moduleId") {
    const auto d = check_batch_fixture(p, "batch/progress.json", text);
    const auto& first = event_at<aw::batch_progress>(d, 0);
    CHECK(first.data.progress_percent == 45);
    CHECK(first.data.module_id == "module:3318420");
    CHECK(first.data.date_started == iso("2024-11-10T07:14:07Z"));
    const auto& second = event_at<aw::batch_progress>(d, 1);
    CHECK(second.data.progress_percent == 0);
    CHECK(second.data.module_id.empty());
  }
  SECTION("CI stats with all six counts") {
    const auto d = check_batch_fixture(p, "batch/ci_stats.json", text);
    const auto& e = only_event<aw::batch_ci_stats>(d);
    CHECK(e.data.lo_instance_id == "course:7374992_10250977");
    CHECK(e.data.waitlist_count == 3);
    CHECK(e.data.enrollment_count == 25);
    CHECK(e.data.seat_limit == 25);
    CHECK(e.data.seat_availability == 0);
    CHECK(e.data.wait_list_limit == 10);
    CHECK(e.data.waitlist_availability == 7);
  }
  SECTION("learning objects") {
    const auto d = check_batch_fixture(p, "batch/learning_object.json", text);
    CHECK(event_at<aw::batch_learning_object>(d, 2).data.lo_type ==
          aw::learning_object_type::job_aid);
  }
  SECTION("learning object instances") {
    const auto d = check_batch_fixture(p, "batch/learning_object_instance.json", text);
    CHECK(event_at<aw::batch_learning_object_instance>(d, 1).data.lo_instance_id ==
          "course:7401155_10301003");
  }
  SECTION("both user-group responses") {
    const auto d = check_batch_fixture(p, "batch/user_group_response.json", text);
    const auto& added = event_at<aw::batch_user_group_response>(d, 0);
    CHECK(added.event_name == aw::batch_event_name::usergroup_user_added_response);
    CHECK(added.data.status == "SUCCESS");
    REQUIRE(added.data.request);
    CHECK(added.data.request->metadata.text ==
          R"({ "userGroupId": "3318", "requestedBy": 3897410, "tags": ["q4", "safety"] })");
    REQUIRE(added.data.request->data.size() == 2);
    CHECK(added.data.request->data[0].type == "user");
    CHECK(added.data.request->data[0].id == "4279332");
    CHECK(added.data.request->data[0].id.is_number);
    CHECK(added.data.request->data[1].id == "5120887");
    CHECK_FALSE(added.data.request->data[1].id.is_number);
    const auto& removed = event_at<aw::batch_user_group_response>(d, 1);
    CHECK(removed.event_name == aw::batch_event_name::usergroup_user_removed_response);
    CHECK(removed.data.request->metadata.text == "null");
    REQUIRE(removed.data.request->data.size() == 1);
    CHECK(removed.data.request->data[0].id == "6034518");
  }
  SECTION("an unknown event name keeps its data as raw JSON") {
    const auto d = check_batch_fixture(p, "batch/unknown_event.json", text);
    const auto& e = only_event<aw::raw_event>(d);
    CHECK(e.format == body_format::batch);
    CHECK(e.event_name == "LEARNING_OBJECT_ARCHIVED");
    CHECK(e.event_id == "0f5d2a8c-6e19-4b73-a4c0-9d8e1b7f3a62");
    CHECK(e.event_info == "1736847000000-048010-85001-0");
    CHECK(
        e.data.text ==
        R"({ "loId": "course:7401155", "archivedBy": 3897410, "reasons": ["outdated", { "code": 4 }] })");
  }
  SECTION("the older seed sample: eventTime, eventData, eventInitiator") {
    const auto d = check_batch_fixture(p, "legacy-seed-aliases.json", text);
    const auto& enrollment = event_at<aw::batch_enrollment>(d, 0);
    CHECK(enrollment.timestamp->milliseconds_since_epoch() == 1725604147000);
    CHECK(enrollment.event_initiator == "3897410");
    CHECK(enrollment.event_initiator.is_number);
    CHECK(enrollment.data.user_id == "4279332");
    CHECK(enrollment.data.enrollment_source == aw::enrollment_origin::admin_enroll);
    const auto& completion = event_at<aw::batch_completion>(d, 1);
    CHECK(completion.timestamp == iso("2024-09-06T06:29:07Z"));
    CHECK(completion.event_initiator == "4279332");
    CHECK_FALSE(completion.event_initiator.is_number);
    CHECK(completion.data.score == 100.0);
  }
}

namespace {

aw::batch_group group_of_event(const aw::event& e) {
  using g = aw::batch_group;
  if (std::holds_alternative<aw::batch_enrollment>(e)) return g::enrollment;
  if (std::holds_alternative<aw::batch_completion>(e)) return g::completion;
  if (std::holds_alternative<aw::batch_unenrollment>(e)) return g::unenrollment;
  if (std::holds_alternative<aw::batch_progress>(e)) return g::progress;
  if (std::holds_alternative<aw::batch_ci_stats>(e)) return g::ci_stats;
  if (std::holds_alternative<aw::batch_learning_object>(e)) return g::learning_object;
  if (std::holds_alternative<aw::batch_learning_object_instance>(e)) {
    return g::learning_object_instance;
  }
  if (std::holds_alternative<aw::batch_user_group_response>(e)) return g::user_group_response;
  return g::unknown;
}

}  // namespace

TEST_CASE("every documented event name maps to its data group", "[parser][batch]") {
  using g = aw::batch_group;
  // From spec/legacy-envelope.md: the names and the table of what `data` holds.
  const std::pair<const char*, g> names[] = {
      {"CI_STATS", g::ci_stats},
      {"COURSE_ENROLLMENT", g::enrollment},
      {"COURSE_COMPLETED", g::completion},
      {"LEARNING_PATH_ENROLLMENT", g::enrollment},
      {"LEARNING_PATH_COMPLETED", g::completion},
      {"CERTIFICATION_ENROLLMENT", g::enrollment},
      {"CERTIFICATION_COMPLETED", g::completion},
      {"COURSE_UNENROLLMENT", g::unenrollment},
      {"LEARNING_PATH_UNENROLLMENT", g::unenrollment},
      {"CERTIFICATION_UNENROLLMENT", g::unenrollment},
      {"LEARNING_OBJECT_DRAFT", g::learning_object},
      {"LEARNING_OBJECT_DELETION", g::learning_object},
      {"LEARNING_OBJECT_MODIFICATION", g::learning_object},
      {"LEARNING_OBJECT_INSTANCE_MODIFICATION", g::learning_object_instance},
      {"LEARNING_OBJECT_INSTANCE_DELETION", g::learning_object_instance},
      {"LEARNING_PATH_COMPLETION_ROLLBACK", g::enrollment},
      {"COURSE_ENROLLMENT_BATCH", g::enrollment},
      {"LEARNING_PATH_ENROLLMENT_BATCH", g::enrollment},
      {"CERTIFICATION_ENROLLMENT_BATCH", g::enrollment},
      {"COURSE_COMPLETED_BATCH", g::completion},
      {"LEARNING_PATH_COMPLETED_BATCH", g::completion},
      {"CERTIFICATION_COMPLETED_BATCH", g::completion},
      {"COURSE_UNENROLLMENT_BATCH", g::unenrollment},
      {"LEARNING_PATH_UNENROLLMENT_BATCH", g::unenrollment},
      {"CERTIFICATION_UNENROLLMENT_BATCH", g::unenrollment},
      {"LEARNING_OBJECT_MODIFICATION_BATCH", g::learning_object},
      {"LEARNING_OBJECT_INSTANCE_MODIFICATION_BATCH", g::learning_object_instance},
      {"LEARNING_PATH_COMPLETION_ROLLBACK_BATCH", g::enrollment},
      {"LEARNER_PROGRESS", g::progress},
      {"RESPONSE:ASYNCAPI_USERGROUP_USER_ADDED", g::user_group_response},
      {"RESPONSE:ASYNCAPI_USERGROUP_USER_REMOVED", g::user_group_response},
      {"COURSE_COMPLETION", g::completion},
      {"LEARNER_COMPLETION", g::completion},
      {"SOMETHING_NEW", g::unknown},
  };
  aw::parser p;
  for (const auto& [name, group] : names) {
    INFO(name);
    // Both key orders: the name first (single pass) and the data first (deferred data).
    for (const bool data_first : {false, true}) {
      const std::string entry_name = std::string(R"("eventName":")") + name + "\"";
      const std::string data =
          R"("data":{"loId":"course:7374992","loInstanceId":"course:7374992_1"})";
      const std::string body = R"({"accountId":1010,"events":[{"eventId":"e-1",)" +
                               (data_first ? data + "," + entry_name : entry_name + "," + data) +
                               "}]}";
      const auto d = parse_ok(p, body);
      REQUIRE(d.events.size() == 1);
      CHECK(group_of_event(d.events[0]) == group);
      CHECK(aw::event_name_of(d.events[0]) == name);
      CHECK(aw::event_id_of(d.events[0]) == "e-1");
    }
  }
}

// ---- Variants and key orders ------------------------------------------------------------------

TEST_CASE("dates in every form", "[parser][time]") {
  aw::parser p;
  struct sample {
    const char* json;
    std::int64_t ms;
    aw::time_form form;
  };
  const sample samples[] = {
      {"1727414643", 1727414643000, aw::time_form::epoch_seconds},
      {"1727414643000", 1727414643000, aw::time_form::epoch_milliseconds},
      {R"("1727414643")", 1727414643000, aw::time_form::epoch_seconds},
      {R"("1727414643000")", 1727414643000, aw::time_form::epoch_milliseconds},
      {R"("2024-09-27T05:24:03.000Z")", 1727414643000, aw::time_form::iso8601},
      {R"("2024-09-27T05:24:03Z")", 1727414643000, aw::time_form::iso8601},
      {R"("2024-09-27T07:24:03.000+02:00")", 1727414643000, aw::time_form::iso8601},
      {R"("2024-09-27T05:24:03.123456Z")", 1727414643123, aw::time_form::iso8601},
  };
  for (const auto& s : samples) {
    INFO(s.json);
    const std::string batch =
        std::string(R"({"events":[{"eventId":"e","eventName":"LEARNER_PROGRESS","timestamp":)") +
        s.json + R"(,"data":{"dateStarted":)" + s.json + "}}]}";
    const auto d = parse_ok(p, batch);
    const auto& e = only_event<aw::batch_progress>(d);
    CHECK(e.timestamp->milliseconds_since_epoch() == s.ms);
    CHECK(e.timestamp->form() == s.form);
    CHECK(e.data.date_started->milliseconds_since_epoch() == s.ms);

    const std::string single =
        std::string(R"({"eventType":"COURSE_CREATED","eventId":"e","accountId":"1","timestamp":)") +
        s.json + R"(,"dateCreated":)" + s.json + "}";
    const auto a = parse_ok(p, single);
    const auto& c = only_event<aw::course_created>(a);
    CHECK(c.timestamp.milliseconds_since_epoch() == s.ms);
    CHECK(c.date_created->form() == s.form);
  }
}

TEST_CASE("escaped strings are unescaped", "[parser]") {
  aw::parser p;
  const auto d = parse_ok(
      p,
      R"({"eventType":"LEARNER_ENROLLMENT","eventId":"e\u002d1","accountId":"10\"10","timestamp":"2024-11-08T03:49:52Z",)"
      R"("learner":{"userId":"42","name":"Ren\u00e9e \"Rae\" O\\Brien","email":"line\nbreak\t\ud83d\ude00"}})");
  const auto& e = only_event<aw::learner_enrollment>(d);
  CHECK(e.event_id == "e-1");
  CHECK(e.account_id == "10\"10");
  CHECK(e.learner->name ==
        "Ren\xC3\xA9"
        "e \"Rae\" O\\Brien");
  CHECK(e.learner->email == "line\nbreak\t\xF0\x9F\x98\x80");
}

TEST_CASE("key order does not matter", "[parser][order]") {
  aw::parser p;
  SECTION("AsyncAPI: type-specific keys before eventType (re-read after a rewind)") {
    const auto d = parse_ok(
        p,
        R"({"learner":{"userId":"42","name":"Ana"},"updatedFields":["ignored"],"progressPercent":7,)"
        R"("timestamp":"2024-11-08T03:49:52Z","accountId":"1010","eventId":"e-9","source":"learner",)"
        R"("eventType":"LEARNER_PROGRESS","enrollmentId":"en-1"})");
    const auto& e = only_event<aw::learner_progress>(d);
    CHECK(e.learner->user_id == "42");
    CHECK(e.learner->name == "Ana");
    CHECK(e.progress_percent == 7);
    CHECK(e.event_id == "e-9");
    CHECK(e.account_id == "1010");
    CHECK(e.enrollment_id == "en-1");
    CHECK(e.source == aw::event_source::learner);
    CHECK(d.account_id == "1010");
  }
  SECTION("AsyncAPI: header fields before eventType stay on the single pass") {
    const auto d = parse_ok(
        p,
        R"({"eventId":"e-2","accountId":1010,"timestamp":1731037792000,"eventType":"USER_UPDATED",)"
        R"("user":{"userId":7},"updatedFields":["email","name"]})");
    const auto& e = only_event<aw::user_updated>(d);
    CHECK(e.event_id == "e-2");
    CHECK(e.account_id == "1010");
    CHECK(e.account_id.is_number);
    CHECK(e.user->user_id == "7");
    REQUIRE(e.updated_fields.size() == 2);
    CHECK(e.updated_fields[0] == "email");
  }
  SECTION("batch: data before eventName, several events, escapes in the deferred data") {
    const auto d = parse_ok(
        p,
        R"({"events":[)"
        R"({"data":{"userId":"u\u0031","loId":"course:\"1\"","loType":"learningProgram"},"eventId":"a","eventName":"COURSE_ENROLLMENT"},)"
        R"({"eventId":"b","data":{"userId":2,"loId":"course:2","enrollmentSource":"SELF_ENROLL"},"eventName":"COURSE_UNENROLLMENT"},)"
        R"({"eventData":{"status":"SUCCESS","request":{"data":[{"type":"user","id":"x\u00e9"},{"type":"user","id":3}]}},"eventName":"RESPONSE:ASYNCAPI_USERGROUP_USER_ADDED","eventId":"c"},)"
        R"({"data":{"opaque":[1,2,{"k":"v"}]},"eventName":"NOT_YET_KNOWN","eventId":"d"}],"accountId":"77"})");
    REQUIRE(d.events.size() == 4);
    CHECK(d.account_id == "77");
    const auto& a = event_at<aw::batch_enrollment>(d, 0);
    CHECK(a.event_id == "a");
    CHECK(a.data.user_id == "u1");
    CHECK(a.data.lo_id == "course:\"1\"");
    CHECK(a.data.lo_type == aw::learning_object_type::learning_program);
    const auto& b = event_at<aw::batch_unenrollment>(d, 1);
    CHECK(b.data.user_id == "2");
    CHECK(b.data.user_id.is_number);
    CHECK(b.data.enrollment_source == aw::enrollment_origin::self_enroll);
    const auto& c = event_at<aw::batch_user_group_response>(d, 2);
    CHECK(c.data.status == "SUCCESS");
    REQUIRE(c.data.request->data.size() == 2);
    CHECK(c.data.request->data[0].id == "x\xC3\xA9");
    CHECK(c.data.request->data[1].id == "3");
    const auto& raw = event_at<aw::raw_event>(d, 3);
    CHECK(raw.data.text == R"({"opaque":[1,2,{"k":"v"}]})");
    // Strings of the first deferred event survive the later ones.
    CHECK(a.data.user_id == "u1");
  }
  SECTION("an event without data gets empty data") {
    const auto d = parse_ok(
        p,
        R"({"events":[{"eventName":"CI_STATS","eventId":"x"},{"eventName":"NEW","eventId":"y"}]})");
    CHECK(event_at<aw::batch_ci_stats>(d, 0).data.lo_instance_id.empty());
    CHECK_FALSE(event_at<aw::raw_event>(d, 1).data.present());
  }
  SECTION("accountId after events; events after eventType make a batch") {
    auto d = parse_ok(p, R"({"events":[],"accountId":"42"})");
    CHECK(d.format == body_format::batch);
    CHECK(d.account_id == "42");
    CHECK(d.events.empty());
    d = parse_ok(
        p,
        R"({"eventType":"USER_DELETED","eventId":"e","accountId":5,"timestamp":1,"events":[{"eventId":"z","eventName":"CI_STATS"}]})");
    CHECK(d.format == body_format::batch);
    CHECK(d.account_id == "5");
    CHECK(event_at<aw::batch_ci_stats>(d, 0).event_id == "z");
  }
}

TEST_CASE("every fixture reads the same with the keys of every object reversed",
          "[parser][order]") {
  // AsyncAPI: type-specific keys before eventType (the rewind). Batch: data before eventName
  // in every event (the deferred reading by the second parser), in every group.
  std::vector<std::string> files;
  for (const char* name :
       {"learner_enrollment", "learner_completion", "learner_progress", "learner_unenrollment",
        "course_created", "course_updated", "badge_awarded", "certification_completed",
        "skill_achieved", "user_created", "user_updated", "user_deleted", "job_completed"}) {
    files.push_back(std::string("asyncapi/") + name + ".json");
  }
  for (const char* name :
       {"enrollment", "completion", "unenrollment", "progress", "ci_stats", "learning_object",
        "learning_object_instance", "user_group_response", "unknown_event"}) {
    files.push_back(std::string("batch/") + name + ".json");
  }
  files.push_back("legacy-seed-aliases.json");
  files.push_back("legacy-course-enrollment-batch.json");
  aw::parser p;
  for (const auto& file : files) {
    INFO("fixture " << file);
    simdjson::dom::parser dom;
    const dom_element root = load_dom(dom, read_file(file));
    const std::string reversed = reversed_json(root);
    const auto d = parse_ok(p, reversed);
    if (d.format == body_format::asyncapi) {
      REQUIRE(d.events.size() == 1);
      std::visit([&](const auto& e) { expect_object(e, root, ""); }, d.events[0]);
      continue;
    }
    const simdjson::dom::array events = root["events"];
    REQUIRE(d.events.size() == events.size());
    std::size_t i = 0;
    for (dom_element json : events) {
      std::visit(
          [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, aw::raw_event>) {
              // Raw data is kept as sent: here, reversed.
              CHECK(e.data.text == reversed_json(json["data"]));
              CHECK(e.event_id == std::string_view(json["eventId"]));
            } else {
              expect_object(e, json, "events[" + std::to_string(i) + "]");
            }
          },
          d.events[i]);
      ++i;
    }
  }
}

TEST_CASE("tolerated variants: number ids, unknown fields, unknown enums, nulls", "[parser]") {
  aw::parser p;
  SECTION("eventId and userId as numbers") {
    auto d = parse_ok(
        p,
        R"({"events":[{"eventId":123456789012,"eventName":"COURSE_ENROLLMENT","data":{"userId":18446744073709551616}}]})");
    const auto& e = only_event<aw::batch_enrollment>(d);
    CHECK(e.event_id == "123456789012");
    CHECK(e.data.user_id == "18446744073709551616");  // beyond 64 bits, still a fine id
    CHECK(e.data.user_id.is_number);
    d = parse_ok(
        p,
        R"({"eventType":"BADGE_AWARDED","eventId":77,"accountId":1010,"timestamp":1,"learner":{"userId":4279332}})");
    const auto& b = only_event<aw::badge_awarded>(d);
    CHECK(b.event_id == "77");
    CHECK(b.learner->user_id == "4279332");
  }
  SECTION("unknown fields anywhere are ignored") {
    const auto d = parse_ok(
        p,
        R"({"schemaVersion":{"major":2,"list":[[1],{"a":null}]},"accountId":1010,"extra":[true,false,null,-1.5e3,"s"],)"
        R"("events":[{"eventId":"e","newField":{"x":[1,{"y":"z"}]},"eventName":"CI_STATS","data":{"seatLimit":5,"futureCount":9,"nested":{"a":[]}}}]})");
    CHECK(only_event<aw::batch_ci_stats>(d).data.seat_limit == 5);
  }
  SECTION("unknown enum spellings keep their text") {
    const auto d = parse_ok(
        p,
        R"({"eventType":"USER_CREATED","eventId":"e","accountId":"1","timestamp":1,"source":"robot",)"
        R"("user":{"userType":"Contractor","roles":[]},"creationMethod":"scimPush"})");
    const auto& e = only_event<aw::user_created>(d);
    CHECK(e.source.value == aw::event_source::unknown);
    CHECK(e.source.text == "robot");
    CHECK(e.user->user_type.text == "Contractor");
    CHECK_FALSE(e.user->user_type.known());
    CHECK(e.user->roles.empty());
    CHECK(e.creation_method.text == "scimPush");
  }
  SECTION("null optional fields are absent") {
    const auto d = parse_ok(
        p,
        R"({"eventType":"LEARNER_COMPLETION","eventId":"e","accountId":"1","timestamp":1,"source":null,)"
        R"("learner":null,"score":null,"hasPassed":null,"completedOn":null,"enrollmentId":null})");
    const auto& e = only_event<aw::learner_completion>(d);
    CHECK_FALSE(e.source.present());
    CHECK_FALSE(e.learner.has_value());
    CHECK_FALSE(e.score.has_value());
    CHECK_FALSE(e.has_passed.has_value());
    CHECK_FALSE(e.completed_on.has_value());
    CHECK(e.enrollment_id.empty());
  }
  SECTION("an unknown AsyncAPI event type keeps the whole object") {
    const std::string body =
        " \n{\"eventType\":\"COURSE_ARCHIVED\",\"eventId\":\"e-5\",\"accountId\":\"1010\","
        "\"timestamp\":\"2025-01-01T00:00:00Z\",\"course\":{\"id\":[1,2]}}\n ";
    const auto d = parse_ok(p, body);
    CHECK(d.format == body_format::asyncapi);
    CHECK(d.account_id == "1010");
    const auto& e = only_event<aw::raw_event>(d);
    CHECK(e.format == body_format::asyncapi);
    CHECK(e.event_name == "COURSE_ARCHIVED");
    CHECK(e.event_id == "e-5");
    CHECK(e.timestamp == iso("2025-01-01T00:00:00Z"));
    CHECK(e.data.text == aw::detail::trim_json_space(body));
  }
}

// ---- Bad input --------------------------------------------------------------------------------

TEST_CASE("bad bodies fail with a clear code and path", "[parser][errors]") {
  const std::string async_head =
      R"({"eventType":"LEARNER_PROGRESS","eventId":"e","accountId":"1","timestamp":1,)";
  const std::string batch_head =
      R"({"events":[{"eventId":"e","eventName":"LEARNER_PROGRESS","data":)";

  SECTION("not JSON at all") {
    expect_error("", error_code::empty_body, "");
    expect_error(" \n\t ", error_code::empty_body, "");
    expect_error("hello", error_code::invalid_json, "");
    expect_error("nope", error_code::invalid_json, "");
    expect_error("<xml/>", error_code::invalid_json, "");
    expect_error(R"({"events" []})", error_code::invalid_json, "");
    expect_error(R"({"events":[],})", error_code::invalid_json, "");
    expect_error(R"({"events":[{"eventId":"e" "eventName":"X"}]})", error_code::invalid_json,
                 "events[0]");
  }
  SECTION("not an object with a known format") {
    expect_error("[1,2]", error_code::unknown_format, "");
    expect_error("42", error_code::unknown_format, "");
    expect_error(R"("text")", error_code::unknown_format, "");
    expect_error("{}", error_code::unknown_format, "");
    expect_error(R"({"accountId":1,"event":[]})", error_code::unknown_format, "");
  }
  SECTION("trailing content") {
    expect_error(R"({"events":[]} x)", error_code::trailing_content, "");
    expect_error(R"({"events":[]}})", error_code::trailing_content, "");
    expect_error(R"({"events":[]} {"events":[]})", error_code::trailing_content, "");
    expect_error(async_head + R"("x":1}])", error_code::trailing_content, "");
    expect_error(R"({"a":1} 2)", error_code::trailing_content, "");
  }
  SECTION("invalid UTF-8") {
    expect_error("{\"events\":[{\"eventId\":\"\xff\xfe\",\"eventName\":\"X\"}]}",
                 error_code::invalid_utf8, "");
    expect_error("{\"ev\xc3\x28nts\":[]}", error_code::invalid_utf8, "");
    expect_error(async_head + "\"learner\":{\"name\":\"\xed\xa0\x80\"}}", error_code::invalid_utf8,
                 "");
  }
  SECTION("numbers out of range and non-numbers") {
    expect_error(async_head + R"("progressPercent":18446744073709551616})",
                 error_code::number_out_of_range, "progressPercent");
    expect_error(async_head + R"("progressPercent":-9223372036854775809})",
                 error_code::number_out_of_range, "progressPercent");
    expect_error(async_head + R"("progressPercent":101})", error_code::number_out_of_range,
                 "progressPercent");
    expect_error(async_head + R"("progressPercent":-1})", error_code::number_out_of_range,
                 "progressPercent");
    expect_error(batch_head + R"({"progressPercent":250}}]})", error_code::number_out_of_range,
                 "events[0].data.progressPercent");
    expect_error(R"({"events":[{"eventId":"e","eventName":"X","timestamp":18446744073709551616}]})",
                 error_code::number_out_of_range, "events[0].timestamp");
    expect_error(
        R"({"eventType":"JOB_COMPLETED","eventId":"e","accountId":"1","timestamp":1,"job":{"recordsProcessed":99999999999999999999}})",
        error_code::number_out_of_range, "job.recordsProcessed");
    expect_error(
        R"({"events":[{"eventId":"e","eventName":"CI_STATS","data":{"seatLimit":18446744073709551616}}]})",
        error_code::number_out_of_range, "events[0].data.seatLimit");
    expect_error(async_head + R"("progressPercent":NaN})", error_code::invalid_json,
                 "progressPercent");
    expect_error(async_head + R"("progressPercent":Infinity})", error_code::invalid_json,
                 "progressPercent");
    expect_error(async_head + R"("unknownField":NaN})", error_code::invalid_json, "unknownField");
    expect_error(async_head + R"("progressPercent":12abc})", error_code::invalid_json,
                 "progressPercent");
    expect_error(async_head + R"("progressPercent":4.5})", error_code::wrong_type,
                 "progressPercent");
    expect_error(batch_head + R"({"userId":-})}]})", error_code::invalid_json,
                 "events[0].data.userId");
  }
  SECTION("wrong JSON types") {
    expect_error(R"({"events":{}})", error_code::wrong_type, "events");
    expect_error(R"({"events":"none"})", error_code::wrong_type, "events");
    expect_error(R"({"events":null})", error_code::wrong_type, "events");
    expect_error(R"({"events":[{"eventId":"a","eventName":"X"},7]})", error_code::wrong_type,
                 "events[1]");
    expect_error(R"({"events":[[]]})", error_code::wrong_type, "events[0]");
    expect_error(batch_head + R"({"userId":true}}]})", error_code::wrong_type,
                 "events[0].data.userId");
    expect_error(batch_head + R"({"userId":{"id":1}}}]})", error_code::wrong_type,
                 "events[0].data.userId");
    expect_error(batch_head + R"([1,2]}]})", error_code::wrong_type, "events[0].data");
    expect_error(batch_head + R"({"loId":5}}]})", error_code::wrong_type, "events[0].data.loId");
    expect_error(batch_head + R"({"progressPercent":"45"}}]})", error_code::wrong_type,
                 "events[0].data.progressPercent");
    expect_error(R"({"events":[{"data":7,"eventId":"e","eventName":"CI_STATS"}]})",
                 error_code::wrong_type, "events[0].data");
    expect_error(R"({"events":[{"eventId":"e","eventName":5}]})", error_code::wrong_type,
                 "events[0].eventName");
    expect_error(R"({"events":[{"eventId":"e","eventName":"X","eventInfo":[]}]})",
                 error_code::wrong_type, "events[0].eventInfo");
    expect_error(R"({"events":[{"eventId":"e","eventName":"X","timestamp":true}]})",
                 error_code::wrong_type, "events[0].timestamp");
    expect_error(R"({"eventType":7,"eventId":"e","accountId":"1","timestamp":1})",
                 error_code::wrong_type, "eventType");
    expect_error(R"({"eventType":null,"eventId":"e","accountId":"1","timestamp":1})",
                 error_code::wrong_type, "eventType");
    expect_error(async_head + R"("learner":"Ana"})", error_code::wrong_type, "learner");
    expect_error(async_head + R"("learner":{"email":false}})", error_code::wrong_type,
                 "learner.email");
    expect_error(
        R"({"eventType":"COURSE_UPDATED","eventId":"e","accountId":"1","timestamp":1,"updatedFields":["a",2]})",
        error_code::wrong_type, "updatedFields[1]");
    expect_error(
        R"({"eventType":"USER_CREATED","eventId":"e","accountId":"1","timestamp":1,"user":{"roles":"admin"}})",
        error_code::wrong_type, "user.roles");
    expect_error(
        R"({"eventType":"LEARNER_COMPLETION","eventId":"e","accountId":"1","timestamp":1,"hasPassed":"yes"})",
        error_code::wrong_type, "hasPassed");
    expect_error(
        R"({"eventType":"SKILL_ACHIEVED","eventId":"e","accountId":"1","timestamp":1,"skill":{"credits":"2"}})",
        error_code::wrong_type, "skill.credits");
    expect_error(
        R"({"events":[{"eventId":"e","eventName":"RESPONSE:ASYNCAPI_USERGROUP_USER_ADDED","data":{"request":{"data":[{"type":"user","id":1},"u"]}}}]})",
        error_code::wrong_type, "events[0].data.request.data[1]");
    expect_error(
        R"({"events":[{"eventId":"e","eventName":"RESPONSE:ASYNCAPI_USERGROUP_USER_ADDED","data":{"request":{"data":[{"type":"user","id":[1]}]}}}]})",
        error_code::wrong_type, "events[0].data.request.data[0].id");
    expect_error(R"({"accountId":true,"events":[]})", error_code::wrong_type, "accountId");
    expect_error(R"({"events":[{"eventId":null,"eventName":"X"}]})", error_code::wrong_type,
                 "events[0].eventId");
  }
  SECTION("missing required fields") {
    expect_error(R"({"eventType":"LEARNER_PROGRESS","accountId":"1","timestamp":1})",
                 error_code::missing_field, "eventId");
    expect_error(R"({"eventType":"LEARNER_PROGRESS","eventId":"e","timestamp":1})",
                 error_code::missing_field, "accountId");
    expect_error(R"({"eventType":"LEARNER_PROGRESS","eventId":"e","accountId":"1"})",
                 error_code::missing_field, "timestamp");
    expect_error(R"({"eventType":"SOMETHING_NEW","eventId":"e","accountId":"1"})",
                 error_code::missing_field, "timestamp");
    expect_error(R"({"events":[{"eventName":"X"}]})", error_code::missing_field,
                 "events[0].eventId");
    expect_error(R"({"events":[{"eventId":"a","eventName":"X"},{"eventId":"b","data":{}}]})",
                 error_code::missing_field, "events[1].eventName");
  }
  SECTION("duplicate keys") {
    expect_error(R"({"events":[],"events":[]})", error_code::duplicate_key, "events");
    expect_error(R"({"accountId":1,"events":[],"accountId":2})", error_code::duplicate_key,
                 "accountId");
    expect_error(async_head + R"("eventId":"again"})", error_code::duplicate_key, "eventId");
    expect_error(
        R"({"eventId":"a","eventId":"b","eventType":"USER_DELETED","accountId":"1","timestamp":1})",
        error_code::duplicate_key, "eventId");
    expect_error(R"({"events":[{"eventId":"e","eventName":"X","eventName":"Y"}]})",
                 error_code::duplicate_key, "events[0].eventName");
    expect_error(R"({"events":[{"eventId":"e","timestamp":1,"eventName":"X","eventTime":2}]})",
                 error_code::duplicate_key, "events[0].eventTime");
    expect_error(R"({"events":[{"eventId":"e","eventName":"CI_STATS","data":{},"eventData":{}}]})",
                 error_code::duplicate_key, "events[0].eventData");
    expect_error(batch_head + R"({"userId":1,"userId":2}}]})", error_code::duplicate_key,
                 "events[0].data.userId");
    expect_error(async_head + R"("learner":{"name":"a","name":"b"}})", error_code::duplicate_key,
                 "learner.name");
  }
  SECTION("malformed dates") {
    expect_error(
        R"({"eventType":"LEARNER_PROGRESS","eventId":"e","accountId":"1","timestamp":"yesterday"})",
        error_code::invalid_value, "timestamp");
    expect_error(
        R"({"events":[{"eventId":"e","eventName":"COURSE_COMPLETED","data":{"dateCompleted":"2024-02-30T00:00:00Z"}}]})",
        error_code::invalid_value, "events[0].data.dateCompleted");
    expect_error(
        R"({"events":[{"eventId":"e","eventName":"X","eventTime":"2024-11-08T03:49:52"}]})",
        error_code::invalid_value, "events[0].eventTime");
    const aw::error e =
        parse_error(R"({"events":[{"eventId":"e","eventName":"X","timestamp":"soon"}]})");
    CHECK(e.to_string().find("events[0].timestamp: invalid date-time") == 0);
  }
  SECTION("too many events") {
    aw::parser_options options;
    options.max_events = 2;
    expect_error(
        R"({"events":[{"eventId":"a","eventName":"X"},{"eventId":"b","eventName":"X"},{"eventId":"c","eventName":"X"}]})",
        error_code::body_too_large, "events", options);
    aw::parser p(options);
    CHECK(p.parse(R"({"events":[{"eventId":"a","eventName":"X"},{"eventId":"b","eventName":"X"}]})")
              .has_value());
  }
}

TEST_CASE("truncated bodies are reported as truncated, wherever the cut", "[parser][errors]") {
  const std::string bodies[] = {read_file("batch/user_group_response.json"),
                                read_file("asyncapi/user_created.json")};
  aw::parser p;
  for (const auto& body : bodies) {
    // Every cut that leaves a non-blank prefix short of the closing brace.
    const std::size_t end = body.rfind('}');
    for (std::size_t cut = 1; cut < end; ++cut) {
      const std::string_view prefix(body.data(), cut);
      if (aw::detail::trim_json_space(prefix).empty()) continue;
      auto r = p.parse(prefix);
      INFO("cut at " << cut << ": ..." << prefix.substr(cut > 40 ? cut - 40 : 0));
      REQUIRE_FALSE(r.has_value());
      CHECK(r.code() == error_code::truncated);
    }
  }
  expect_error(R"({"events":[{"eventId":"e","eventName":"X","data":{"a":"unclosed)",
               error_code::truncated, "");
}

TEST_CASE("nesting beyond the limit is too_deep, never a crash", "[parser][errors]") {
  const std::string open(10000, '['), close(10000, ']');
  const std::string objects = [] {
    std::string s;
    for (int i = 0; i < 10000; ++i)
      s += "{\"a\":";
    s += "1";
    for (int i = 0; i < 10000; ++i)
      s += "}";
    return s;
  }();
  expect_error(R"({"events":[],"deep":)" + open + close + "}", error_code::too_deep, "deep");
  expect_error(R"({"deep":)" + objects + R"(,"events":[]})", error_code::too_deep, "deep");
  expect_error(open + close, error_code::too_deep, "");
  expect_error(R"({"events":[{"eventId":"e","eventName":"X","data":)" + open + close + "}]}",
               error_code::too_deep, "events[0].data");
  expect_error(R"({"events":[{"data":)" + objects + R"(,"eventId":"e","eventName":"X"}]})",
               error_code::too_deep, "events[0].data");
  expect_error(
      R"({"events":[{"eventId":"e","eventName":"RESPONSE:ASYNCAPI_USERGROUP_USER_ADDED","data":{"request":{"metadata":)" +
          open + close + "}}}]}",
      error_code::too_deep, "events[0].data.request.metadata");
  expect_error(R"({"eventType":"USER_CREATED","eventId":"e","accountId":"1","timestamp":1,"x":)" +
                   open + close + "}",
               error_code::too_deep, "x");
  expect_error(R"({"events":[],"deep":)" + open, error_code::truncated, "");

  SECTION("the limit counts the known structure too") {
    aw::parser_options options;
    options.max_depth = 3;  // root, events, one event: no room for data
    expect_error(R"({"events":[{"eventId":"e","eventName":"CI_STATS","data":{}}]})",
                 error_code::too_deep, "events[0].data", options);
    aw::parser p(options);
    CHECK(p.parse(R"({"events":[{"eventId":"e","eventName":"CI_STATS"}]})").has_value());
    CHECK(p.parse(R"({"events":[{"eventId":"e","eventName":"CI_STATS","extra":7}]})").has_value());
    expect_error(R"({"events":[{"eventId":"e","eventName":"CI_STATS","extra":[]}]})",
                 error_code::too_deep, "events[0].extra", options);
    // Exactly at the limit is fine.
    options.max_depth = 4;
    aw::parser q(options);
    CHECK(q.parse(R"({"events":[{"eventId":"e","eventName":"CI_STATS","data":{}}]})").has_value());
    CHECK(q.parse(R"({"events":[],"x":[[[]]]})").has_value());
    CHECK_FALSE(q.parse(R"({"events":[],"x":[[[[]]]]})").has_value());
  }
}

// ---- Reuse, overloads, lifetimes ----------------------------------------------------------------

TEST_CASE("a parser is reusable and its results belong to the latest parse", "[parser]") {
  aw::parser p;
  const std::string a = read_file("batch/user_group_response.json");
  const std::string b = read_file("asyncapi/course_updated.json");
  const std::string c = read_file("batch/completion.json");
  for (int round = 0; round < 3; ++round) {
    {
      const auto d = parse_ok(p, a);
      CHECK(event_at<aw::batch_user_group_response>(d, 0).data.request->data[1].id == "5120887");
    }
    CHECK_FALSE(p.parse("{").has_value());
    {
      const auto d = parse_ok(p, b);
      const auto& e = only_event<aw::course_updated>(d);
      REQUIRE(e.updated_fields.size() == 4);
      CHECK(e.updated_fields[2] == "duration");
      CHECK(e.learning_object->name == "Data Privacy \"GDPR\" Refresher");
    }
    {
      const auto d = parse_ok(p, c);
      CHECK(d.events.size() == 4);
      CHECK(event_at<aw::batch_completion>(d, 3).data.user_id == "6034518");
    }
  }
}

TEST_CASE("the three entry points read the same body", "[parser]") {
  const std::string text = read_file("legacy-course-enrollment-batch.json");
  aw::parser p;
  auto check = [](const aw::delivery& d) {
    const auto& e = only_event<aw::batch_enrollment>(d);
    CHECK(e.data.lo_instance_id == "course:7376092_10250977");
    CHECK(e.event_id == "d5fb7071-10a9-46b2-9f9e-79dde346c052");
  };
  SECTION("a padded string is read in place") {
    const simdjson::padded_string padded(text);
    const auto r = p.parse(simdjson::padded_string_view(padded));
    REQUIRE(r.has_value());
    check(*r);
    // Unescaped strings outside the parser's buffers view the body itself.
    const auto& e = std::get<aw::batch_enrollment>(r->events[0]);
    CHECK(e.data.user_id.text.data() >= padded.data());
    CHECK(e.data.user_id.text.data() < padded.data() + padded.size());
  }
  SECTION("a host buffer with spare capacity is read in place") {
    std::string body;
    body.reserve(text.size() + simdjson::SIMDJSON_PADDING);
    body = text;
    const auto r = p.parse(simdjson::padded_string_view(body));
    REQUIRE(r.has_value());
    check(*r);
    CHECK(std::get<aw::batch_enrollment>(r->events[0]).data.user_id.text.data() >= body.data());
  }
  SECTION("text with declared padding is read in place, without it copied") {
    std::vector<char> buffer(text.begin(), text.end());
    buffer.resize(text.size() + simdjson::SIMDJSON_PADDING, ' ');
    const std::string_view view(buffer.data(), text.size());
    auto r = p.parse(view, simdjson::SIMDJSON_PADDING);
    REQUIRE(r.has_value());
    check(*r);
    CHECK(std::get<aw::batch_enrollment>(r->events[0]).data.user_id.text.data() ==
          buffer.data() + text.find("4279332"));
    r = p.parse(view, 3);
    REQUIRE(r.has_value());
    check(*r);
    CHECK(std::get<aw::batch_enrollment>(r->events[0]).data.user_id.text.data() !=
          buffer.data() + text.find("4279332"));
  }
  SECTION("a padded view without enough room is copied") {
    const simdjson::padded_string_view tight(text.data(), text.size(), text.size());
    const auto r = p.parse(tight);
    REQUIRE(r.has_value());
    check(*r);
    // A view claiming less capacity than length is read safely too.
    const simdjson::padded_string_view inconsistent(text.data(), text.size(), 1);
    const auto s = p.parse(inconsistent);
    REQUIRE(s.has_value());
    check(*s);
  }
  SECTION("a moved parser keeps working") {
    aw::parser moved = std::move(p);
    CHECK(moved.parse(text).has_value());
    aw::parser other;
    other = std::move(moved);
    const auto r = other.parse(text);
    REQUIRE(r.has_value());
    check(*r);
    CHECK(other.options().max_depth == 64);
    CHECK(other.options().max_events == 100000);
  }
}

namespace {

/// `body` with an unknown first key, which turns the plain reader away (it takes only bodies
/// that open with `events`, `accountId` or `eventType`): the same delivery, read by simdjson's
/// readers.
std::string through_simdjson(std::string_view body) {
  const std::size_t open = body.find('{');
  REQUIRE(open != std::string_view::npos);
  return std::string(body.substr(0, open + 1)) + R"("~":0,)" + std::string(body.substr(open + 1));
}

/// Each body gives the same delivery (or the same error) read directly, where the plain reader
/// tries it first, and read through simdjson's readers.
void check_both_readers_agree(const std::vector<std::string>& bodies) {
  for (const std::string& body : bodies) {
    INFO("body: " << body.substr(0, 200));
    aw::parser plain;
    aw::parser other;
    const auto direct = plain.parse(body);
    const auto detour = other.parse(through_simdjson(body));
    REQUIRE(direct.has_value() == detour.has_value());
    if (direct) {
      CHECK(aw::to_json(*direct) == aw::to_json(*detour));
    } else {
      CHECK(direct.code() == detour.code());
    }
  }
}

}  // namespace

TEST_CASE("the plain reader reads batches as simdjson's readers do", "[parser][plain]") {
  std::vector<std::string> bodies;
  for (const char* file : {"batch/enrollment.json", "batch/completion.json",
                           "batch/unenrollment.json", "batch/progress.json", "batch/ci_stats.json",
                           "batch/learning_object.json", "batch/learning_object_instance.json",
                           "batch/user_group_response.json", "batch/unknown_event.json",
                           "legacy-course-enrollment-batch.json", "legacy-seed-aliases.json"}) {
    bodies.push_back(read_file(file));
  }
  const std::string event =
      R"({"eventId":"e-1","eventName":"COURSE_COMPLETED","timestamp":1727414643000,)"
      R"("eventInfo":"i","data":{"userId":42,"loId":"course:1","loInstanceId":"course:1_2",)"
      R"("loType":"course","enrollmentSource":"SELF_ENROLL","dateCompleted":1727414643,)"
      R"("hasPassed":true,"score":87}})";
  for (
      const std::string& variant : std::vector<std::string>{
          R"({"accountId":1010,"events":[)" + event + "]}",
          R"({"events":[)" + event + "," + event + R"(],"accountId":"1010"})",
          "\n{ \"accountId\" : 7 ,\n  \"events\" : [\n " + event + " ]\n}\n",
          R"({"events":[]})",
          // Keys in an order other than ALM's, which the plain reader finds by scanning.
          R"({"events":[{"eventInfo":"i","eventInitiator":7,"eventName":"COURSE_ENROLLMENT","eventId":"a","data":{"loId":"l","userId":3}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_ENROLLMENT","timestamp":1,"eventInfo":"i","eventInitiator":"u-7","data":{"userId":3}}]})",
          // Fractions and dates as text, which the plain reader reads as simdjson's readers do.
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"score":87.5}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"score":0.05}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"score":-12.25}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"score":12345678901.2345}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"dateCompleted":"2024-11-12T16:05:30.250+02:00"}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"dateCompleted":"1727414643"}}]})",
          // Values the plain reader leaves to simdjson's readers: an exponent, 16 digits, a long
          // integer, an escape, a null, a negative id, data before the name, an alias.
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"score":8.75e1}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"score":0.1234567890123456}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"score":-0}}]})",
          R"({"events":[{"eventId":12345678901234567890,"eventName":"COURSE_COMPLETED","data":{}}]})",
          R"({"events":[{"eventId":"a\/b","eventName":"COURSE_ENROLLMENT","data":{}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_ENROLLMENT","data":{"loId":null}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_ENROLLMENT","data":{"userId":-4}}]})",
          R"({"events":[{"eventId":"a","eventName":"LEARNER_PROGRESS","timestamp":"2024-11-08T03:49:52Z","data":{}}]})",
          R"({"events":[{"data":{"userId":3},"eventId":"a","eventName":"COURSE_ENROLLMENT"}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_ENROLLMENT","eventTime":1,"data":{}}]})",
          R"({"accountId":-1,"events":[{"eventId":"a","eventName":"COURSE_ENROLLMENT","data":{"hasPassed":null}}]})",
      }) {
    bodies.push_back(variant);
  }
  check_both_readers_agree(bodies);
}

TEST_CASE("the plain reader reads integers of every length and any whitespace", "[parser][plain]") {
  // Digits are read eight at a time and whitespace sixteen at a time: lengths on both sides of
  // every step, compared with simdjson's readers.
  std::vector<std::string> bodies;
  std::string digits;
  for (int n = 1; n <= 20; ++n) {
    digits += static_cast<char>('1' + n % 9);
    bodies.push_back(R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","timestamp":)" +
                     digits + R"(,"data":{"userId":)" + digits + R"(,"score":)" + digits +
                     R"(,"dateCompleted":)" + digits + "}}]}");
  }
  for (const char* space : {" ", "\t", "\n", "\r\n"}) {
    std::string run;
    for (int n = 1; n <= 40; n += 3) {
      for (int k = 0; k < 3; ++k)
        run += space;
      bodies.push_back(run + "{" + run + R"("events")" + run + ":" + run + "[" + run +
                       R"({"eventId":"a",)" + run + R"("eventName":"COURSE_ENROLLMENT","data":)" +
                       run + R"({"userId":7)" + run + "}" + run + "}" + run + "]" + run + "}" +
                       run);
    }
  }
  check_both_readers_agree(bodies);
  SECTION("an 18-digit integer keeps every digit") {
    aw::parser p;
    const auto r = p.parse(
        R"({"events":[{"eventId":"a","eventName":"COURSE_ENROLLMENT","timestamp":123456789012345678,)"
        R"("data":{"userId":987654321098765432}}]})");
    REQUIRE(r.has_value());
    const auto& e = std::get<aw::batch_enrollment>(r->events[0]);
    CHECK(e.data.user_id == "987654321098765432");
    CHECK(e.timestamp->milliseconds_since_epoch() == 123456789012345678);
  }
}

TEST_CASE("the plain reader never counts what lies in the padding", "[parser][plain]") {
  // The body ends at `length`; the bytes after it (simdjson's padding, here digits, spaces and
  // a brace) must not complete a number, a run of whitespace or the document.
  aw::parser p;
  std::string buffer;  // outlives each result, whose views point into it
  const auto parse_with_padding = [&](std::string_view body, std::string_view padding) {
    buffer.assign(body);
    buffer += padding;
    buffer.append(simdjson::SIMDJSON_PADDING, ' ');
    return p.parse(simdjson::padded_string_view(buffer.data(), body.size(), buffer.size()));
  };
  for (const char* body : {R"({"accountId":12)", R"({"events":[] )", R"({"events":[)"}) {
    INFO("body: " << body);
    const auto hostile = parse_with_padding(body, "3456789 ]}");
    aw::parser fresh;
    const auto plain = fresh.parse(std::string(body));  // a copy, padded with zeros
    REQUIRE_FALSE(hostile.has_value());
    REQUIRE_FALSE(plain.has_value());
    CHECK(hostile.code() == plain.code());
    CHECK(hostile.code() == error_code::truncated);
  }
  // Nor complete a UTF-8 sequence or an escape that the body cuts off.
  for (const char* cut : {"\xc3", "\xe2\x82", "\\", "\\u00"}) {
    const std::string body = std::string(R"({"eventType":"USER_DELETED","eventId":")") + cut;
    INFO("body: " << body);
    const auto hostile = parse_with_padding(body,
                                            "\xa1\xac"
                                            R"(e9","accountId":"1","timestamp":1})");
    REQUIRE_FALSE(hostile.has_value());
    CHECK(hostile.code() == error_code::truncated);
  }
  const auto whole = parse_with_padding(R"({"accountId":12,"events":[]})", "3456789 }");
  REQUIRE(whole.has_value());
  CHECK(whole->account_id.text == "12");
}

TEST_CASE("the plain reader refuses what simdjson's readers refuse", "[parser][plain]") {
  const std::string event =
      R"({"eventId":"a","eventName":"COURSE_ENROLLMENT","data":{"userId":1}})";
  for (
      const std::string& body : std::vector<std::string>{
          R"({"events":[)" + event + "]",                       // truncated
          R"({"events":[)" + event + "]} x",                    // trailing content
          R"({"events":[)" + event + "," + event + ",]}",       // a comma before ]
          R"({"events":[)" + event + "]," + R"("events":[]})",  // a duplicate key
          R"({"events":[{"eventId":"a","eventId":"b","eventName":"COURSE_ENROLLMENT"}]})",
          R"({"events":[{"eventName":"COURSE_ENROLLMENT","data":{}}]})",  // no eventId
          R"({"events":[{"eventId":"","eventName":"COURSE_ENROLLMENT","data":{}}]})",
          R"({"events":[{"eventId":"a","eventName":"LEARNER_PROGRESS","data":{"progressPercent":101}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_ENROLLMENT","data":{"userId":01}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_ENROLLMENT","data":{"userId":1}}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_ENROLLMENT","data":{"userId":tru}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"score":01.5}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"score":1.}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"score":-.5}}]})",
          R"({"events":[{"eventId":"a","eventName":"COURSE_COMPLETED","data":{"dateCompleted":"not a date"}}]})",
          "{\"events\":[{\"eventId\":\"a\xff\",\"eventName\":\"COURSE_ENROLLMENT\"}]}",
          "{\"events\":[{\"eventId\":\"a\tb\",\"eventName\":\"COURSE_ENROLLMENT\"}]}",
      }) {
    INFO("body: " << body);
    aw::parser plain;
    aw::parser other;
    const auto direct = plain.parse(body);
    const auto detour = other.parse(through_simdjson(body));
    REQUIRE_FALSE(direct.has_value());
    REQUIRE_FALSE(detour.has_value());
    CHECK(direct.code() == detour.code());
    CHECK(direct.error().path == detour.error().path);
  }
  SECTION("more events than the limit") {
    aw::parser_options options;
    options.max_events = 1;
    aw::parser p(options);
    const auto r = p.parse(R"({"events":[)" + event + "," + event + "]}");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.code() == error_code::body_too_large);
  }
}

TEST_CASE("the plain reader reads AsyncAPI events as simdjson's readers do", "[parser][plain]") {
  std::vector<std::string> bodies;
  for (const char* name :
       {"learner_enrollment", "learner_completion", "learner_progress", "learner_unenrollment",
        "course_created", "course_updated", "badge_awarded", "certification_completed",
        "skill_achieved", "user_created", "user_updated", "user_deleted", "job_completed"}) {
    bodies.push_back(read_file(std::string("asyncapi/") + name + ".json"));
  }
  const auto user_created = [](std::string_view name, std::string_view roles) {
    return R"({"eventType":"USER_CREATED","eventId":"e-1","accountId":"1010",)"
           R"("timestamp":"2024-09-02T06:30:00.000Z","user":{"userId":"6","name":")" +
           std::string(name) + R"(","roles":)" + std::string(roles) + "}}";
  };
  // Text outside ASCII: sequences of every length, and each kind that is not UTF-8.
  for (const char* name :
       {"Tom\xc3\xa1s",
        "\xe2\x82\xac 5",
        "\xf0\x9f\x98\x80",
        "\xef\xbf\xbf\xf4\x8f\xbf\xbf",
        "a\xc3\xa1\xc3\xa1\xc3\xa1\xc3\xa1\xc3\xa1\xc3\xa1\xc3\xa1\xc3\xa1\xc3\xa1\xc3\xa1",
        "\xc3",
        "\xc3\x28",
        "\xc0\xaf",
        "\xc1\xbf",
        "\xe0\x80\xaf",
        "\xed\xa0\x80",
        "\xf0\x80\x80\xaf",
        "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80",
        "\x80",
        "\xbf\xbf",
        "\xe2\x82",
        "\xf0\x9f\x98",
        "\xff",
        "\xc2\x80",
        "\xe0\xa0\x80",
        "\xed\x9f\xbf",
        "\xf0\x90\x80\x80",
        "\xe0\x9f\xbf",
        "\xf0\x8f\xbf\xbf",
        "a\tb",
        "a\x7f"
        "b"}) {
    bodies.push_back(user_created(name, R"(["learner"])"));
  }
  // Escapes of every kind; surrogates and malformed escapes.
  for (const char* name :
       {R"(Data Privacy \"GDPR\")", R"(a\\b\/c\bd\fe\nf\rg\th)",
        R"(\u0041\u00e9\u20ac\uFFFF\u0000)", R"(Tom\u00e1s)", R"(\ud83d\ude00)", R"(\ud83d)",
        R"(\ude00x)", R"(\u12)", R"(\u12G4)", R"(\x41)", R"(\U0041)", R"(\a)", R"(ends\)",
        R"(\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\")"}) {
    bodies.push_back(user_created(name, "[]"));
  }
  // Arrays: empty, spaced, of one, of many, and what is not an array of strings.
  for (const char* roles :
       {"[]", "[ ]", R"([ "a" , "b" ])", R"(["a"])",
        R"(["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q"])", R"(["a\"b"])",
        R"(["a",])", R"(["a" "b"])", R"([1])", R"(["a",null])", R"([["a"]])", R"("a")", "null"}) {
    bodies.push_back(user_created("n", roles));
  }
  // Keys and types the plain reader leaves to simdjson's readers, and events it refuses.
  for (
      const char* body : {
          R"({"eventType":"USER_DELETED","eventId":"e","accountId":"1","timestamp":1,"extra":{"a":[1]}})",
          R"({"eventType":"USER_DELETED","eventId":"e","accountId":"1","timestamp":1,"events":[]})",
          R"({"eventType":"USER_DELETED","eventId":"e","accountId":"1","timestamp":1,"user":{"user\u0049d":"6"}})",
          R"({"eventType":"USER_DELETED","eventId":"","accountId":"1","timestamp":1})",
          R"({"eventType":"USER_DELETED","accountId":"1","timestamp":1})",
          R"({"eventType":"USER_DELETED","eventId":"e","eventId":"e","accountId":"1","timestamp":1})",
          R"({"eventType":"USER_DELETED","eventId":"e","accountId":"1","timestamp":1} {})",
          R"({"eventType":"USER_DELETED","eventId":"e","accountId":"1","timestamp":1)",
          R"({"eventType":7,"eventId":"e","accountId":"1","timestamp":1})",
          R"({"eventType" "USER_DELETED"})",
          R"({"eventType":"USER_\u0044ELETED","eventId":"e","accountId":"1","timestamp":1})",
          R"({ "eventType" : "USER_DELETED" , "eventId" : "e" , "accountId" : 1 , "timestamp" : "2024-09-02T06:30:00Z" })",
      }) {
    bodies.push_back(body);
  }
  check_both_readers_agree(bodies);
  SECTION("the plain reader takes every fixture: its strings view the body") {
    // simdjson's readers copy every string into the parser's buffer; the plain reader does not.
    for (const char* name :
         {"learner_enrollment", "learner_completion", "learner_progress", "learner_unenrollment",
          "course_created", "course_updated", "badge_awarded", "certification_completed",
          "skill_achieved", "user_created", "user_updated", "user_deleted", "job_completed"}) {
      INFO("fixture: " << name);
      const simdjson::padded_string padded(read_file(std::string("asyncapi/") + name + ".json"));
      aw::parser p;
      const auto r = p.parse(simdjson::padded_string_view(padded));
      REQUIRE(r.has_value());
      const std::string_view event_id = std::visit(
          [](const auto& e) -> std::string_view {
            if constexpr (std::is_base_of_v<aw::event_header, std::decay_t<decltype(e)>>) {
              return e.event_id;
            } else {
              return {};
            }
          },
          r->events[0]);
      REQUIRE_FALSE(event_id.empty());
      CHECK(event_id.data() >= padded.data());
      CHECK(event_id.data() < padded.data() + padded.size());
    }
  }
}

TEST_CASE("the plain reader writes unescaped strings to the parser's copy buffer",
          "[parser][plain]") {
  aw::parser p;
  const std::string body =
      R"({"eventType":"COURSE_CREATED","eventId":"e-1","accountId":"1010","timestamp":1,)"
      R"("learningObject":{"loId":"course:1","name":"Data Privacy \"GDPR\" \u20ac5\nRefresher"},)"
      R"("createdBy":"Ren\u00e9e"})";
  const simdjson::padded_string padded(body);
  const auto r = p.parse(simdjson::padded_string_view(padded));
  REQUIRE(r.has_value());
  const auto& e = std::get<aw::course_created>(r->events[0]);
  CHECK(e.learning_object->name ==
        "Data Privacy \"GDPR\" \xe2\x82\xac"
        "5\nRefresher");
  CHECK(e.created_by ==
        "Ren\xc3\xa9"
        "e");
  CHECK(e.learning_object->lo_id.data() >= padded.data());  // no escape: a view of the body
  CHECK(e.learning_object->lo_id.data() < padded.data() + padded.size());
  // A longer body next grows the buffer; every string stays whole.
  const auto again = p.parse(body + std::string(1000, ' '));
  REQUIRE(again.has_value());
  const auto& grown = std::get<aw::course_created>(again->events[0]);
  CHECK(grown.created_by ==
        "Ren\xc3\xa9"
        "e");
  CHECK(grown.learning_object->name ==
        "Data Privacy \"GDPR\" \xe2\x82\xac"
        "5\nRefresher");
  SECTION("a body the plain reader unescapes into the buffer, then gives up on") {
    // The second event's `data` comes before its name: simdjson's readers read the body from
    // the start, and copy the deferred object's strings into the same buffer.
    const std::string deferred =
        R"({"events":[{"eventId":"a\"b","eventName":"COURSE_ENROLLMENT","data":{"userId":1}},)"
        R"({"data":{"loId":"x\ty"},"eventId":"c","eventName":"COURSE_ENROLLMENT"}]})";
    const auto both = p.parse(deferred);
    REQUIRE(both.has_value());
    CHECK(std::get<aw::batch_enrollment>(both->events[0]).event_id == "a\"b");
    CHECK(std::get<aw::batch_enrollment>(both->events[1]).data.lo_id == "x\ty");
    check_both_readers_agree({deferred});
  }
}

TEST_CASE("the plain reader views strings in the body", "[parser][plain]") {
  // simdjson's readers copy every string into the parser's buffer; the plain reader has no need.
  const std::string text =
      R"({"accountId":1010,"events":[{"eventId":"e-1","eventName":"COURSE_ENROLLMENT",)"
      R"("data":{"userId":42,"loId":"course:1"}}]})";
  const simdjson::padded_string padded(text);
  aw::parser p;
  const auto r = p.parse(simdjson::padded_string_view(padded));
  REQUIRE(r.has_value());
  const auto& e = std::get<aw::batch_enrollment>(r->events[0]);
  CHECK(e.event_id == "e-1");
  CHECK(e.data.lo_id == "course:1");
  CHECK(e.data.lo_id.data() >= padded.data());
  CHECK(e.data.lo_id.data() < padded.data() + padded.size());
}
