// Internal: JSON string escaping and number checks, appending to a fmt::memory_buffer.
#pragma once

#include <cstddef>
#include <string_view>

#include <fmt/format.h>

namespace alm::webhooks::detail {

inline void append(fmt::memory_buffer& out, std::string_view text) {
  out.append(text.data(), text.data() + text.size());
}

/// Appends `text` with JSON escapes and without quotes: `"` and `\` get a backslash, control
/// characters become \u00XX, everything else (UTF-8 included) is copied in runs.
inline void append_escaped(fmt::memory_buffer& out, std::string_view text) {
  constexpr char hex[] = "0123456789abcdef";
  const char* run = text.data();
  const char* const end = text.data() + text.size();
  for (const char* p = run; p != end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(run, p);
    if (c == '"' || c == '\\') {
      const char escape[2] = {'\\', static_cast<char>(c)};
      out.append(escape, escape + 2);
    } else {
      const char escape[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
      out.append(escape, escape + 6);
    }
    run = p + 1;
  }
  out.append(run, end);
}

/// Appends `text` as a quoted, escaped JSON string.
inline void append_json_string(fmt::memory_buffer& out, std::string_view text) {
  out.push_back('"');
  append_escaped(out, text);
  out.push_back('"');
}

constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

/// Whether `text` is a number by the JSON grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
constexpr bool is_json_number(std::string_view text) noexcept {
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto digits = [&]() {
    const std::size_t first = i;
    while (i < n && is_digit(text[i]))
      ++i;
    return i > first;
  };
  if (i < n && text[i] == '-') ++i;
  if (i < n && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < n && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

}  // namespace alm::webhooks::detail
