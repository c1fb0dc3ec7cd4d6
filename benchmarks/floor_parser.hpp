// The floor for parsing: what a careful engineer writes by hand with simdjson On-Demand for
// exactly the fields of the benchmark bodies. One pass, keys compared in place, strings viewed in
// the parser, numbers and dates converted as the SDK converts them, every simdjson error checked,
// the parser and the output storage reused between bodies. It knows each body's format in
// advance and types nothing it does not need, which the SDK cannot afford: that is what makes it
// the floor.
#pragma once

#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include <alm/webhooks/time.hpp>

#include "flat_events.hpp"

namespace bench {

namespace od = simdjson::ondemand;
// Keys compare as string_views: the length is checked first (one byte: is the closing quote
// there?), then the bytes with a constant-size memcmp; a `const char*` would compare byte by byte.
using namespace std::string_view_literals;

class floor_parser {
 public:
  using view_batch = flat_batch<std::string_view>;
  using view_asyncapi = flat_asyncapi_event<std::string_view>;

  /// Reads a batch envelope into `out` (its event vector is reused).
  simdjson::error_code parse_batch(simdjson::padded_string_view body, view_batch& out) {
    out.events.clear();
    out.account_id = {};
    od::document doc;
    SIMDJSON_TRY(parser_.iterate(body).get(doc));
    od::object root;
    SIMDJSON_TRY(doc.get_object().get(root));
    return for_each_member(
        root, [&out](od::raw_json_string key, od::value & v) __attribute__((always_inline)) {
          if (key.unsafe_is_equal("events"sv)) {
            od::array events;
            SIMDJSON_TRY(v.get_array().get(events));
            for (auto element : events) {
              od::object event;
              SIMDJSON_TRY(element.get_object().get(event));
              SIMDJSON_TRY(read_batch_event(event, out.events.emplace_back()));
            }
          } else if (key.unsafe_is_equal("accountId"sv)) {
            SIMDJSON_TRY(read_id(v, out.account_id));
          }
          return simdjson::SUCCESS;
        });
  }

  /// Reads one AsyncAPI event of any type into `out` (reset first, vectors reused).
  simdjson::error_code parse_asyncapi(simdjson::padded_string_view body, view_asyncapi& out) {
    out.reset();
    od::document doc;
    SIMDJSON_TRY(parser_.iterate(body).get(doc));
    od::object root;
    SIMDJSON_TRY(doc.get_object().get(root));
    return for_each_member(
        root, [&out](od::raw_json_string key, od::value & v)
                  __attribute__((always_inline)) { return read_asyncapi_member(key, v, out); });
  }

 private:
  using sv = std::string_view;

  static simdjson::error_code read_string(od::value& v, sv& out) { return v.get_string().get(out); }

  template <class E>
  static simdjson::error_code read_enum(od::value& v, flat_enum<sv, E>& out) {
    sv text;
    SIMDJSON_TRY(v.get_string().get(text));
    out = make_enum<E>(text);
    return simdjson::SUCCESS;
  }

  // Identifiers: a string, or else a number kept as its text. The usual plain integer is
  // checked by eye; anything else through the number grammar.
  static simdjson::error_code read_id(od::value& v, flat_id<sv>& out) {
    const simdjson::error_code e = v.get_string().get(out.text);
    out.is_number = e == simdjson::INCORRECT_TYPE;
    if (!out.is_number) return e;
    out.text = trim(v.raw_json_token());
    bool plain = !out.text.empty() && out.text.size() < 19 && out.text[0] != '0';
    for (const char c : out.text)
      plain = plain && c >= '0' && c <= '9';
    if (plain) return simdjson::SUCCESS;
    std::int64_t ignored;
    return v.get_int64().get(ignored);
  }

  // Dates: the number form first (one parse attempt), else null, else the ISO-8601 string.
  static simdjson::error_code read_date(od::value& v, flat_date& out) {
    std::int64_t number;
    const simdjson::error_code e = v.get_int64().get(number);
    if (!e) {
      out = {alm::webhooks::date_time::from_epoch_number(number).milliseconds_since_epoch(), true};
      return simdjson::SUCCESS;
    }
    if (e != simdjson::INCORRECT_TYPE) return e;
    sv text;
    const simdjson::error_code string_error = v.get_string().get(text);
    if (string_error == simdjson::INCORRECT_TYPE) {
      bool null = false;
      SIMDJSON_TRY(v.is_null().get(null));
      return null ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
    }
    SIMDJSON_TRY(string_error);
    const auto parsed = alm::webhooks::date_time::parse(text);
    if (!parsed) return simdjson::INCORRECT_TYPE;
    out = {parsed->milliseconds_since_epoch(), true};
    return simdjson::SUCCESS;
  }

