// Realistic sample bodies for every known event of both formats. The fields are filled from the
// events' field tables, so a field added to an event appears in its sample without an edit here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include <alm/webhooks.hpp>

#include "command_line.hpp"

namespace alm_webhooks_cli {

/// One sample: its event name and the format it is sent in.
struct sample_kind {
  std::string_view name;
  hooks::body_format format;
};

namespace detail {

// Values keyed by "<parent>.<wireName>" first, then by "<wireName>" alone.
struct text_entry {
  std::string_view key;
  std::string_view value;
};
inline constexpr text_entry sample_texts[] = {
    {"learner.name", "Priya Raman"},
    {"learner.email", "priya.raman@example.com"},
    {"user.name", "Jean-Luc Dubois"},
    {"user.email", "jl.dubois@example.com"},
    {"learningObject.name", "Workplace Safety Essentials"},
    {"badge.name", "Safety Champion"},
    {"certification.name", "Forklift Operator Certification"},
    {"skill.name", "Hazard Identification"},
    {"userId", "4279332"},
    {"loId", "course:7374992"},
    {"loInstanceId", "course:7374992_10250977"},
    {"instanceId", "course:7374992_10250977"},
    {"enrollmentId", "enrollment:7374992_10250977_4279332"},
    {"createdBy", "1173"},
    {"updatedBy", "1173"},
    {"badgeId", "badge:20451"},
    {"imageUrl", "https://learningmanager.example.com/badges/20451.png"},
    {"certificationId", "certification:98213"},
    {"skillId", "skill:18804"},
    {"levelName", "Practitioner"},
    {"jobId", "job:2024113001"},
    {"downloadUrl", "https://learningmanager.example.com/exports/job-2024113001.csv"},
    {"moduleId", "module:5581023"},
    {"status", "SUCCESS"},
    {"type", "user"},
    {"id", "4279332"},
    {"eventInfo", "1727414643000-047210-84242-0"},
    {"eventInitiator", "1173"},
};
inline constexpr std::string_view sample_list_items[] = {"name", "email"};
inline constexpr std::string_view sample_roles[] = {"learner", "manager"};
inline constexpr std::string_view sample_metadata = R"({"requestId":"req-3381"})";

inline std::string_view text_for(std::string_view parent, std::string_view name) {
  for (const auto& entry : sample_texts) {
    const std::string_view key = entry.key;
    if (key.size() == parent.size() + 1 + name.size() && key.substr(0, parent.size()) == parent &&
        key[parent.size()] == '.' && key.substr(parent.size() + 1) == name) {
      return entry.value;
    }
  }
  for (const auto& entry : sample_texts) {
    if (entry.key == name) return entry.value;
  }
  return "sample";
}

inline std::int64_t integer_for(std::string_view name, bool completed) {
  if (name == "progressPercent") return completed ? 100 : 45;
  if (name == "recordsProcessed") return 18342;
  if (name == "recordsFailed") return 7;
  if (name == "seatLimit") return 40;
  if (name == "enrollmentCount") return 37;
  if (name == "waitlistCount" || name == "waitListLimit") return name == "waitlistCount" ? 2 : 10;
  if (name == "seatAvailability") return 3;
  return 8;  // waitlistAvailability
}

// Fills every member of `object` with a realistic value; `now_ms` anchors the dates.
class filler {
 public:
  filler(std::int64_t now_ms, bool completed) : now_ms_(now_ms), completed_(completed) {}

  template <class T>
  void fill(T& object, std::string_view parent) {
    hooks::detail::for_each_field(
        object, [&](const auto& field, auto& member) { fill_member(member, parent, field.name); });
  }

