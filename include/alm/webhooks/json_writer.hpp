// The JSON writer: any typed event (or a whole delivery) back to the wire format it came in, so
// that parsing the output gives the same event again. Driven by the field tables, so every field
// of every struct is written without a per-type writer.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "alm/webhooks/detail/json_escape.hpp"
#include "alm/webhooks/detail/reflection.hpp"
#include "alm/webhooks/detail/value_traits.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/id.hpp"
#include "alm/webhooks/raw_json.hpp"
#include "alm/webhooks/time.hpp"

namespace alm::webhooks {

namespace detail {

// Named apart from dispatch.hpp's always_false_v: both headers are included together.
template <class T>
inline constexpr bool no_json_form_v = false;

template <class Integer>
void write_integer(fmt::memory_buffer& out, Integer value) {
  const fmt::format_int text(value);
  out.append(text.data(), text.data() + text.size());
}

/// JSON has no NaN or infinity: those are written as null.
inline void write_double(fmt::memory_buffer& out, double value) {
  if (!std::isfinite(value)) {
    append(out, "null");
    return;
  }
  // "{}" is the shortest text that reads back as the same double.
  fmt::format_to(fmt::appender(out), FMT_STRING("{}"), value);
}

inline void write_iso8601(fmt::memory_buffer& out, date_time t) {
  char text[date_time::iso8601_capacity];
  const std::size_t size = t.write_iso8601(text);
  out.append(text, text + size);
}

/// A date in the form it was read in. An epoch number is written only when reading it back
/// (seconds and milliseconds told apart by magnitude) gives the same instant; otherwise, e.g.
/// for a date built in code with a sub-second part but tagged as seconds, ISO-8601 keeps it
/// exact.
inline void write_date(fmt::memory_buffer& out, date_time t) {
  const std::int64_t ms = t.milliseconds_since_epoch();
  if (t.form() == time_form::epoch_seconds && ms % 1000 == 0 &&
      date_time::from_epoch_number(ms / 1000).form() == time_form::epoch_seconds) {
    write_integer(out, ms / 1000);
    return;
  }
  if (t.form() == time_form::epoch_milliseconds &&
      date_time::from_epoch_number(ms).form() == time_form::epoch_milliseconds) {
    write_integer(out, ms);
    return;
  }
  out.push_back('"');
  write_iso8601(out, t);
  out.push_back('"');
}

/// An id as the JSON number it came as, or a string (also when its text is no valid number).
inline void write_id(fmt::memory_buffer& out, const id_value& id) {
  if (id.is_number && is_json_number(id.text)) {
    append(out, id.text);
  } else {
    append_json_string(out, id.text);
  }
}

/// `"name":`, preceded by a comma unless it is the object's first key. Wire names are plain
/// identifiers, so they need no escaping.
inline void write_key(fmt::memory_buffer& out, bool& first, std::string_view name) {
  if (!first) out.push_back(',');
  first = false;
  out.push_back('"');
  append(out, name);
  out.push_back('"');
  out.push_back(':');
}

template <class T>
void write_value(fmt::memory_buffer& out, const T& value);

/// A described struct as an object: its present fields in wire order.
template <class T>
void write_object(fmt::memory_buffer& out, const T& object) {
  out.push_back('{');
  bool first = true;
  for_each_field(object, [&](const auto& field, const auto& member) {
    using field_type = std::decay_t<decltype(field)>;
    if constexpr (is_asyncapi_event_v<T> &&
                  std::is_same_v<typename field_type::class_type, event_header> &&
                  std::is_same_v<typename field_type::member_type, std::string_view>) {
      // An event built in code may leave eventType empty: its struct says which it is.
      if (field.member == &event_header::event_type) {
        write_key(out, first, field.name);
        append_json_string(out, event_name_text(object));
        return;
      }
    }
    if (!is_present(member)) return;
    write_key(out, first, field.name);
    write_value(out, member);
  });
  out.push_back('}');
}

template <class T>
void write_value(fmt::memory_buffer& out, const T& value) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    append_json_string(out, value);
  } else if constexpr (std::is_same_v<T, id_value>) {
    write_id(out, value);
  } else if constexpr (is_enum_value<T>::value) {
    append_json_string(out, wire_text(value));
  } else if constexpr (std::is_same_v<T, date_time>) {
    write_date(out, value);
  } else if constexpr (std::is_same_v<T, raw_json>) {
    append(out, value.present() ? value.text : std::string_view("null"));
  } else if constexpr (is_optional<T>::value) {
    if (value) {
      write_value(out, *value);
    } else {
      append(out, "null");
    }
  } else if constexpr (is_array_view<T>::value) {
    out.push_back('[');
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (i != 0) out.push_back(',');
      write_value(out, value[i]);
    }
    out.push_back(']');
  } else if constexpr (std::is_same_v<T, bool>) {
    append(out, value ? std::string_view("true") : std::string_view("false"));
  } else if constexpr (std::is_integral_v<T>) {
    write_integer(out, value);
  } else if constexpr (std::is_floating_point_v<T>) {
    write_double(out, static_cast<double>(value));
  } else if constexpr (is_described_v<T>) {
    write_object(out, value);
  } else {
    static_assert(no_json_form_v<T>, "no JSON form for this member type");
  }
}