  static simdjson::error_code read_flag(od::value& v, std::int8_t& out) {
    bool flag;
    SIMDJSON_TRY(v.get_bool().get(flag));
    out = flag ? 1 : 0;
    return simdjson::SUCCESS;
  }

  static simdjson::error_code read_strings(od::value& v, std::vector<sv>& out) {
    od::array array;
    SIMDJSON_TRY(v.get_array().get(array));
    for (auto element : array) {
      sv text;
      SIMDJSON_TRY(element.get_string().get(text));
      out.push_back(text);
    }
    return simdjson::SUCCESS;
  }

  static sv trim(sv token) {
    while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                              token.back() == '\t')) {
      token.remove_suffix(1);
    }
    return token;
  }

  /// Calls `fn(key, value)` for each member of `object`, the field bound in place. Inlined with
  /// its lambdas: the loop compiles to what the same code written out at each call would.
  template <class Fn>
  simdjson_inline static simdjson::error_code for_each_member(od::object& object, Fn&& fn) {
    for (auto member : object) {
      if (simdjson_unlikely(member.error())) return member.error();
      od::field& field = member.value_unsafe();
      SIMDJSON_TRY(fn(field.key(), field.value()));
    }
    return simdjson::SUCCESS;
  }

  // Keys are told apart by their first character, then compared whole: one or two compares.

  static simdjson::error_code read_batch_data(od::object& data, flat_batch_event<sv>& out) {
    return for_each_member(
        data, [&out](od::raw_json_string key, od::value & v) __attribute__((always_inline)) {
          switch (key.raw()[0]) {
            case 'u':
              if (key.unsafe_is_equal("userId"sv)) return read_id(v, out.user_id);
              break;
            case 'l':
              if (key.unsafe_is_equal("loId"sv)) return read_string(v, out.lo_id);
              if (key.unsafe_is_equal("loInstanceId"sv)) return read_string(v, out.lo_instance_id);
              if (key.unsafe_is_equal("loType"sv)) return read_enum(v, out.lo_type);
              break;
            case 'e':
              if (key.unsafe_is_equal("enrollmentSource"sv))
                return read_enum(v, out.enrollment_source);
              break;
            case 'd':
              if (key.unsafe_is_equal("dateEnrolled"sv) || key.unsafe_is_equal("dateCompleted"sv) ||
                  key.unsafe_is_equal("dateStarted"sv)) {
                return read_date(v, out.date);
              }
              break;
            case 'h':
              if (key.unsafe_is_equal("hasPassed"sv)) return read_flag(v, out.has_passed);
              break;
            case 's':
              if (key.unsafe_is_equal("score"sv)) {
                out.has_score = true;
                return v.get_double().get(out.score);
              }
              break;
            case 'p':
              if (key.unsafe_is_equal("progressPercent"sv))
                return v.get_int64().get(out.progress_percent);
              break;
            case 'm':
              if (key.unsafe_is_equal("moduleId"sv)) return read_string(v, out.module_id);
              break;
            default:
              break;
          }
          return simdjson::SUCCESS;  // an unknown key: the iteration skips its value
        });
  }

  static simdjson::error_code read_batch_event(od::object& event, flat_batch_event<sv>& out) {
    return for_each_member(
        event, [&out](od::raw_json_string key, od::value & v) __attribute__((always_inline)) {
          switch (key.raw()[0]) {
            case 'e':
              if (key.unsafe_is_equal("eventId"sv)) return read_string(v, out.event_id);
              if (key.unsafe_is_equal("eventName"sv)) return read_enum(v, out.event_name);
              if (key.unsafe_is_equal("eventInfo"sv)) return read_string(v, out.event_info);
              break;
            case 't':
              if (key.unsafe_is_equal("timestamp"sv)) return read_date(v, out.timestamp);
              break;
            case 'd':
              if (key.unsafe_is_equal("data"sv)) return read_nested(v, read_batch_data, out);
              break;
            default:
              break;
          }
          return simdjson::SUCCESS;
        });
  }

  static simdjson::error_code read_person(od::object& object, flat_person<sv>& out,
                                          std::vector<sv>& roles) {
    return for_each_member(
        object,
        [&out, &roles ](od::raw_json_string key, od::value & v) __attribute__((always_inline)) {
          switch (key.raw()[0]) {
            case 'u':
              if (key.unsafe_is_equal("userId"sv)) return read_string(v, out.user_id);
              if (key.unsafe_is_equal("userType"sv)) return read_enum(v, out.user_type);
              break;
            case 'n':
              if (key.unsafe_is_equal("name"sv)) return read_string(v, out.name);
              break;
            case 'e':
              if (key.unsafe_is_equal("email"sv)) return read_string(v, out.email);
              break;
            case 'r':
              if (key.unsafe_is_equal("roles"sv)) return read_strings(v, roles);
              break;
            default:
              break;
          }
          return simdjson::SUCCESS;
        });
  }

  static simdjson::error_code read_learning_object(od::object& object,
                                                   flat_learning_object<sv>& out) {
    return for_each_member(
        object, [&out](od::raw_json_string key, od::value & v) __attribute__((always_inline)) {
          switch (key.raw()[0]) {
            case 'l':
              if (key.unsafe_is_equal("loId"sv)) return read_string(v, out.lo_id);
              if (key.unsafe_is_equal("loType"sv)) return read_enum(v, out.lo_type);
              break;
            case 'n':
              if (key.unsafe_is_equal("name"sv)) return read_string(v, out.name);
              break;
            case 'i':
              if (key.unsafe_is_equal("instanceId"sv)) return read_string(v, out.instance_id);
              break;
            default:
              break;
          }
          return simdjson::SUCCESS;
        });
  }

  // badge {badgeId, name, imageUrl}, certification {certificationId, name, instanceId},
  // skill {skillId, name, levelName, credits}.
  static simdjson::error_code read_award(od::object& object, flat_award<sv>& out) {
    return for_each_member(
        object, [&out](od::raw_json_string key, od::value & v) __attribute__((always_inline)) {
          switch (key.raw()[0]) {
            case 'b':
              if (key.unsafe_is_equal("badgeId"sv)) return read_string(v, out.id);
              break;
            case 'c':
              if (key.unsafe_is_equal("certificationId"sv)) return read_string(v, out.id);
              if (key.unsafe_is_equal("credits"sv)) {
                out.has_credits = true;
                return v.get_double().get(out.credits);
              }
              break;
            case 's':
              if (key.unsafe_is_equal("skillId"sv)) return read_string(v, out.id);
              break;
            case 'n':
              if (key.unsafe_is_equal("name"sv)) return read_string(v, out.name);
              break;
            case 'i':
              if (key.unsafe_is_equal("imageUrl"sv) || key.unsafe_is_equal("instanceId"sv)) {
                return read_string(v, out.detail);
              }
              break;
            case 'l':
              if (key.unsafe_is_equal("levelName"sv)) return read_string(v, out.detail);
              break;
            default:
              break;
          }
          return simdjson::SUCCESS;
        });
  }

  static simdjson::error_code read_job(od::object& object, flat_job<sv>& out) {
    return for_each_member(
        object, [&out](od::raw_json_string key, od::value & v) __attribute__((always_inline)) {
          switch (key.raw()[0]) {
            case 'j':
              if (key.unsafe_is_equal("jobId"sv)) return read_string(v, out.job_id);
              if (key.unsafe_is_equal("jobType"sv)) return read_enum(v, out.job_type);
              break;
            case 's':
              if (key.unsafe_is_equal("status"sv)) return read_enum(v, out.status);
              break;
            case 'd':
              if (key.unsafe_is_equal("downloadUrl"sv)) return read_string(v, out.download_url);
              break;
            case 'r':
              if (key.unsafe_is_equal("recordsProcessed"sv)) {
                return v.get_int64().get(out.records_processed);
              }
              if (key.unsafe_is_equal("recordsFailed"sv))
                return v.get_int64().get(out.records_failed);
              break;
            default:
              break;
          }
          return simdjson::SUCCESS;
        });
  }

  template <class Read, class Out>
  static simdjson::error_code read_nested(od::value& v, Read read, Out& out) {
    od::object object;
    SIMDJSON_TRY(v.get_object().get(object));
    return read(object, out);
  }

  static simdjson::error_code read_person_at(od::value& v, view_asyncapi& out) {
    od::object object;
    SIMDJSON_TRY(v.get_object().get(object));
    return read_person(object, out.person, out.roles);
  }

  static simdjson::error_code read_asyncapi_member(od::raw_json_string key, od::value& v,
                                                   view_asyncapi& out) {
    switch (key.raw()[0]) {
      case 'e':
        if (key.unsafe_is_equal("eventType"sv)) return read_enum(v, out.event_type);
        if (key.unsafe_is_equal("eventId"sv)) return read_string(v, out.event_id);
        if (key.unsafe_is_equal("enrollmentId"sv)) return read_string(v, out.enrollment_id);
        if (key.unsafe_is_equal("enrollmentType"sv)) return read_enum(v, out.enrollment_type);
        break;
      case 'a':
        if (key.unsafe_is_equal("accountId"sv)) return read_id(v, out.account_id);
        break;
      case 't':
        if (key.unsafe_is_equal("timestamp"sv)) return read_date(v, out.timestamp);
        break;
      case 's':
        if (key.unsafe_is_equal("source"sv)) return read_enum(v, out.source);
        if (key.unsafe_is_equal("score"sv)) {
          out.has_score = true;
          return v.get_double().get(out.score);
        }
        if (key.unsafe_is_equal("skill"sv)) return read_nested(v, read_award, out.award);
        break;
      case 'l':
        if (key.unsafe_is_equal("learner"sv)) return read_person_at(v, out);
        if (key.unsafe_is_equal("learningObject"sv)) {
          return read_nested(v, read_learning_object, out.learning_object);
        }
        break;
      case 'u':
        if (key.unsafe_is_equal("user"sv)) return read_person_at(v, out);
        if (key.unsafe_is_equal("unenrolledBy"sv)) return read_enum(v, out.unenrolled_by);
        if (key.unsafe_is_equal("updatedBy"sv)) return read_string(v, out.updated_by);
        if (key.unsafe_is_equal("updatedFields"sv)) return read_strings(v, out.updated_fields);
        break;
      case 'b':
        if (key.unsafe_is_equal("badge"sv)) return read_nested(v, read_award, out.award);
        break;
      case 'c':
        if (key.unsafe_is_equal("certification"sv)) return read_nested(v, read_award, out.award);
        if (key.unsafe_is_equal("completedOn"sv)) return read_date(v, out.date);
        if (key.unsafe_is_equal("createdBy"sv)) return read_string(v, out.created_by);
        if (key.unsafe_is_equal("creationMethod"sv)) return read_enum(v, out.creation_method);
        break;
      case 'j':
        if (key.unsafe_is_equal("job"sv)) return read_nested(v, read_job, out.job);
        break;
      case 'h':
        if (key.unsafe_is_equal("hasPassed"sv)) return read_flag(v, out.has_passed);
        break;
      case 'p':
        if (key.unsafe_is_equal("progressPercent"sv))
          return v.get_int64().get(out.progress_percent);
        break;
      case 'v':
        if (key.unsafe_is_equal("validUntil"sv)) return read_date(v, out.valid_until);
        break;
      case 'r':
        if (key.unsafe_is_equal("recertificationDeadline"sv)) {
          return read_date(v, out.recertification_deadline);
        }
        break;
      case 'd':
        // dateEnrolled, dateUnenrolled, dateCreated, dateUpdated, dateAwarded, dateAchieved,
        // dateDeleted, dateCompleted: at most one per event type.
        if (key.unsafe_is_equal("dateEnrolled"sv) || key.unsafe_is_equal("dateUnenrolled"sv) ||
            key.unsafe_is_equal("dateCreated"sv) || key.unsafe_is_equal("dateUpdated"sv) ||
            key.unsafe_is_equal("dateAwarded"sv) || key.unsafe_is_equal("dateAchieved"sv) ||
            key.unsafe_is_equal("dateDeleted"sv) || key.unsafe_is_equal("dateCompleted"sv)) {
          return read_date(v, out.date);
        }
        break;
      default:
        break;
    }
    return simdjson::SUCCESS;  // an unknown key: the iteration skips its value
  }

  simdjson::ondemand::parser parser_;
};

}  // namespace bench