 private:
  template <class M>
  void fill_member(M& member, std::string_view parent, std::string_view name) {
    using namespace hooks::detail;
    if constexpr (std::is_same_v<M, std::string_view>) {
      member = text_for(parent, name);
    } else if constexpr (std::is_same_v<M, hooks::id_value>) {
      member = hooks::id_value(text_for(parent, name), true);
    } else if constexpr (is_enum_value<M>::value) {
      member = M(hooks::enum_traits<decltype(member.value)>::names[0].first);
    } else if constexpr (std::is_same_v<M, hooks::date_time> ||
                         std::is_same_v<M, std::optional<hooks::date_time>>) {
      // Dates a minute apart, each earlier than the event itself.
      member = hooks::date_time::from_milliseconds(now_ms_ - 60'000 * ++dates_);
    } else if constexpr (std::is_same_v<M, std::optional<bool>>) {
      member = true;
    } else if constexpr (std::is_same_v<M, std::optional<double>>) {
      member = name == "credits" ? 2.5 : 92.5;
    } else if constexpr (std::is_same_v<M, std::optional<std::int64_t>>) {
      member = integer_for(name, completed_);
    } else if constexpr (std::is_same_v<M, hooks::array_view<std::string_view>>) {
      member = name == "roles" ? M(sample_roles, 2) : M(sample_list_items, 2);
    } else if constexpr (std::is_same_v<M, hooks::array_view<hooks::user_group_member>>) {
      static const hooks::user_group_member members[] = {
          {"user", hooks::id_value("4279332", true)}, {"user", hooks::id_value("5120887", true)}};
      member = M(members, 2);
    } else if constexpr (std::is_same_v<M, hooks::raw_json>) {
      member = hooks::raw_json{sample_metadata};
    } else if constexpr (is_optional<M>::value) {
      member.emplace();
      fill(*member, name);
    } else if constexpr (is_described_v<M>) {
      fill(member, name);
    } else {
      static_assert(always_false_v<M>, "no sample value for this member type");
    }
  }

  std::int64_t now_ms_;
  bool completed_;
  int dates_{0};
};

inline std::string random_uuid() {
  std::random_device device;
  std::mt19937_64 engine((static_cast<std::uint64_t>(device()) << 32) ^ device());
  const std::uint64_t hi = engine(), lo = engine();
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                     hi & 0xFFF, 0x8000 | (lo >> 48 & 0x3FFF), lo & 0xFFFFFFFFFFFF);
}

template <class Event>
std::string asyncapi_body(std::string_view event_id, std::int64_t now_ms) {
  Event e{};
  filler(now_ms, Event::type == hooks::event_type::learner_completion).fill(e, {});
  e.event_type = hooks::to_string(Event::type);
  e.event_id = event_id;
  e.account_id = hooks::id_value("1010");
  e.timestamp = hooks::date_time::from_milliseconds(now_ms);
  e.source = hooks::event_source::system;
  return hooks::to_json(e);
}

template <class Data>
std::string batch_body(hooks::batch_event_name name, std::string_view event_id,
                       std::int64_t now_ms) {
  hooks::batch_event<Data> e{};
  filler(now_ms, false).fill(e.data, "data");
  e.event_id = event_id;
  e.event_name = name;
  e.timestamp = hooks::date_time::from_milliseconds(now_ms, hooks::time_form::epoch_milliseconds);
  e.event_info = text_for({}, "eventInfo");
  return hooks::to_json(e, hooks::id_value("1010", true));
}

// The AsyncAPI event types in the order of `event`'s alternatives 0-12.
template <std::size_t... I>
std::string asyncapi_body_of(hooks::event_type type, std::string_view id, std::int64_t now_ms,
                             std::index_sequence<I...>) {
  std::string body;
  ((std::variant_alternative_t<I, hooks::event>::type == type
        ? (void)(body = asyncapi_body<std::variant_alternative_t<I, hooks::event>>(id, now_ms))
        : void()),
   ...);
  return body;
}

}  // namespace detail

/// Every sample name: the 13 AsyncAPI event types, then every batch event name.
inline std::vector<sample_kind> sample_kinds() {
  std::vector<sample_kind> kinds;
  for (const auto& entry : hooks::enum_traits<hooks::event_type>::names) {
    kinds.push_back({entry.second, hooks::body_format::asyncapi});
  }
  for (const auto& entry : hooks::enum_traits<hooks::batch_event_name>::names) {
    kinds.push_back({entry.second, hooks::body_format::batch});
  }
  return kinds;
}

/// A body for the sample `name` in `format` (nullopt when there is no such sample), with a fresh
/// eventId and the current time, so that each sample is a new delivery.
inline std::optional<std::string> sample_body(std::string_view name, hooks::body_format format) {
  using namespace std::chrono;
  const std::int64_t now_ms =
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  const std::string id = detail::random_uuid();
  if (format == hooks::body_format::asyncapi) {
    const auto type = hooks::enum_from_string<hooks::event_type>(name);
    if (type == hooks::event_type::unknown) return std::nullopt;
    return detail::asyncapi_body_of(type, id, now_ms, std::make_index_sequence<13>());
  }
  const auto batch_name = hooks::enum_from_string<hooks::batch_event_name>(name);
  switch (hooks::group_of(batch_name)) {
    case hooks::batch_group::enrollment:
      return detail::batch_body<hooks::enrollment_data>(batch_name, id, now_ms);
    case hooks::batch_group::completion:
      return detail::batch_body<hooks::completion_data>(batch_name, id, now_ms);
    case hooks::batch_group::unenrollment:
      return detail::batch_body<hooks::unenrollment_data>(batch_name, id, now_ms);
    case hooks::batch_group::progress:
      return detail::batch_body<hooks::progress_data>(batch_name, id, now_ms);
    case hooks::batch_group::ci_stats:
      return detail::batch_body<hooks::ci_stats_data>(batch_name, id, now_ms);
    case hooks::batch_group::learning_object:
      return detail::batch_body<hooks::learning_object_data>(batch_name, id, now_ms);
    case hooks::batch_group::learning_object_instance:
      return detail::batch_body<hooks::learning_object_instance_data>(batch_name, id, now_ms);
    case hooks::batch_group::user_group_response:
      return detail::batch_body<hooks::user_group_response_data>(batch_name, id, now_ms);
    case hooks::batch_group::unknown:
      break;
  }
  return std::nullopt;
}

}  // namespace alm_webhooks_cli