/// The format an event struct belongs to.
template <class T>
constexpr body_format format_of_type(const T& e) noexcept {
  if constexpr (is_asyncapi_event_v<T>) {
    return body_format::asyncapi;
  } else if constexpr (is_batch_event<T>::value) {
    return body_format::batch;
  } else {
    return e.format;
  }
}

/// One event as a JSON object: an AsyncAPI body, or one entry of a batch's `events`.
template <class T>
void write_event_object(fmt::memory_buffer& out, const T& e) {
  if constexpr (std::is_same_v<T, raw_event>) {
    if (e.format == body_format::asyncapi) {
      // An unknown AsyncAPI event is its whole object, kept raw.
      if (e.data.present()) {
        append(out, e.data.text);
        return;
      }
      // Built in code without a body: the base fields it has.
      out.push_back('{');
      bool first = true;
      write_key(out, first, "eventType");
      append_json_string(out, e.event_name);
      if (!e.event_id.empty()) {
        write_key(out, first, "eventId");
        append_json_string(out, e.event_id);
      }
      if (e.timestamp) {
        write_key(out, first, "timestamp");
        write_date(out, *e.timestamp);
      }
      out.push_back('}');
      return;
    }
  }
  write_object(out, e);
}

/// `{"accountId":...,"events":[...]}` around the entries `write_entries` appends.
template <class Fn>
void write_envelope(fmt::memory_buffer& out, const id_value& account_id, Fn&& write_entries) {
  out.push_back('{');
  bool first = true;
  if (account_id.present()) {
    write_key(out, first, "accountId");
    write_id(out, account_id);
  }
  write_key(out, first, "events");
  out.push_back('[');
  write_entries();
  out.push_back(']');
  out.push_back('}');
}

/// A whole body holding one event: batch events get an envelope of one.
template <class T>
void write_event_body(fmt::memory_buffer& out, const T& e, const id_value& batch_account_id) {
  if (format_of_type(e) == body_format::batch) {
    write_envelope(out, batch_account_id, [&] { write_event_object(out, e); });
  } else {
    write_event_object(out, e);
  }
}

inline void write_delivery(fmt::memory_buffer& out, const delivery& d) {
  const auto write_one = [&out](const auto& e) { write_event_object(out, e); };
  if (d.format == body_format::asyncapi) {
    if (d.events.empty()) {
      append(out, "{}");
    } else {
      std::visit(write_one, d.events[0]);
    }
    return;
  }
  write_envelope(out, d.account_id, [&] {
    for (std::size_t i = 0; i < d.events.size(); ++i) {
      if (i != 0) out.push_back(',');
      std::visit(write_one, d.events[i]);
    }
  });
}

