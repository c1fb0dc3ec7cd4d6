// The normalized JSON line `alm-webhooks parse` prints for each event, the same for both wire
// formats: format, eventId, eventName, accountId (a string), timestampMs, group, and under `data`
// every typed field with its wire name, each date also as `<name>Ms`.
#pragma once

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include <alm/webhooks.hpp>

#include "command_line.hpp"

namespace alm_webhooks_cli {

namespace detail {

using hooks::detail::append;
using hooks::detail::append_json_string;
using hooks::detail::write_key;

template <class T>
void write_data_object(fmt::memory_buffer& out, const T& object);

template <class T>
struct is_object_array : std::false_type {};
template <class T>
struct is_object_array<hooks::array_view<T>>
    : std::bool_constant<hooks::detail::is_described_v<T>> {};

// One member: its value as the JSON writer writes it, and for dates also `<name>Ms`.
template <class M>
void write_member(fmt::memory_buffer& out, bool& first, std::string_view name, const M& member) {
  using namespace hooks::detail;
  if (!is_present(member)) return;
  if constexpr (is_optional<M>::value) {
    write_member(out, first, name, *member);
  } else if constexpr (is_described_v<M>) {
    write_key(out, first, name);
    write_data_object(out, member);
  } else if constexpr (is_object_array<M>::value) {
    write_key(out, first, name);
    out.push_back('[');
    for (std::size_t i = 0; i < member.size(); ++i) {
      if (i != 0) out.push_back(',');
      write_data_object(out, member[i]);
    }
    out.push_back(']');
  } else {
    write_key(out, first, name);
    write_value(out, member);
    if constexpr (std::is_same_v<M, hooks::date_time>) {
      const std::string ms_name = fmt::format("{}Ms", name);
      write_key(out, first, ms_name);
      write_integer(out, member.milliseconds_since_epoch());
    }
  }
}

template <class T>
void write_data_object(fmt::memory_buffer& out, const T& object) {
  out.push_back('{');
  bool first = true;
  hooks::detail::for_each_field(object, [&](const auto& field, const auto& member) {
    using field_type = std::decay_t<decltype(field)>;
    // AsyncAPI base fields are the line's own keys, not data.
    if constexpr (!std::is_same_v<typename field_type::class_type, hooks::event_header>) {
      write_member(out, first, field.name, member);
    }
  });
  out.push_back('}');
}

inline std::string snake_case_group(hooks::event_type type) {
  std::string text(hooks::to_string(type));
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace detail

/// Appends one JSON line (with its newline) describing `e`, which came in delivery `d`.
inline void write_normalized(fmt::memory_buffer& out, const hooks::event& e,
                             const hooks::delivery& d) {
  using detail::write_key;
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        bool first = true;
        out.push_back('{');
        write_key(out, first, "format");
        detail::append_json_string(out, hooks::to_string(hooks::format_of(e)));
        write_key(out, first, "eventId");
        detail::append_json_string(out, x.event_id);
        write_key(out, first, "eventName");
        detail::append_json_string(out, hooks::event_name_of(e));
        write_key(out, first, "accountId");
        detail::append_json_string(out, d.account_id.text);
        write_key(out, first, "timestampMs");
        if (const auto t = hooks::timestamp_of(e)) {
          hooks::detail::write_integer(out, t->milliseconds_since_epoch());
        } else {
          detail::append(out, "null");
        }
        write_key(out, first, "group");
        if constexpr (hooks::detail::is_asyncapi_event_v<T>) {
          detail::append_json_string(out, detail::snake_case_group(T::type));
          if (x.source.present()) {
            write_key(out, first, "source");
            detail::append_json_string(out, x.source.text);
          }
          write_key(out, first, "data");
          detail::write_data_object(out, x);
        } else if constexpr (hooks::detail::is_batch_event<T>::value) {
          detail::append_json_string(
              out, hooks::to_string(hooks::batch_group_of<typename T::data_type>::value));
          if (!x.event_info.empty()) {
            write_key(out, first, "eventInfo");
            detail::append_json_string(out, x.event_info);
          }
          write_key(out, first, "data");
          detail::write_data_object(out, x.data);
        } else {
          detail::append_json_string(out, "unknown");
          write_key(out, first, "data");
          if (x.data.present()) {
            hooks::detail::write_compact_json(out, x.data.text);  // one line, whatever came
          } else {
            detail::append(out, "null");
          }
        }
        out.push_back('}');
        out.push_back('\n');
      },
      e);
}

}  // namespace alm_webhooks_cli
