// Small text scans over raw JSON that simdjson On-Demand does not do for us: nesting depth of a
// skipped value, and where the root value ends (to tell a truncated body from trailing content).
#pragma once

#include <cstddef>
#include <string_view>

namespace alm::webhooks::detail {

constexpr bool is_json_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// `text` without trailing JSON whitespace (raw tokens from simdjson run up to the next
/// structural character and so may carry it).
constexpr std::string_view trim_json_space_right(std::string_view text) noexcept {
  std::size_t n = text.size();
  while (n > 0 && is_json_space(text[n - 1]))
    --n;
  return text.substr(0, n);
}

constexpr std::string_view trim_json_space(std::string_view text) noexcept {
  std::size_t first = 0;
  while (first < text.size() && is_json_space(text[first]))
    ++first;
  return trim_json_space_right(text.substr(first));
}

/// The usual identifier: a non-negative integer without a leading zero, valid JSON at a glance.
constexpr bool is_plain_integer(std::string_view token) noexcept {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return false;
  for (const char c : token) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

/// True when a number token (already known to be JSON) has no fraction and no exponent.
constexpr bool is_integer_token(std::string_view token) noexcept {
  return token.find_first_of(".eE") == std::string_view::npos;
}

/// Walks `text` from its first character, string-aware, and reports the deepest nesting of
/// objects and arrays, stopping early once it passes `limit`. `end` is the offset just past the
/// bracket that closes the first value, or npos when the text ends first (or the first value is
/// a scalar, which this scan does not delimit).
struct nesting_scan {
  std::size_t max_depth{0};
  std::size_t end{std::string_view::npos};
  bool exceeded{false};
};

constexpr nesting_scan scan_nesting(std::string_view text, std::size_t limit) noexcept {
  nesting_scan out;
  std::size_t depth = 0;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const char c = text[i++];
    if (c == '"') {
      while (i < n && text[i] != '"')
        i += text[i] == '\\' ? 2 : 1;
      if (i >= n) return out;  // unclosed string
      ++i;
    } else if (c == '{' || c == '[') {
      if (++depth > out.max_depth) out.max_depth = depth;
      if (depth > limit) {
        out.exceeded = true;
        return out;
      }
    } else if (c == '}' || c == ']') {
      if (depth == 0) return out;  // a stray closing bracket; the caller's parser reports it
      if (--depth == 0) {
        out.end = i;
        return out;
      }
    }
  }
  return out;
}

}  // namespace alm::webhooks::detail