/// Runs a writer; if memory runs out, takes back what it appended and reports false.
template <class Fn>
bool guarded_write(fmt::memory_buffer& out, Fn&& write) noexcept {
  const std::size_t mark = out.size();
  try {
    write(out);
    return true;
  } catch (...) {
    out.resize(mark);
    return false;
  }
}

/// Runs a writer into a fresh buffer and returns its text; empty if memory runs out.
template <class Fn>
std::string guarded_string(Fn&& write) noexcept {
  try {
    fmt::memory_buffer out;
    write(out);
    return std::string(out.data(), out.size());
  } catch (...) {
    return std::string();
  }
}

}  // namespace detail

/// Appends the JSON body of one event to `out`, in the wire format it belongs to:
/// - an AsyncAPI event: the whole body, `{"eventType":...}`;
/// - a batch event: a complete envelope of one, `{"accountId":<batch_account_id>,"events":[...]}`
///   (`accountId` is left out when `batch_account_id` is absent, as batch events do not carry it);
/// - a raw_event: AsyncAPI ones as their raw JSON, batch ones as an entry with raw `data`.
/// Absent fields stay absent; dates keep the form they were read in; strings are escaped.
/// Does not allocate once `out` has room. Returns false only if memory ran out, in which case
/// `out` is left as it was. Thread-safe for distinct buffers.
inline bool write_json(fmt::memory_buffer& out, const event& e,
                       const id_value& batch_account_id = {}) noexcept {
  return detail::guarded_write(out, [&](fmt::memory_buffer& buffer) {
    std::visit([&](const auto& x) { detail::write_event_body(buffer, x, batch_account_id); }, e);
  });
}

/// As write_json(out, event) for one concrete event struct (learner_completion,
/// batch_enrollment...).
template <class E, std::enable_if_t<detail::is_event_type_v<E>, int> = 0>
bool write_json(fmt::memory_buffer& out, const E& e,
                const id_value& batch_account_id = {}) noexcept {
  return detail::guarded_write(out, [&](fmt::memory_buffer& buffer) {
    detail::write_event_body(buffer, e, batch_account_id);
  });
}

/// The JSON body of one event (see write_json). Empty only if memory ran out.
inline std::string to_json(const event& e, const id_value& batch_account_id = {}) noexcept {
  return detail::guarded_string([&](fmt::memory_buffer& buffer) {
    std::visit([&](const auto& x) { detail::write_event_body(buffer, x, batch_account_id); }, e);
  });
}

/// The JSON body of one concrete event struct (see write_json).
template <class E, std::enable_if_t<detail::is_event_type_v<E>, int> = 0>
std::string to_json(const E& e, const id_value& batch_account_id = {}) noexcept {
  return detail::guarded_string(
      [&](fmt::memory_buffer& buffer) { detail::write_event_body(buffer, e, batch_account_id); });
}

/// Appends the whole body of a delivery in its wire format: a batch envelope with its account
/// and every event, or, for an AsyncAPI delivery, its one event (`{}` if it holds none; only the
/// first is written if it holds several, as an AsyncAPI body carries one). Returns false only if
/// memory ran out, leaving `out` as it was.
inline bool write_json(fmt::memory_buffer& out, const delivery& d) noexcept {
  return detail::guarded_write(
      out, [&](fmt::memory_buffer& buffer) { detail::write_delivery(buffer, d); });
}

/// The whole body of a delivery (see write_json). Empty only if memory ran out.
inline std::string to_json(const delivery& d) noexcept {
  return detail::guarded_string(
      [&](fmt::memory_buffer& buffer) { detail::write_delivery(buffer, d); });
}

}  // namespace alm::webhooks
