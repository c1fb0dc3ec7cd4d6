// The plain reader: the parser's first try at what ALM sends (a batch envelope, an AsyncAPI event
// of a known type), reading the body's bytes in one pass instead of building simdjson's
// structural index and walking it. It covers the known keys, text in UTF-8 with escapes outside
// the surrogate range, numbers of at most 15 digits without an exponent, dates as numbers or
// text, nested objects and arrays, with the same field tables and checks as the simdjson
// readers, and gives up, returning null, on anything else: an unknown or escaped key, a
// surrogate escape, an exponent, a null for a string or an object, a duplicate, a missing
// field, a syntax error, bytes that are not UTF-8. The parser then reads the body with simdjson
// from the start, so every error and every unusual body is still judged there; what this reader
// accepts, simdjson accepts with the same values.
//
// The position travels as a `const char*` argument and result, so that inside each struct's
// member loop it stays in a register, and the key expected next is compared rather than scanned
// for, so that the reads after it do not wait on a scan's result. What is read is bounded by `end`;
// the byte at `end` and the 16-byte and 8-byte loads for strings, whitespace and digits read up to
// 15 bytes past it, which the padding allows, and never count what lies there.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "alm/webhooks/detail/field_reader.hpp"
#include "alm/webhooks/detail/hex.hpp"
#include "alm/webhooks/detail/json_scan.hpp"
#include "alm/webhooks/detail/parse_context.hpp"
#include "alm/webhooks/detail/word_ops.hpp"

namespace alm::webhooks::detail::plain {

/// The first byte at or after `p` that is not JSON whitespace, or `end`, for the runs that
/// skip_space() does not settle at once. Pretty-printed JSON puts one space after a colon and a
/// line break and indentation before a key: a space or a line break followed by up to seven
/// spaces is settled with one word; anything else is skipped 16 bytes a step.
inline const char* skip_space_run(const char* p, const char* end) noexcept {
  if (*p == ' ' || *p == '\n') {
    const std::uint64_t not_spaces = load_le64(p + 1) ^ repeat_byte(' ');
    if (not_spaces != 0) {
      const char* q = p + 1 + lowest_bit(not_spaces) / 8;
      if (static_cast<unsigned char>(*q) > ' ') return q < end ? q : end;
    }
  }
#if defined(ALM_WEBHOOKS_SSE2)
  for (; p < end; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i space = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
    const auto other = static_cast<unsigned>(_mm_movemask_epi8(space)) ^ 0xFFFFU;
    if (other != 0) {
      const char* q = p + lowest_bit(other);
      return q < end ? q : end;
    }
  }
  return end;
#else
  while (p < end && is_json_space(*p))
    ++p;
  return p;
#endif
}

/// The first byte at or after `p` that is not JSON whitespace, or `end`. The byte at `end` is
/// padding and may be read, so the usual case, no whitespace at all, costs one compare.
ALM_WEBHOOKS_INLINE const char* skip_space(const char* p, const char* end) noexcept {
  if (static_cast<unsigned char>(*p) > ' ') return p;
  return skip_space_run(p, end);
}

/// The position after the UTF-8 sequence whose first byte, 0x80 or above, is at `p`, or null when
/// RFC 3629 does not allow it (an overlong form, a surrogate, past U+10FFFF, a stray continuation
/// byte) or it runs past `end`: the sequences simdjson's validation accepts, and no others.
inline const char* utf8_sequence_end(const char* p, const char* end) noexcept {
  const auto lead = static_cast<unsigned char>(*p);
  std::ptrdiff_t continuations = 0;
  unsigned char low = 0x80;  // the range of the byte after the lead
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    continuations = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    continuations = 2;
    if (lead == 0xE0) low = 0xA0;   // overlong below U+0800
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    continuations = 3;
    if (lead == 0xF0) low = 0x90;   // overlong below U+10000
    if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
  } else {
    return nullptr;
  }
  if (end - p <= continuations) return nullptr;
  const auto second = static_cast<unsigned char>(p[1]);
  if (second < low || second > high) return nullptr;
  for (std::ptrdiff_t k = 2; k <= continuations; ++k) {
    if ((static_cast<unsigned char>(p[k]) & 0xC0) != 0x80) return nullptr;
  }
  return p + 1 + continuations;
}

