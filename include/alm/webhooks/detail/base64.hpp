// Base64 (RFC 4648 section 4) and base64url (section 5) encoding and decoding. Decoding accepts
// either alphabet, with or without '=' padding, into a caller-provided buffer without allocating.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alm::webhooks::detail {

/// The 6-bit value of a base64 or base64url character, 0xff for anything else (including '=').
inline constexpr std::array<std::uint8_t, 256> base64_values = [] {
  std::array<std::uint8_t, 256> table{};
  for (auto& v : table)
    v = 0xff;
  for (int i = 0; i < 26; ++i) {
    table['A' + i] = static_cast<std::uint8_t>(i);
    table['a' + i] = static_cast<std::uint8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i)
    table['0' + i] = static_cast<std::uint8_t>(52 + i);
  table['+'] = table['-'] = 62;
  table['/'] = table['_'] = 63;
  return table;
}();

/// How many bytes `chars` base64 characters (padding excluded) decode to, or nullopt when no
/// base64 text has that many characters.
constexpr std::optional<std::size_t> base64_decoded_size(std::size_t chars) noexcept {
  if (chars % 4 == 1) return std::nullopt;
  return chars / 4 * 3 + (chars % 4 == 0 ? 0 : chars % 4 - 1);
}

/// Decodes base64 or base64url text, padded or not, into `out`. Returns the number of bytes
/// written, or nullopt when the text is not base64 or decodes to more than `capacity` bytes.
/// Padding, when present, must make the length a multiple of 4. Never allocates.
inline std::optional<std::size_t> decode_base64(std::string_view in, unsigned char* out,
                                                std::size_t capacity) noexcept {
  std::size_t chars = in.size();
  if (chars > 0 && in[chars - 1] == '=') {
    if (in.size() % 4 != 0) return std::nullopt;
    --chars;
    if (chars > 0 && in[chars - 1] == '=') --chars;
  }
  const std::optional<std::size_t> size = base64_decoded_size(chars);
  if (!size || *size > capacity) return std::nullopt;

  unsigned invalid = 0;
  auto value = [&](std::size_t i) noexcept -> std::uint32_t {
    const std::uint8_t v = base64_values[static_cast<unsigned char>(in[i])];
    invalid |= v;
    return v & 0x3f;
  };
  std::size_t o = 0;
  std::size_t i = 0;
  for (; i + 4 <= chars; i += 4) {
    const std::uint32_t bits =
        value(i) << 18 | value(i + 1) << 12 | value(i + 2) << 6 | value(i + 3);
    out[o++] = static_cast<unsigned char>(bits >> 16);
    out[o++] = static_cast<unsigned char>(bits >> 8);
    out[o++] = static_cast<unsigned char>(bits);
  }
  if (chars - i >= 2) {
    std::uint32_t bits = value(i) << 18 | value(i + 1) << 12;
    if (chars - i == 3) bits |= value(i + 2) << 6;
    out[o++] = static_cast<unsigned char>(bits >> 16);
    if (chars - i == 3) out[o++] = static_cast<unsigned char>(bits >> 8);
  }
  // An invalid character has the 0xc0 bits set; checked once rather than per character.
  if ((invalid & 0xc0) != 0) return std::nullopt;
  return o;
}

/// Decodes base64 or base64url text of any length into a new string; nullopt when invalid.
/// May throw std::bad_alloc.
inline std::optional<std::string> decode_base64(std::string_view in) {
  const std::optional<std::size_t> bound = base64_decoded_size(in.size());
  std::string out(bound ? *bound : in.size(), '\0');
  const auto size = decode_base64(in, reinterpret_cast<unsigned char*>(out.data()), out.size());
  if (!size) return std::nullopt;
  out.resize(*size);
  return out;
}

enum class base64_alphabet : std::uint8_t { standard, url };

/// Encodes `in` as base64 (`+/`) or base64url (`-_`), with or without '=' padding.
/// May throw std::bad_alloc.
inline std::string encode_base64(const unsigned char* in, std::size_t size,
                                 base64_alphabet alphabet = base64_alphabet::standard,
                                 bool pad = true) {
  const char* digits = alphabet == base64_alphabet::standard
                           ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                           : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const std::uint32_t bits =
        std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8 | in[i + 2];
    out += digits[bits >> 18];
    out += digits[(bits >> 12) & 0x3f];
    out += digits[(bits >> 6) & 0x3f];
    out += digits[bits & 0x3f];
  }
  if (size - i > 0) {
    std::uint32_t bits = std::uint32_t{in[i]} << 16;
    if (size - i == 2) bits |= std::uint32_t{in[i + 1]} << 8;
    out += digits[bits >> 18];
    out += digits[(bits >> 12) & 0x3f];
    if (size - i == 2) out += digits[(bits >> 6) & 0x3f];
    if (pad) out.append(size - i == 2 ? 1 : 2, '=');
  }
  return out;
}

}  // namespace alm::webhooks::detail
