// The common choice: nlohmann::json parses the body into a DOM, and the fields are copied out into
// owning structs (std::string members), as most C++ webhook receivers do today. Written the way
// such code usually is (find/at/get<T>), converting dates and enums exactly as the floor does.
// Throws nlohmann::json::exception on malformed input, as that code does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <alm/webhooks/time.hpp>

#include "flat_events.hpp"

namespace bench::nlohmann_path {

using json = nlohmann::json;
using owned_batch = flat_batch<std::string>;
using owned_asyncapi = flat_asyncapi_event<std::string>;

using member = json::const_iterator;

inline void read_string(const json& object, member it, std::string& out) {
  if (it != object.end()) out = it->get<std::string>();
}

inline void read_string(const json& object, const char* key, std::string& out) {
  read_string(object, object.find(key), out);
}

template <class E>
void read_enum(const json& object, const char* key, flat_enum<std::string, E>& out) {
  const auto it = object.find(key);
  if (it != object.end()) out = make_enum<E>(it->get<std::string>());
}

inline void read_id(const json& object, const char* key, flat_id<std::string>& out) {
  const auto it = object.find(key);
  if (it == object.end()) return;
  out.is_number = it->is_number();
  out.text = out.is_number ? std::to_string(it->get<std::int64_t>()) : it->get<std::string>();
}

inline void read_date(const json& object, member it, flat_date& out) {
  if (it == object.end() || it->is_null()) return;
  if (it->is_number()) {
    out = {alm::webhooks::date_time::from_epoch_number(it->get<std::int64_t>())
               .milliseconds_since_epoch(),
           true};
    return;
  }
  const auto parsed = alm::webhooks::date_time::parse(it->get<std::string>());
  if (!parsed) throw std::runtime_error("invalid date");
  out = {parsed->milliseconds_since_epoch(), true};
}

inline void read_date(const json& object, const char* key, flat_date& out) {
  read_date(object, object.find(key), out);
}

/// The first of `keys` present in `object`, or its end (the date and reference fields differ by
/// type): each key looked up once.
template <std::size_t N>
member find_first(const json& object, const char* const (&keys)[N]) {
  for (const char* key : keys) {
    if (const auto it = object.find(key); it != object.end()) return it;
  }
  return object.end();
}

inline void read_strings(const json& object, const char* key, std::vector<std::string>& out) {
  const auto it = object.find(key);
  if (it != object.end()) out = it->get<std::vector<std::string>>();
}

inline void read_batch_event(const json& j, flat_batch_event<std::string>& out) {
  read_string(j, "eventId", out.event_id);
  read_enum(j, "eventName", out.event_name);
  read_date(j, "timestamp", out.timestamp);
  read_string(j, "eventInfo", out.event_info);
  const json& data = j.at("data");
  read_id(data, "userId", out.user_id);
  read_string(data, "loId", out.lo_id);
  read_string(data, "loInstanceId", out.lo_instance_id);
  read_enum(data, "loType", out.lo_type);
  read_enum(data, "enrollmentSource", out.enrollment_source);
  static constexpr const char* dates[] = {"dateEnrolled", "dateCompleted", "dateStarted"};
  read_date(data, find_first(data, dates), out.date);
  if (const auto it = data.find("hasPassed"); it != data.end()) {
    out.has_passed = it->get<bool>() ? 1 : 0;
  }
  if (const auto it = data.find("score"); it != data.end()) {
    out.score = it->get<double>();
    out.has_score = true;
  }
  if (const auto it = data.find("progressPercent"); it != data.end()) {
    out.progress_percent = it->get<std::int64_t>();
  }
  read_string(data, "moduleId", out.module_id);
}

/// Parses a batch envelope into owning structs.
inline owned_batch parse_batch(std::string_view body) {
  const json j = json::parse(body);
  owned_batch out;
  read_id(j, "accountId", out.account_id);
  const json& events = j.at("events");
  out.events.reserve(events.size());
  for (const json& e : events)
    read_batch_event(e, out.events.emplace_back());
  return out;
}

inline void read_person(const json& j, flat_person<std::string>& out,
                        std::vector<std::string>& roles) {
  read_string(j, "userId", out.user_id);
  read_string(j, "name", out.name);
  read_string(j, "email", out.email);
  read_strings(j, "roles", roles);
  read_enum(j, "userType", out.user_type);
}

inline void read_learning_object(const json& j, flat_learning_object<std::string>& out) {
  read_string(j, "loId", out.lo_id);
  read_enum(j, "loType", out.lo_type);
  read_string(j, "name", out.name);
  read_string(j, "instanceId", out.instance_id);
}

inline void read_award(const json& j, flat_award<std::string>& out) {
  static constexpr const char* ids[] = {"badgeId", "certificationId", "skillId"};
  static constexpr const char* details[] = {"imageUrl", "instanceId", "levelName"};
  read_string(j, find_first(j, ids), out.id);
  read_string(j, "name", out.name);
  read_string(j, find_first(j, details), out.detail);
  if (const auto it = j.find("credits"); it != j.end()) {
    out.credits = it->get<double>();
    out.has_credits = true;
  }
}

inline void read_job(const json& j, flat_job<std::string>& out) {
  read_string(j, "jobId", out.job_id);
  read_enum(j, "jobType", out.job_type);
  read_enum(j, "status", out.status);
  read_string(j, "downloadUrl", out.download_url);
  if (const auto it = j.find("recordsProcessed"); it != j.end()) {
    out.records_processed = it->get<std::int64_t>();
  }
  if (const auto it = j.find("recordsFailed"); it != j.end()) {
    out.records_failed = it->get<std::int64_t>();
  }
}

/// Parses one AsyncAPI event of any type into an owning struct.
inline owned_asyncapi parse_asyncapi(std::string_view body) {
  const json j = json::parse(body);
  owned_asyncapi out;
  read_enum(j, "eventType", out.event_type);
  read_string(j, "eventId", out.event_id);
  read_id(j, "accountId", out.account_id);
  read_date(j, "timestamp", out.timestamp);
  read_enum(j, "source", out.source);
  static constexpr const char* people[] = {"learner", "user"};
  if (const auto it = find_first(j, people); it != j.end()) {
    read_person(*it, out.person, out.roles);
  }
  if (const auto it = j.find("learningObject"); it != j.end()) {
    read_learning_object(*it, out.learning_object);
  }
  static constexpr const char* awards[] = {"badge", "certification", "skill"};
  if (const auto it = find_first(j, awards); it != j.end()) read_award(*it, out.award);
  if (const auto it = j.find("job"); it != j.end()) read_job(*it, out.job);
  read_string(j, "enrollmentId", out.enrollment_id);
  read_enum(j, "enrollmentType", out.enrollment_type);
  read_enum(j, "unenrolledBy", out.unenrolled_by);
  read_enum(j, "creationMethod", out.creation_method);
  read_string(j, "createdBy", out.created_by);
  read_string(j, "updatedBy", out.updated_by);
  read_strings(j, "updatedFields", out.updated_fields);
  if (const auto it = j.find("hasPassed"); it != j.end()) out.has_passed = it->get<bool>() ? 1 : 0;
  if (const auto it = j.find("score"); it != j.end()) {
    out.score = it->get<double>();
    out.has_score = true;
  }
  if (const auto it = j.find("progressPercent"); it != j.end()) {
    out.progress_percent = it->get<std::int64_t>();
  }
  static constexpr const char* dates[] = {"dateEnrolled", "completedOn", "dateUnenrolled",
                                          "dateCreated",  "dateUpdated", "dateAwarded",
                                          "dateAchieved", "dateDeleted", "dateCompleted"};
  read_date(j, find_first(j, dates), out.date);
  read_date(j, "validUntil", out.valid_until);
  read_date(j, "recertificationDeadline", out.recertification_deadline);
  return out;
}

}  // namespace bench::nlohmann_path
