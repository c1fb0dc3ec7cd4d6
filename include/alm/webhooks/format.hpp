// fmt formatters for every type of the SDK a user may log: events of both formats (one readable
// line each), `event`, `delivery`, dates, ids, enums, raw JSON and body_format. Summaries are
// generated from the field tables, so every event type is covered by one formatter.
//
// Layout of an event: `<name> <eventId> <field>=<value> ... at <timestamp>`, e.g.
//   LEARNER_COMPLETION 8a2f0c accountId=1010 learner={userId=u-42} hasPassed=true score=92.5
//   at 2024-11-08T03:49:52.000Z
// (one line). Fields use their wire names and appear only when present; nested objects are
// `{...}`, arrays `[a,b]`; a batch event's `data` fields follow its header fields directly.
// Values that are not plain tokens are JSON-quoted, so control characters never break the line.
// Every formatter accepts the standard string specs (width, fill, alignment: "{:>60}").
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "alm/webhooks/detail/json_escape.hpp"
#include "alm/webhooks/detail/reflection.hpp"
#include "alm/webhooks/detail/value_traits.hpp"
#include "alm/webhooks/enums.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/id.hpp"
#include "alm/webhooks/json_writer.hpp"
#include "alm/webhooks/raw_json.hpp"
#include "alm/webhooks/time.hpp"

namespace alm::webhooks::detail {

/// Whether a summary can show `text` bare: no spaces, quotes, backslashes, control characters
/// or the characters the layout itself uses.
constexpr bool is_plain_token(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
    switch (c) {
      case '"':
      case '\\':
      case '=':
      case '{':
      case '}':
      case '[':
      case ']':
      case ',':
        return false;
      default:
        break;
    }
  }
  return true;
}

inline void write_token(fmt::memory_buffer& out, std::string_view text) {
  if (is_plain_token(text)) {
    append(out, text);
  } else {
    append_json_string(out, text);
  }
}

/// Raw JSON on one line: whitespace outside strings is dropped (JSON strings cannot hold a raw
/// line break), and any control character left is escaped.
inline void write_compact_json(fmt::memory_buffer& out, std::string_view text) {
  constexpr char hex[] = "0123456789abcdef";
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      continue;
    } else if (c == '"') {
      in_string = true;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20) {
      const char escape[6] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 0xF]};
      out.append(escape, escape + 6);
    } else {
      out.push_back(c);
    }
  }
}

template <class T>
void write_summary_value(fmt::memory_buffer& out, const T& value);

template <class T, class Member>
constexpr bool is_batch_data_member() noexcept {
  if constexpr (is_batch_event<T>::value) {
    return std::is_same_v<Member, typename T::data_type>;
  } else {
    return false;
  }
}

/// The fields an event summary shows in fixed places instead of as key=value.
constexpr bool is_summary_heading(std::string_view name) noexcept {
  return name == "eventType" || name == "eventName" || name == "eventId" || name == "timestamp";
}

/// ` name=value` (or `name=value` first inside braces) for each present field of `object`.
template <class T>
void write_summary_fields(fmt::memory_buffer& out, const T& object, bool& first, bool heading) {
  for_each_field(object, [&](const auto& field, const auto& member) {
    using member_type = std::decay_t<decltype(member)>;
    if (!is_present(member) || (heading && is_summary_heading(field.name))) return;
    if constexpr (is_batch_data_member<T, member_type>()) {
      write_summary_fields(out, member, first, false);
    } else {
      if (!first) out.push_back(' ');
      first = false;
      append(out, field.name);
      out.push_back('=');
      write_summary_value(out, member);
    }
  });
}

template <class T>
void write_summary_value(fmt::memory_buffer& out, const T& value) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    write_token(out, value);
  } else if constexpr (std::is_same_v<T, id_value>) {
    write_token(out, value.text);
  } else if constexpr (is_enum_value<T>::value) {
    write_token(out, wire_text(value));
  } else if constexpr (std::is_same_v<T, date_time>) {
    write_iso8601(out, value);
  } else if constexpr (std::is_same_v<T, raw_json>) {
    write_compact_json(out, value.text);
  } else if constexpr (is_optional<T>::value) {
    if (value) {
      write_summary_value(out, *value);
    } else {
      append(out, "null");
    }
  } else if constexpr (is_array_view<T>::value) {
    out.push_back('[');
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (i != 0) out.push_back(',');
      write_summary_value(out, value[i]);
    }
    out.push_back(']');
  } else if constexpr (is_described_v<T>) {
    out.push_back('{');
    bool first = true;
    write_summary_fields(out, value, first, false);
    out.push_back('}');
  } else {
    // bool, integers and doubles read the same in a summary as in JSON.
    write_value(out, value);
  }
}

/// `<name> <eventId> fields... at <timestamp>` for an event; `{fields...}` for any other
/// described struct.
template <class T>
void write_summary(fmt::memory_buffer& out, const T& value) {
  if constexpr (is_event_type_v<T>) {
    const std::string_view name = event_name_text(value);
    write_token(out, name.empty() ? std::string_view("-") : name);
    out.push_back(' ');
    write_token(out, value.event_id.empty() ? std::string_view("-") : value.event_id);
    bool first = false;
    write_summary_fields(out, value, first, true);
    if (const auto at = event_time(value)) {
      append(out, " at ");
      write_iso8601(out, *at);
    }
  } else {
    write_summary_value(out, value);
  }
}

