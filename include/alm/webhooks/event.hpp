// event: one typed event of either wire format, as a std::variant usable with std::visit, and
// delivery: everything one request body carried.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <variant>

#include "alm/webhooks/array_view.hpp"
#include "alm/webhooks/asyncapi_events.hpp"
#include "alm/webhooks/batch_events.hpp"
#include "alm/webhooks/id.hpp"
#include "alm/webhooks/raw_json.hpp"

namespace alm::webhooks {

/// The two wire formats the parser reads; detected from the body itself.
enum class body_format : std::uint8_t {
  asyncapi,  ///< one event per body, named by `eventType`
  batch,     ///< `{accountId, events: [...]}`, events named by `eventName`
};

constexpr std::string_view to_string(body_format format) noexcept {
  return format == body_format::asyncapi ? "asyncapi" : "batch";
}

/// An event whose name the SDK does not know (either format). It is never an error: it reaches
/// the catch-all handler with its data as raw JSON.
struct raw_event {
  body_format format{body_format::batch};
  std::string_view event_id;           ///< `eventId`
  std::string_view event_name;         ///< `eventName` (batch) or `eventType` (AsyncAPI)
  std::optional<date_time> timestamp;  ///< `timestamp` / `eventTime`, when readable
  std::string_view event_info;         ///< `eventInfo` (batch only)
  raw_json data;  ///< batch: the event's `data`; AsyncAPI: the whole event object
};

/// Any event of either format. Alternatives 0-12 are the AsyncAPI events in the document's
/// order, then the batch groups, then raw_event.
using event =
    std::variant<learner_enrollment, learner_completion, learner_progress, learner_unenrollment,
                 course_created, course_updated, badge_awarded, certification_completed,
                 skill_achieved, user_created, user_updated, user_deleted, job_completed,
                 batch_enrollment, batch_completion, batch_unenrollment, batch_progress,
                 batch_ci_stats, batch_learning_object, batch_learning_object_instance,
                 batch_user_group_response, raw_event>;

/// What one request body carried. `events` views the parser's storage: valid until that parser
/// parses again (see parser.hpp). A batch envelope may carry zero events.
struct delivery {
  body_format format{body_format::batch};
  id_value account_id;  ///< envelope `accountId` (batch) or the event's (AsyncAPI)
  array_view<event> events;
};

/// The `eventId` of any event.
inline std::string_view event_id_of(const event& e) noexcept {
  return std::visit([](const auto& x) -> std::string_view { return x.event_id; }, e);
}

/// The wire name of any event: `eventType` for AsyncAPI events, `eventName` for batch events.
inline std::string_view event_name_of(const event& e) noexcept {
  return std::visit(
      [](const auto& x) -> std::string_view {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_base_of_v<event_header, T>) {
          return x.event_type;
        } else if constexpr (std::is_base_of_v<batch_event_header, T>) {
          return x.event_name.text;
        } else {
          return x.event_name;
        }
      },
      e);
}

/// When the event happened, if it says.
inline std::optional<date_time> timestamp_of(const event& e) noexcept {
  return std::visit([](const auto& x) -> std::optional<date_time> { return x.timestamp; }, e);
}

/// The format an event came in.
inline body_format format_of(const event& e) noexcept {
  return std::visit(
      [](const auto& x) -> body_format {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_base_of_v<event_header, T>) {
          return body_format::asyncapi;
        } else if constexpr (std::is_base_of_v<batch_event_header, T>) {
          return body_format::batch;
        } else {
          return x.format;
        }
      },
      e);
}

ALM_WEBHOOKS_FIELDS(raw_event, detail::make_field("eventId", &raw_event::event_id),
                    detail::make_field("eventName", &raw_event::event_name),
                    detail::make_field("timestamp", &raw_event::timestamp),
                    detail::make_field("eventInfo", &raw_event::event_info),
                    detail::make_field("data", &raw_event::data));

}  // namespace alm::webhooks
