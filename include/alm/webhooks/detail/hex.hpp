// Hexadecimal encoding and decoding of byte strings (signatures), into caller-provided buffers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "alm/webhooks/detail/attributes.hpp"
#include "alm/webhooks/detail/word_ops.hpp"

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

/// Decodes 8 hex digits at `in` into 4 bytes at `out`, all bytes of a word at once (a table
/// lookup per digit costs twice as much). Portable; SSE2 below does 32 digits at a time. Returns
/// nonzero when a character is not a hex digit, so callers check a whole run once.
inline std::uint64_t decode_hex8(const char* in, unsigned char* out) noexcept {
  const std::uint64_t v = load_le64(in);
  const std::uint64_t high = v & repeat_byte(0x80);
  const std::uint64_t ascii = v & repeat_byte(0x7f);
  const std::uint64_t digit = bytes_at_least(ascii, '0') & ~bytes_at_least(ascii, '9' + 1);
  const std::uint64_t folded = ascii | repeat_byte(0x20);  // 'A'-'F' to 'a'-'f'
  const std::uint64_t letter = bytes_at_least(folded, 'a') & ~bytes_at_least(folded, 'f' + 1);
  // Letters are 'a' & 0x0f = 1 .. 6, plus 9; digits are their low nibble.
  const std::uint64_t nibbles = (ascii & repeat_byte(0x0f)) + (letter >> 7) * 9;
  // Byte 2i becomes nibble 2i << 4 | nibble 2i+1; then the even bytes are packed together.
  std::uint64_t t = ((nibbles << 4) | (nibbles >> 8)) & 0x00ff00ff00ff00ffULL;
  t = (t | (t >> 8)) & 0x0000ffff0000ffffULL;
  t = (t | (t >> 16)) & 0xffffffffULL;
  store_le32(out, t);
  return high | ((digit | letter) ^ repeat_byte(0x80));
}

#if defined(ALM_WEBHOOKS_SSE2)
/// Decodes 32 hex digits at `in` into 16 bytes at `out` with SSE2, which every x86-64 CPU has.
/// Returns nonzero when a character is not a hex digit.
inline unsigned decode_hex32_sse2(const char* in, unsigned char* out) noexcept {
  unsigned invalid = 0;
  const auto nibbles = [&invalid](__m128i v) noexcept {
    // Signed compares: bytes of 0x80 and above are negative and fall outside both ranges.
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));  // 'A'-'F' to 'a'-'f'
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                         _mm_cmplt_epi8(folded, _mm_set1_epi8('f' + 1)));
    invalid |= static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(digit, letter))) ^ 0xffffu;
    return _mm_add_epi8(_mm_and_si128(v, _mm_set1_epi8(0x0f)),
                        _mm_and_si128(letter, _mm_set1_epi8(9)));
  };
  // Each 16-bit lane holds two nibbles, first digit in the low byte: make it one byte.
  const auto pairs = [](__m128i n) noexcept {
    return _mm_or_si128(_mm_slli_epi16(_mm_and_si128(n, _mm_set1_epi16(0x00ff)), 4),
                        _mm_srli_epi16(n, 8));
  };
  const __m128i low = pairs(nibbles(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in))));
  const __m128i high = pairs(nibbles(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 16))));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_packus_epi16(low, high));
  return invalid;
}
#endif

/// Decodes exactly `size` bytes from `2 * size` hex digits of either case. False, with `out`
/// unspecified, for any other length or a non-hex character. Never allocates.
ALM_WEBHOOKS_INLINE bool decode_hex(std::string_view in, unsigned char* out,
                                    std::size_t size) noexcept {
  if (in.size() != 2 * size) return false;
  std::uint64_t invalid = 0;
  const char* digits = in.data();
  const unsigned char* const end = out + size;
#if defined(ALM_WEBHOOKS_SSE2)
  for (; end - out >= 16; out += 16, digits += 32)
    invalid |= decode_hex32_sse2(digits, out);
#endif
  for (; end - out >= 4; out += 4, digits += 8)
    invalid |= decode_hex8(digits, out);
  for (; out != end; ++out, digits += 2) {
    const unsigned hi = hex_digit_values[static_cast<unsigned char>(digits[0])];
    const unsigned lo = hex_digit_values[static_cast<unsigned char>(digits[1])];
    invalid |= (hi | lo) & 0xf0;
    *out = static_cast<unsigned char>((hi << 4) | (lo & 0x0f));
  }
  return invalid == 0;
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