inline void write_summary(fmt::memory_buffer& out, const event& e) {
  std::visit([&out](const auto& x) { write_summary(out, x); }, e);
}

/// `<format> accountId=<id> events=<n> [<name> <id>, ...]`
inline void write_summary(fmt::memory_buffer& out, const delivery& d) {
  append(out, to_string(d.format));
  if (d.account_id.present()) {
    append(out, " accountId=");
    write_token(out, d.account_id.text);
  }
  append(out, " events=");
  write_integer(out, d.events.size());
  append(out, " [");
  for (std::size_t i = 0; i < d.events.size(); ++i) {
    if (i != 0) append(out, ", ");
    const std::string_view name = event_name_of(d.events[i]);
    const std::string_view id = event_id_of(d.events[i]);
    write_token(out, name.empty() ? std::string_view("-") : name);
    out.push_back(' ');
    write_token(out, id.empty() ? std::string_view("-") : id);
  }
  out.push_back(']');
}

/// The base of every formatter here: string specs (width, fill, alignment) over a summary
/// written into a local buffer.
struct summary_formatter : fmt::formatter<std::string_view> {
  template <class T, class Context>
  auto write(const T& value, Context& ctx) const {
    fmt::memory_buffer out;
    write_summary(out, value);
    return fmt::formatter<std::string_view>::format(std::string_view(out.data(), out.size()), ctx);
  }
};

/// The same for values that already are one piece of text.
struct text_formatter : fmt::formatter<std::string_view> {
  template <class Context>
  auto write(std::string_view text, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(text, ctx);
  }
};

}  // namespace alm::webhooks::detail

/// Every described struct: events of both formats as one-line summaries, their nested objects
/// (learner_reference, completion_data...) as `{field=value ...}`.
template <class T>
struct fmt::formatter<T, char, std::enable_if_t<alm::webhooks::detail::is_described_v<T>>>
    : alm::webhooks::detail::summary_formatter {
  template <class Context>
  auto format(const T& value, Context& ctx) const {
    return write(value, ctx);
  }
};

/// `event`: the summary of the event it holds.
template <>
struct fmt::formatter<alm::webhooks::event> : alm::webhooks::detail::summary_formatter {
  template <class Context>
  auto format(const alm::webhooks::event& value, Context& ctx) const {
    return write(value, ctx);
  }
};

/// `delivery`: its format, account and the name and id of each event.
template <>
struct fmt::formatter<alm::webhooks::delivery> : alm::webhooks::detail::summary_formatter {
  template <class Context>
  auto format(const alm::webhooks::delivery& value, Context& ctx) const {
    return write(value, ctx);
  }
};

/// date_time: UTC ISO-8601 with milliseconds, whatever form it was read in.
template <>
struct fmt::formatter<alm::webhooks::date_time> : alm::webhooks::detail::text_formatter {
  template <class Context>
  auto format(alm::webhooks::date_time value, Context& ctx) const {
    char text[alm::webhooks::date_time::iso8601_capacity];
    return write(std::string_view(text, value.write_iso8601(text)), ctx);
  }
};

/// id_value: its text, whether it came as a number or a string.
template <>
struct fmt::formatter<alm::webhooks::id_value> : alm::webhooks::detail::text_formatter {
  template <class Context>
  auto format(const alm::webhooks::id_value& value, Context& ctx) const {
    return write(value.text, ctx);
  }
};

/// raw_json: the JSON on one line (whitespace outside strings dropped).
template <>
struct fmt::formatter<alm::webhooks::raw_json> : alm::webhooks::detail::text_formatter {
  template <class Context>
  auto format(const alm::webhooks::raw_json& value, Context& ctx) const {
    fmt::memory_buffer out;
    alm::webhooks::detail::write_compact_json(out, value.text);
    return write(std::string_view(out.data(), out.size()), ctx);
  }
};

/// body_format: "asyncapi" or "batch".
template <>
struct fmt::formatter<alm::webhooks::body_format> : alm::webhooks::detail::text_formatter {
  template <class Context>
  auto format(alm::webhooks::body_format value, Context& ctx) const {
    return write(alm::webhooks::to_string(value), ctx);
  }
};

/// Every enumeration of enums.hpp: its wire spelling ("learningProgram"), or "unknown".
template <class E>
struct fmt::formatter<E, char, std::enable_if_t<alm::webhooks::detail::has_enum_names<E>::value>>
    : alm::webhooks::detail::text_formatter {
  template <class Context>
  auto format(E value, Context& ctx) const {
    return write(alm::webhooks::to_string(value), ctx);
  }
};

/// enum_value<E>: the raw text as sent (also for values the SDK does not know); empty when
/// absent.
template <class E>
struct fmt::formatter<alm::webhooks::enum_value<E>> : alm::webhooks::detail::text_formatter {
  template <class Context>
  auto format(const alm::webhooks::enum_value<E>& value, Context& ctx) const {
    return write(alm::webhooks::detail::wire_text(value), ctx);
  }
};
