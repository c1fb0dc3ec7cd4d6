// Internal: what the field walkers (JSON writer, formatters) need to know about a member's type:
// which family it belongs to, whether a value counts as present, and the name, id and time of
// any event struct.
#pragma once

#include <optional>
#include <string_view>
#include <type_traits>

#include "alm/webhooks/array_view.hpp"
#include "alm/webhooks/asyncapi_events.hpp"
#include "alm/webhooks/batch_events.hpp"
#include "alm/webhooks/detail/reflection.hpp"
#include "alm/webhooks/enums.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/id.hpp"
#include "alm/webhooks/raw_json.hpp"
#include "alm/webhooks/time.hpp"

namespace alm::webhooks::detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_array_view : std::false_type {};
template <class T>
struct is_array_view<array_view<T>> : std::true_type {};

template <class T>
struct is_enum_value : std::false_type {};
template <class E>
struct is_enum_value<enum_value<E>> : std::true_type {};

template <class E, class = void>
struct has_enum_names : std::false_type {};
template <class E>
struct has_enum_names<E, std::void_t<decltype(enum_traits<E>::names)>> : std::is_enum<E> {};

template <class T>
struct is_batch_event : std::false_type {};
template <class D>
struct is_batch_event<batch_event<D>> : std::true_type {};

/// One of the 13 AsyncAPI event structs.
template <class T>
inline constexpr bool is_asyncapi_event_v =
    std::is_base_of_v<event_header, T> && !std::is_same_v<event_header, T>;

template <class T, class Variant>
struct is_alternative_of;
template <class T, class... Ts>
struct is_alternative_of<T, std::variant<Ts...>>
    : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {};

/// A concrete event type: one alternative of `event`.
template <class T>
inline constexpr bool is_event_type_v = is_alternative_of<T, event>::value;

/// The text an enum_value is written as: its raw text, or the spelling of a value built in code.
template <class E>
constexpr std::string_view wire_text(const enum_value<E>& v) noexcept {
  return v.present() ? v.text : v.known() ? to_string(v.value) : std::string_view{};
}

/// Whether a member holds something worth writing. Absent stays absent: empty views, absent ids
/// and enums, empty arrays and nullopt are left out of the output.
template <class T>
constexpr bool is_present(const T& value) noexcept {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return !value.empty();
  } else if constexpr (std::is_same_v<T, id_value> || std::is_same_v<T, raw_json>) {
    return value.present();
  } else if constexpr (is_enum_value<T>::value) {
    return !wire_text(value).empty();
  } else if constexpr (is_optional<T>::value) {
    return value.has_value();
  } else if constexpr (is_array_view<T>::value) {
    return !value.empty();
  } else {
    return true;
  }
}

/// The wire name of an event: `eventType` (the struct's own type when built in code without
/// one), `eventName`, or the raw event's name. Empty for structs that are no event, so that
/// generic code may name it in branches it discards.
template <class T>
constexpr std::string_view event_name_text(const T& e) noexcept {
  if constexpr (is_asyncapi_event_v<T>) {
    return e.event_type.empty() ? to_string(T::type) : e.event_type;
  } else if constexpr (is_batch_event<T>::value) {
    return wire_text(e.event_name);
  } else if constexpr (std::is_same_v<T, raw_event>) {
    return e.event_name;
  } else {
    return {};
  }
}

/// The timestamp of an event, when it has one.
template <class T>
constexpr std::optional<date_time> event_time(const T& e) noexcept {
  return e.timestamp;
}

}  // namespace alm::webhooks::detail
