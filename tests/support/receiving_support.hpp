// Test helpers for the receiving side: typed events built in memory, and a delivery over them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "alm/webhooks/event.hpp"

namespace receiving_test {

namespace aw = alm::webhooks;

inline aw::date_time at(std::int64_t ms) {
  return aw::date_time::from_milliseconds(ms);
}

template <class Data>
aw::batch_event<Data> batch(std::string_view event_id, std::string_view name, Data data,
                            std::optional<std::int64_t> ms = std::nullopt) {
  aw::batch_event<Data> e;
  e.event_id = event_id;
  e.event_name = aw::enum_value<aw::batch_event_name>::from_text(name);
  if (ms) e.timestamp = at(*ms);
  e.data = data;
  return e;
}

inline aw::batch_enrollment enrollment(std::string_view event_id, std::string_view user,
                                       std::string_view instance,
                                       std::optional<std::int64_t> ms = std::nullopt,
                                       std::string_view name = "COURSE_ENROLLMENT") {
  aw::enrollment_data d;
  d.user_id = aw::id_value(user, true);
  d.lo_id = "course:1";
  d.lo_instance_id = instance;
  return batch(event_id, name, d, ms);
}

inline aw::batch_progress progress(std::string_view event_id, std::string_view user,
                                   std::string_view instance, std::optional<std::int64_t> percent,
                                   std::optional<std::int64_t> ms = std::nullopt) {
  aw::progress_data d;
  d.user_id = aw::id_value(user, true);
  d.lo_id = "course:1";
  d.lo_instance_id = instance;
  d.progress_percent = percent;
  return batch(event_id, "LEARNER_PROGRESS", d, ms);
}

inline aw::batch_completion completion(std::string_view event_id, std::string_view user,
                                       std::string_view instance,
                                       std::optional<std::int64_t> ms = std::nullopt) {
  aw::completion_data d;
  d.user_id = aw::id_value(user, true);
  d.lo_id = "course:1";
  d.lo_instance_id = instance;
  return batch(event_id, "COURSE_COMPLETED", d, ms);
}

inline aw::batch_unenrollment unenrollment(std::string_view event_id, std::string_view user,
                                           std::string_view instance,
                                           std::optional<std::int64_t> ms = std::nullopt) {
  aw::unenrollment_data d;
  d.user_id = aw::id_value(user, true);
  d.lo_id = "course:1";
  d.lo_instance_id = instance;
  return batch(event_id, "COURSE_UNENROLLMENT", d, ms);
}

/// An AsyncAPI learner event (learner_enrollment, learner_progress, ...) for one enrollment.
template <class Event>
Event learner_event(std::string_view event_id, std::string_view user, std::string_view instance,
                    std::int64_t ms) {
  Event e;
  e.event_type = aw::to_string(Event::type);
  e.event_id = event_id;
  e.account_id = aw::id_value("1010");
  e.timestamp = at(ms);
  aw::learner_reference learner;
  learner.user_id = user;
  e.learner = learner;
  aw::learning_object_reference lo;
  lo.lo_id = "course:1";
  lo.instance_id = instance;
  e.learning_object = lo;
  return e;
}

inline aw::raw_event unknown_event(std::string_view event_id, std::string_view name) {
  aw::raw_event e;
  e.event_id = event_id;
  e.event_name = name;
  e.data = aw::raw_json{"{}"};
  return e;
}

/// Owns the events a delivery views.
struct owned_delivery {
  std::vector<aw::event> events;
  aw::body_format format{aw::body_format::batch};
  std::string_view account{"1010"};

  aw::delivery view() const {
    return aw::delivery{format, aw::id_value(account, true),
                        aw::array_view<aw::event>(events.data(), events.size())};
  }
};

}  // namespace receiving_test