/// The first byte at or after `p` that a string's text cannot hold as it is (a quote, a
/// backslash, a control character, a byte of 0x80 or above), or null when none comes before
/// `end`: ASCII text 16 bytes a step.
ALM_WEBHOOKS_INLINE const char* first_stop(const char* p, const char* end) noexcept {
#if defined(ALM_WEBHOOKS_SSE2)
  for (;; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Signed: bytes of 0x80 and above are below 0x20 too.
    const __m128i stop = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
        _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(stop));
    if (mask != 0) {
      const char* q = p + lowest_bit(mask);
      return q < end ? q : nullptr;
    }
    if (p + 16 >= end) return nullptr;
  }
#else
  for (; p < end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return p;
  }
  return nullptr;
#endif
}

/// The first quote or backslash at or after `q`, a stop of first_stop(), or null when a control
/// character or a byte sequence that is not UTF-8 comes first or the text runs past `end`. Off
/// the path of ASCII text: names such as "Tomás" are checked here a sequence at a time.
ALM_WEBHOOKS_COLD inline const char* quote_or_backslash(const char* q, const char* end) noexcept {
  for (;;) {
    if (q == nullptr || *q == '"' || *q == '\\') return q;
    if (static_cast<unsigned char>(*q) < 0x80) return nullptr;  // a control character
    q = utf8_sequence_end(q, end);
    if (q == nullptr) return nullptr;
    q = first_stop(q, end);
  }
}

/// The closing quote of the string whose text starts at `p`, or null when the string holds an
/// escape (an escaped key is left to simdjson's readers) or is not a valid string.
ALM_WEBHOOKS_INLINE const char* closing_quote(const char* p, const char* end) noexcept {
  const char* q = first_stop(p, end);
  if (simdjson_likely(q != nullptr && *q == '"')) return q;
  q = quote_or_backslash(q, end);
  return q != nullptr && *q == '"' ? q : nullptr;
}

/// Writes `code` (below U+D800 or above U+DFFF, at most U+FFFF) as UTF-8 at `to`; the position
/// after it.
inline char* put_utf8(unsigned code, char* to) noexcept {
  if (code < 0x80) {
    *to++ = static_cast<char>(code);
  } else if (code < 0x800) {
    *to++ = static_cast<char>(0xC0 | code >> 6);
    *to++ = static_cast<char>(0x80 | (code & 0x3F));
  } else {
    *to++ = static_cast<char>(0xE0 | code >> 12);
    *to++ = static_cast<char>(0x80 | (code >> 6 & 0x3F));
    *to++ = static_cast<char>(0x80 | (code & 0x3F));
  }
  return to;
}

/// The string whose text starts at `text` and holds a stop other than its closing quote (or
/// runs past `end`): its text, unescaped and written at ctx.copy_cursor when it holds escapes
/// (the parser's copy buffer, as large as the body, so the text, never longer than its escaped
/// form, always fits), and the position after the closing quote. Null without a copy buffer,
/// on a malformed escape, and on a surrogate (`\uD83D`), whose pairing rules are simdjson's to
/// apply.
ALM_WEBHOOKS_COLD inline const char* read_unusual_text(const char* text, const char* end,
                                                       std::string_view& out,
                                                       parse_context& ctx) noexcept {
  const char* q = quote_or_backslash(first_stop(text, end), end);
  if (q == nullptr) return nullptr;
  if (*q == '"') {
    out = std::string_view(text, static_cast<std::size_t>(q - text));
    return q + 1;
  }
  char* to = ctx.copy_cursor;
  if (to == nullptr) return nullptr;
  char* const start = to;
  std::memcpy(to, text, static_cast<std::size_t>(q - text));
  to += q - text;
  while (*q == '\\') {
    if (end - q < 2) return nullptr;
    switch (q[1]) {
      case '"':
      case '\\':
      case '/':
        *to++ = q[1];
        break;
      case 'b':
        *to++ = '\b';
        break;
      case 'f':
        *to++ = '\f';
        break;
      case 'n':
        *to++ = '\n';
        break;
      case 'r':
        *to++ = '\r';
        break;
      case 't':
        *to++ = '\t';
        break;
      case 'u': {
        if (end - q < 6) return nullptr;
        unsigned code = 0;
        for (int k = 2; k < 6; ++k) {
          const unsigned digit = hex_digit_values[static_cast<unsigned char>(q[k])];
          if (digit > 0xF) return nullptr;
          code = code << 4 | digit;
        }
        if (code >= 0xD800 && code <= 0xDFFF) return nullptr;
        to = put_utf8(code, to);
        q += 4;
        break;
      }
      default:
        return nullptr;
    }
    q += 2;
    const char* stop = quote_or_backslash(first_stop(q, end), end);
    if (stop == nullptr) return nullptr;
    std::memcpy(to, q, static_cast<std::size_t>(stop - q));
    to += stop - q;
    q = stop;
  }
  out = std::string_view(start, static_cast<std::size_t>(to - start));
  ctx.copy_cursor = to;
  return q + 1;
}

