// id_value: an identifier that ALM sends as a JSON number in some places and as a string in
// others (userId, accountId); the SDK accepts both and remembers which it was.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace alm::webhooks {

/// An identifier as text ("4279332" or "course:7374992") plus whether it was a JSON number.
/// `text` views the body or the parser (see parser.hpp for its lifetime).
struct id_value {
  std::string_view text{};
  bool is_number{false};

  constexpr id_value() = default;
  constexpr id_value(std::string_view t, bool number = false) noexcept
      : text(t), is_number(number) {}

  constexpr bool present() const noexcept { return !text.empty(); }
  /// The identifier as a signed 64-bit integer when its text is one (either JSON form).
  constexpr std::optional<std::int64_t> as_int64() const noexcept {
    if (text.empty() || text.size() > 20) return std::nullopt;
    std::size_t i = text[0] == '-' ? 1 : 0;
    if (i == text.size()) return std::nullopt;
    std::uint64_t value = 0;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (c < '0' || c > '9') return std::nullopt;
      const auto digit = static_cast<std::uint64_t>(c - '0');
      if (value > (UINT64_MAX - digit) / 10) return std::nullopt;  // beyond 64 bits
      value = value * 10 + digit;
    }
    const bool negative = text[0] == '-';
    if (value > static_cast<std::uint64_t>(INT64_MAX) + (negative ? 1 : 0)) return std::nullopt;
    return negative ? static_cast<std::int64_t>(0 - value) : static_cast<std::int64_t>(value);
  }

  /// Identifiers are equal when their texts are: 42 and "42" name the same user.
  friend constexpr bool operator==(const id_value& a, const id_value& b) noexcept {
    return a.text == b.text;
  }
  friend constexpr bool operator!=(const id_value& a, const id_value& b) noexcept {
    return !(a == b);
  }
  friend constexpr bool operator==(const id_value& a, std::string_view b) noexcept {
    return a.text == b;
  }
  friend constexpr bool operator!=(const id_value& a, std::string_view b) noexcept {
    return a.text != b;
  }
};

}  // namespace alm::webhooks
