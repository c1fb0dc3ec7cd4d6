// Hexadecimal encoding and decoding of byte strings (signatures), into caller-provided buffers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace alm::webhooks::detail {

/// 0x00-0x0f for a hex digit of either case, 0xff for anything else.
inline constexpr std::array<std::uint8_t, 256> hex_digit_values = [] {
  std::array<std::uint8_t, 256> table{};
  for (auto& v : table)
    v = 0xff;
  for (int c = 0; c < 10; ++c)
    table['0' + c] = static_cast<std::uint8_t>(c);
  for (int c = 0; c < 6; ++c) {
    table['a' + c] = static_cast<std::uint8_t>(10 + c);
    table['A' + c] = static_cast<std::uint8_t>(10 + c);
  }
  return table;
}();

/// Decodes exactly `size` bytes from `2 * size` hex digits of either case. False, with `out`
/// unspecified, for any other length or a non-hex character. Never allocates.
inline bool decode_hex(std::string_view in, unsigned char* out, std::size_t size) noexcept {
  if (in.size() != 2 * size) return false;
  // One check at the end instead of a branch per digit: invalid digits carry the 0xf0 bits.
  unsigned invalid = 0;
  for (std::size_t i = 0; i < size; ++i) {
    const unsigned hi = hex_digit_values[static_cast<unsigned char>(in[2 * i])];
    const unsigned lo = hex_digit_values[static_cast<unsigned char>(in[2 * i + 1])];
    invalid |= hi | lo;
    out[i] = static_cast<unsigned char>((hi << 4) | (lo & 0x0f));
  }
  return (invalid & 0xf0) == 0;
}

/// Writes `2 * size` hex digits of `in` to `out`.
inline void encode_hex(const unsigned char* in, std::size_t size, char* out,
                       bool uppercase = false) noexcept {
  const char* digits = uppercase ? "0123456789ABCDEF" : "0123456789abcdef";
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 0x0f];
  }
}

/// The hex form of `in` as a new string. May throw std::bad_alloc.
inline std::string to_hex(const unsigned char* in, std::size_t size, bool uppercase = false) {
  std::string out(2 * size, '\0');
  encode_hex(in, size, out.data(), uppercase);
  return out;
}

}  // namespace alm::webhooks::detail