/// A string value at `p` (its opening quote): its text, and the position after it. The text
/// views the body, or the copy buffer when it holds escapes.
ALM_WEBHOOKS_INLINE const char* read_text(const char* p, const char* end, std::string_view& out,
                                          parse_context& ctx) noexcept {
  if (p >= end || *p != '"') return nullptr;
  const char* q = first_stop(p + 1, end);
  if (simdjson_unlikely(q == nullptr || *q != '"')) {
    return read_unusual_text(p + 1, end, out, ctx);
  }
  out = std::string_view(p + 1, static_cast<std::size_t>(q - p - 1));
  return q + 1;
}

/// Whether `p` ends a scalar: the end, whitespace, or what may follow a value.
ALM_WEBHOOKS_INLINE bool ends_value(const char* p, const char* end) noexcept {
  return p >= end || *p == ',' || *p == '}' || *p == ']' || is_json_space(*p);
}

/// How many of the eight characters in `word` (the first in its low byte) are leading decimal
/// digits. A byte is a digit when its high nibble is 3 and adding 6 leaves it 3; the addition
/// carries out of a byte only at 0xFA and above, not a digit, and carries only into later bytes.
ALM_WEBHOOKS_INLINE unsigned leading_digits(std::uint64_t word) noexcept {
  const std::uint64_t high = repeat_byte(0xF0);
  const std::uint64_t other =
      ((word & high) ^ repeat_byte('0')) | (((word + repeat_byte(6)) & high) ^ repeat_byte('0'));
  return other == 0 ? 8 : lowest_bit(other) / 8;
}

/// The value of the first `count` (1 to 8) characters of `word`, which are digits: the digits
/// shifted to the top as if led by zeros, then combined in pairs, fours and eights.
ALM_WEBHOOKS_INLINE std::uint64_t digits_value(std::uint64_t word, unsigned count) noexcept {
  // Bytes past `count` may borrow in the subtraction, but only from bytes the shift drops.
  std::uint64_t v = (word - repeat_byte('0')) << (8 * (8 - count));
  v = (v * 10 + (v >> 8)) & 0x00FF00FF00FF00FFULL;
  v = (v * 100 + (v >> 16)) & 0x0000FFFF0000FFFFULL;
  return (v * 10000 + (v >> 32)) & 0xFFFFFFFFULL;
}

inline constexpr std::uint64_t powers_of_ten[9] = {1,      10,      100,      1000,     10000,
                                                   100000, 1000000, 10000000, 100000000};

/// A plain integer token at `p` (optional minus, no leading zero, at most 18 digits): its text
/// and value, and the position after it. Digits are read eight at a time (a word may reach
/// into the padding past `end`; what lies there is not counted).
ALM_WEBHOOKS_INLINE const char* read_integer(const char* p, const char* end, std::string_view& text,
                                             std::int64_t& value) noexcept {
  const char* start = p;
  const bool negative = p < end && *p == '-';
  p += negative ? 1 : 0;
  const char* digits = p;
  std::uint64_t n = 0;  // wraps past 19 digits, which are refused below
  for (;;) {
    const std::uint64_t word = load_le64(p);
    unsigned count = leading_digits(word);
    if (static_cast<std::ptrdiff_t>(count) > end - p) count = static_cast<unsigned>(end - p);
    if (count == 0) break;
    n = n * powers_of_ten[count] + digits_value(word, count);
    p += count;
    if (count < 8) break;
  }
  const auto count = static_cast<std::size_t>(p - digits);
  if (count == 0 || count > 18 || (*digits == '0' && count > 1) || !ends_value(p, end)) {
    return nullptr;
  }
  text = std::string_view(start, static_cast<std::size_t>(p - start));
  value = negative ? -static_cast<std::int64_t>(n) : static_cast<std::int64_t>(n);
  return p;
}

