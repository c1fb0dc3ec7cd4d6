// Reading authentication headers: one lookup that also counts repeats and refuses oversized
// values before scanning them, a tokenizer for lists of signatures, and Unix timestamps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "alm/webhooks/http.hpp"

namespace alm::webhooks::detail {

constexpr bool is_http_whitespace(char c) noexcept {
  return c == ' ' || c == '\t';
}

/// `text` without leading and trailing spaces and tabs (HTTP's optional whitespace).
constexpr std::string_view trim_whitespace(std::string_view text) noexcept {
  while (!text.empty() && is_http_whitespace(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_http_whitespace(text.back()))
    text.remove_suffix(1);
  return text;
}

/// True when `text` starts with `prefix`, compared ASCII case-insensitively.
constexpr bool starts_with_icase(std::string_view text, std::string_view prefix) noexcept {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

enum class header_status : std::uint8_t {
  present,    ///< exactly one, non-empty, within the size limit
  missing,    ///< no header of that name
  repeated,   ///< more than one header of that name
  oversized,  ///< longer than the limit (not scanned)
  empty,      ///< present but empty or only whitespace
};

struct header_lookup {
  header_status status{header_status::missing};
  std::string_view value;  ///< trimmed; meaningful when status is present
  std::size_t count{0};    ///< how many headers carry the name
};

/// Finds the single header `name` in one pass over the list. An oversized value is rejected on
/// its length alone, so a hostile megabyte-long header costs nothing to refuse.
inline header_lookup lookup_header(const header_list& headers, std::string_view name,
                                   std::size_t max_bytes) noexcept {
  header_lookup found;
  for (const http_header& h : headers.all()) {
    if (!iequals(h.name, name)) continue;
    if (++found.count == 1) found.value = h.value;
  }
  if (found.count == 0) return found;
  if (found.count > 1) {
    found.status = header_status::repeated;
  } else if (found.value.size() > max_bytes) {
    found.status = header_status::oversized;
  } else {
    found.value = trim_whitespace(found.value);
    found.status = found.value.empty() ? header_status::empty : header_status::present;
  }
  return found;
}

/// Splits text into the tokens between separator characters, skipping empty tokens.
class token_reader {
 public:
  constexpr token_reader(std::string_view text, std::string_view separators) noexcept
      : text_(text), separators_(separators) {}

  /// The next token, or false when there is none left.
  constexpr bool next(std::string_view& token) noexcept {
    std::size_t begin = 0;
    while (begin < text_.size() && is_separator(text_[begin]))
      ++begin;
    if (begin == text_.size()) return false;
    std::size_t end = begin;
    while (end < text_.size() && !is_separator(text_[end]))
      ++end;
    token = text_.substr(begin, end - begin);
    text_.remove_prefix(end);
    return true;
  }

 private:
  constexpr bool is_separator(char c) const noexcept {
    return separators_.find(c) != std::string_view::npos;
  }

  std::string_view text_;
  std::string_view separators_;
};

/// Parses a Unix time in whole seconds written as 1 to 18 decimal digits (no sign, no spaces);
/// nullopt otherwise. 18 digits cannot overflow 64 bits.
constexpr std::optional<std::int64_t> parse_unix_seconds(std::string_view text) noexcept {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

/// |a - b| without overflow for any two 64-bit values.
constexpr std::uint64_t distance(std::int64_t a, std::int64_t b) noexcept {
  return a >= b ? static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b)
                : static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a);
}

}  // namespace alm::webhooks::detail
