// Reading authentication headers: one lookup that also counts repeats and refuses oversized
// values before scanning them, a tokenizer for lists of signatures, and Unix timestamps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "alm/webhooks/detail/word_ops.hpp"
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

/// A header name prepared once for fast ASCII case-insensitive matching: candidate names are
/// compared eight bytes at a time, letters with their case bit masked, all else exactly.
class header_name {
 public:
  header_name() = default;
  /// May throw std::bad_alloc.
  explicit header_name(std::string_view name)
      : name_(name), lower_(name), case_mask_(name.size(), '\0') {
    for (std::size_t i = 0; i < name.size(); ++i) {
      lower_[i] = ascii_lower(name[i]);
      if (lower_[i] >= 'a' && lower_[i] <= 'z') case_mask_[i] = 0x20;
    }
  }

  /// The name as configured, for messages.
  std::string_view name() const noexcept { return name_; }
  bool empty() const noexcept { return name_.empty(); }

  /// True when `candidate` equals the name ignoring ASCII case.
  bool matches(std::string_view candidate) const noexcept {
    const std::size_t size = lower_.size();
    if (candidate.size() != size) return false;
    if (size < 8) {
      for (std::size_t i = 0; i < size; ++i) {
        if (static_cast<char>(candidate[i] | case_mask_[i]) != lower_[i]) return false;
      }
      return true;
    }
    // Whole words, the last one overlapping the one before when the size is not a multiple of 8.
    for (std::size_t i = 0;; i += 8) {
      if (i + 8 > size) i = size - 8;
      if (!word_matches(candidate.data(), i)) return false;
      if (i + 8 == size) return true;
    }
  }

 private:
  bool word_matches(const char* candidate, std::size_t i) const noexcept {
    return (load_le64(candidate + i) | load_le64(case_mask_.data() + i)) ==
           load_le64(lower_.data() + i);
  }

  std::string name_;
  std::string lower_;
  std::string case_mask_;  // 0x20 where the name has a letter, 0 elsewhere
};

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
inline header_lookup lookup_header(const header_list& headers, const header_name& name,
                                   std::size_t max_bytes) noexcept {
  header_lookup found;
  for (const http_header& h : headers.all()) {
    if (!name.matches(h.name)) continue;
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
/// Separators must be ASCII control, space or punctuation characters below 64 (',', ' ', '\t'):
/// they are kept as a bit mask so that scanning costs one shift per character.
class token_reader {
 public:
  constexpr token_reader(std::string_view text, std::string_view separators) noexcept
      : text_(text) {
    for (char c : separators) {
      if (static_cast<unsigned char>(c) < 64) mask_ |= std::uint64_t{1} << c;
    }
  }

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
    const auto u = static_cast<unsigned char>(c);
    return u < 64 && ((mask_ >> u) & 1) != 0;
  }

  std::string_view text_;
  std::uint64_t mask_{0};
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