/// `true`, `false` or `null` at `p`: which (0, 1, or 2 for null), and the position after it.
ALM_WEBHOOKS_INLINE const char* read_literal(const char* p, const char* end, int& which) noexcept {
  const auto is = [&](std::string_view word) {
    return static_cast<std::size_t>(end - p) >= word.size() &&
           std::string_view(p, word.size()) == word && ends_value(p + word.size(), end);
  };
  if (is("true")) return which = 1, p + 4;
  if (is("false")) return which = 0, p + 5;
  if (is("null")) return which = 2, p + 4;
  return nullptr;
}

template <class T>
const char* read_object(const char* p, const char* end, T& out, parse_context& ctx);

// ---- One value per member type; null where the simdjson readers must decide ----------------

ALM_WEBHOOKS_INLINE const char* read_value(const char* p, const char* end, std::string_view& out,
                                           parse_context& ctx, field_rules rules) {
  if (rules.number_as_text && p < end && *p != '"') {
    std::int64_t ignored = 0;
    return read_integer(p, end, out, ignored);
  }
  return read_text(p, end, out, ctx);
}

ALM_WEBHOOKS_INLINE const char* read_value(const char* p, const char* end, id_value& out,
                                           parse_context& ctx, field_rules) {
  std::string_view text;
  if (p < end && *p == '"') {
    p = read_text(p, end, text, ctx);
    out = id_value(text, false);
    return p;
  }
  std::int64_t ignored = 0;
  // A negative identifier is left to simdjson's readers, as is_plain_integer() does there.
  if (p < end && *p == '-') return nullptr;
  p = read_integer(p, end, text, ignored);
  out = id_value(text, true);
  return p;
}

template <class Enum>
ALM_WEBHOOKS_INLINE const char* read_value(const char* p, const char* end, enum_value<Enum>& out,
                                           parse_context& ctx, field_rules) {
  std::string_view text;
  p = read_text(p, end, text, ctx);
  out = enum_value<Enum>(enum_of_text<Enum>(text), text);
  return p;
}

ALM_WEBHOOKS_INLINE const char* read_value(const char* p, const char* end,
                                           std::optional<std::int64_t>& out, parse_context&,
                                           field_rules rules) {
  std::string_view text;
  std::int64_t number = 0;
  p = read_integer(p, end, text, number);
  if (p == nullptr || (rules.percent && (number < 0 || number > 100))) return nullptr;
  out = number;
  return p;
}

inline constexpr double double_powers_of_ten[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/// A number without an exponent and with at most 15 digits: its value and the position after
/// it. Such digits are an integer that a double holds exactly, and so is the power of ten that
/// divides it, so the one division rounds correctly, to the very double simdjson's readers give.
/// Anything else (an exponent, more digits, `-0`, whose sign those readers keep) is left to them.
ALM_WEBHOOKS_INLINE const char* read_decimal(const char* p, const char* end, double& out) noexcept {
  const bool negative = p < end && *p == '-';
  const char* q = p + (negative ? 1 : 0);
  const char* digits = q;
  std::uint64_t m = 0;
  const auto read_digits = [&] {
    const char* from = q;
    for (; q < end && static_cast<unsigned char>(*q - '0') <= 9; ++q) {
      m = m * 10 + static_cast<unsigned>(*q - '0');
    }
    return static_cast<std::size_t>(q - from);
  };
  const std::size_t whole = read_digits();
  if (whole == 0 || (*digits == '0' && whole > 1)) return nullptr;
  std::size_t fraction = 0;
  if (q < end && *q == '.') {
    ++q;
    fraction = read_digits();
    if (fraction == 0) return nullptr;
  }
  if (whole + fraction > 15 || (m == 0 && negative) || !ends_value(q, end)) return nullptr;
  const double value = static_cast<double>(m) / double_powers_of_ten[fraction];
  out = negative ? -value : value;
  return q;
}

ALM_WEBHOOKS_INLINE const char* read_value(const char* p, const char* end,
                                           std::optional<double>& out, parse_context&,
                                           field_rules) {
  double number = 0;
  p = read_decimal(p, end, number);
  if (p != nullptr) out = number;
  return p;
}

ALM_WEBHOOKS_INLINE const char* read_value(const char* p, const char* end, std::optional<bool>& out,
                                           parse_context&, field_rules rules) {
  int which = 0;
  p = read_literal(p, end, which);
  if (p == nullptr || (which == 2 && rules.required)) return nullptr;
  if (which != 2) out = which == 1;
  return p;
}

/// A date: an epoch number, or a string (ISO-8601 or epoch digits) read as simdjson's readers
/// read it; a string that is no date is left to them, to report.
ALM_WEBHOOKS_INLINE const char* read_value(const char* p, const char* end, date_time& out,
                                           parse_context& ctx, field_rules) {
  std::string_view text;
  if (p < end && *p == '"') {
    p = read_text(p, end, text, ctx);
    if (p == nullptr) return nullptr;
    const result<date_time> parsed = date_time::parse(text);
    if (!parsed) return nullptr;
    out = *parsed;
    return p;
  }
  std::int64_t number = 0;
  p = read_integer(p, end, text, number);
  if (p != nullptr) out = date_time::from_epoch_number(number);
  return p;
}

ALM_WEBHOOKS_INLINE const char* read_value(const char* p, const char* end,
                                           std::optional<date_time>& out, parse_context& ctx,
                                           field_rules rules) {
  if (p < end && *p == 'n') {
    int which = 0;
    p = read_literal(p, end, which);
    return which == 2 && !rules.required ? p : nullptr;
  }
  date_time value;
  p = read_value(p, end, value, ctx, rules);
  if (p != nullptr) out = value;
  return p;
}

/// An optional nested object; a null is left to simdjson's readers.
template <class M, std::enable_if_t<is_described_v<M>, int> = 0>
ALM_WEBHOOKS_INLINE const char* read_value(const char* p, const char* end, std::optional<M>& out,
                                           parse_context& ctx, field_rules) {
  return read_object(p, end, out.emplace(blank<M>()), ctx);
}

template <class M>
ALM_WEBHOOKS_INLINE const char* read_value(const char* p, const char* end, M& out,
                                           parse_context& ctx, field_rules) {
  if constexpr (is_described_v<M>) {
    return read_object(p, end, out, ctx);
  } else {
    (void)p, (void)end, (void)out, (void)ctx;
    return nullptr;  // raw JSON: simdjson's readers
  }
}

/// An array into the parser's arena for its element type, as simdjson's readers fill it (an
/// offset view, rebased when the parse ends).
template <class E>
const char* read_value(const char* p, const char* end, array_view<E>& out, parse_context& ctx,
                       field_rules) {
  if (p >= end || *p != '[' || !ctx.enter()) return nullptr;
  auto& arena = ctx.storage->of(static_cast<E*>(nullptr));
  const std::size_t first = arena.size();
  p = skip_space(p + 1, end);
  if (p < end && *p == ']') {
    ++p;
  } else {
    for (;;) {
      E item{};
      p = read_value(p, end, item, ctx, element_rules);
      if (p == nullptr) return nullptr;
      arena.push_back(item);
      p = skip_space(p, end);
      if (p < end && *p == ',') {
        p = skip_space(p + 1, end);
        continue;
      }
      if (p >= end || *p != ']') return nullptr;
      ++p;
      break;
    }
  }
  ctx.leave();
  out = offset_view<E>(first, arena.size() - first);
  return p;
}

// ---- Objects ----------------------------------------------------------------------------

template <class T, std::size_t... I>
ALM_WEBHOOKS_INLINE const char* read_field(std::size_t index, const char* p, const char* end,
                                           T& out, parse_context& ctx, std::index_sequence<I...>) {
  const char* next = nullptr;
  (void)(((index == I) &&
          ((next = read_value(p, end, out.*(std::get<I>(fields_of<T>::value).member), ctx,
                              rules_of<T, I>())),
           true)) ||
         ...);
  return next;
}

/// A key as expected at the cursor: its first 16 bytes, zero-filled, and its size (0, never
/// expected, for a key of more than 16 bytes).
struct expected_key {
  char bytes[16];
  std::size_t size;
};

/// `name` as an expected key (never expected when longer than 16 bytes).
constexpr expected_key expect(std::string_view name) noexcept {
  expected_key key{};
  if (name.size() > sizeof key.bytes) return key;
  for (std::size_t k = 0; k < name.size(); ++k)
    key.bytes[k] = name[k];
  key.size = name.size();
  return key;
}

/// The keys of T's fields in table order, and after them none expected.
template <class T, std::size_t... I>
constexpr std::array<expected_key, sizeof...(I) + 1> make_expected_keys(std::index_sequence<I...>) {
  return {expect(field_name<T, I>())..., expected_key{}};
}

template <class T>
inline constexpr auto expected_keys_of =
    make_expected_keys<T>(std::make_index_sequence<field_count_v<T>>{});

/// The closing quote of the key whose text starts at `text` when that key is `expected`, else
/// null. Found by comparing, not by scanning: where the key ends is known before its bytes are,
/// so the reads after it need not wait for the compare (a scan's result is a position that
/// everything after it depends on).
ALM_WEBHOOKS_INLINE const char* expected_key_end(const char* text, const char* end,
                                                 const expected_key& expected) noexcept {
  const char* q = text + expected.size;
#if defined(ALM_WEBHOOKS_SSE2)
  const auto same = static_cast<unsigned>(_mm_movemask_epi8(
      _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text)),
                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(expected.bytes)))));
  const unsigned wanted = (1U << expected.size) - 1;
  const bool match = (same & wanted) == wanted;
#else
  const bool match = std::memcmp(text, expected.bytes, expected.size) == 0;
#endif
  return expected.size != 0 && q < end && match && *q == '"' ? q : nullptr;
}

/// Calls `on_member(key, expected, p) -> const char*` for each member of the object at `p` (its
/// opening brace), the value at the returned position; the position after the object, or null.
/// `expected_end(text) -> const char*` is the closing quote of the key at `text` when that key
/// is the one expected next (expected_key_end; `expected` tells on_member so), else null: then
/// the key is scanned for.
template <class ExpectedEnd, class OnMember>
ALM_WEBHOOKS_INLINE const char* for_each_member(const char* p, const char* end, parse_context& ctx,
                                                ExpectedEnd&& expected_end, OnMember&& on_member) {
  if (p >= end || *p != '{' || !ctx.enter()) return nullptr;
  p = skip_space(p + 1, end);
  if (p < end && *p == '}') return ctx.leave(), p + 1;
  for (;;) {
    if (p >= end || *p != '"') return nullptr;
    const char* q = expected_end(p + 1);
    const bool expected = q != nullptr;
    if (!expected) q = closing_quote(p + 1, end);
    if (q == nullptr) return nullptr;
    const std::string_view key(p + 1, static_cast<std::size_t>(q - p - 1));
    p = skip_space(q + 1, end);
    if (p >= end || *p != ':') return nullptr;
    p = on_member(key, expected, skip_space(p + 1, end));
    if (p == nullptr) return nullptr;
    p = skip_space(p, end);
    if (p < end && *p == ',') {
      p = skip_space(p + 1, end);
      continue;
    }
    if (p < end && *p == '}') return ctx.leave(), p + 1;
    return nullptr;
  }
}

/// An object read into a described struct: known keys only, each once, required ones present.
template <class T>
const char* read_object(const char* p, const char* end, T& out, parse_context& ctx) {
  constexpr auto fields = std::make_index_sequence<field_count_v<T>>{};
  std::uint64_t seen = 0;
  std::size_t hint = 0;
  p = for_each_member(
      p, end, ctx,
      [&](const char* text) { return expected_key_end(text, end, expected_keys_of<T>[hint]); },
      [&](std::string_view key, bool expected, const char* at) -> const char* {
        const std::size_t index = expected ? hint : find_field<T>(key, hint, fields);
        if (index == field_count_v<T> || (seen >> index & 1U) != 0) return nullptr;
        seen |= std::uint64_t{1} << index;
        hint = index + 1;
        return read_field(index, at, end, out, ctx, fields);
      });
  constexpr std::uint64_t required = required_mask<T>();
  return p != nullptr && (seen & required) == required ? p : nullptr;
}

}  // namespace alm::webhooks::detail::plain
