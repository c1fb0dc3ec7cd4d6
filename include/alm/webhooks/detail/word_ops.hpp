// Word-at-a-time helpers: eight bytes processed in one 64-bit operation, portably (no SIMD
// intrinsics, no assumption about the host's byte order), and the one switch for the SSE2 paths
// beside them (every x86-64 CPU has SSE2; other targets take the portable code).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>
#define ALM_WEBHOOKS_SSE2 1
#endif

#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ALM_WEBHOOKS_BIG_ENDIAN 1
#endif

namespace alm::webhooks::detail {

/// Eight characters as a little-endian word, whatever the host's byte order: one load, plus a
/// byte swap on big-endian hosts.
inline std::uint64_t load_le64(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
#if defined(ALM_WEBHOOKS_BIG_ENDIAN)
  v = __builtin_bswap64(v);
#endif
  return v;
}

/// Writes the low four bytes of `v` in little-endian order: one store.
inline void store_le32(unsigned char* p, std::uint64_t v) noexcept {
  auto w = static_cast<std::uint32_t>(v);
#if defined(ALM_WEBHOOKS_BIG_ENDIAN)
  w = __builtin_bswap32(w);
#endif
  std::memcpy(p, &w, sizeof w);
}

/// Writes `v` in big-endian order: one store, of a byte-swapped word on little-endian hosts
/// (compilers turn the shifts into a single byte-swap instruction).
inline void store_be32(unsigned char* p, std::uint32_t v) noexcept {
#if !defined(ALM_WEBHOOKS_BIG_ENDIAN)
  v = (v >> 24) | ((v >> 8) & 0xff00U) | ((v << 8) & 0xff0000U) | (v << 24);
#endif
  std::memcpy(p, &v, sizeof v);
}
inline void store_be64(unsigned char* p, std::uint64_t v) noexcept {
#if !defined(ALM_WEBHOOKS_BIG_ENDIAN)
  v = (v >> 32) | (v << 32);
  v = ((v >> 16) & 0x0000ffff0000ffffULL) | ((v & 0x0000ffff0000ffffULL) << 16);
  v = ((v >> 8) & 0x00ff00ff00ff00ffULL) | ((v & 0x00ff00ff00ff00ffULL) << 8);
#endif
  std::memcpy(p, &v, sizeof v);
}

/// Each byte of `b` repeated in all eight bytes of a word.
constexpr std::uint64_t repeat_byte(std::uint8_t b) noexcept {
  return 0x0101010101010101ULL * b;
}

/// 0x80 in each byte of `x` that is at least `low`; `x`'s bytes must be below 0x80, so the
/// addition never carries into the next byte.
constexpr std::uint64_t bytes_at_least(std::uint64_t x, std::uint8_t low) noexcept {
  return (x + repeat_byte(static_cast<std::uint8_t>(0x80 - low))) & repeat_byte(0x80);
}

/// The index of the lowest set bit of `mask` (an unsigned word), which must not be 0.
template <class Word>
inline unsigned lowest_bit(Word mask) noexcept {
  static_assert(std::is_unsigned_v<Word>, "a mask is an unsigned word");
#if defined(__GNUC__) || defined(__clang__)
  if constexpr (sizeof(Word) <= sizeof(unsigned)) {
    return static_cast<unsigned>(__builtin_ctz(mask));
  } else {
    return static_cast<unsigned>(__builtin_ctzll(mask));
  }
#else
  unsigned index = 0;
  for (; (mask & 1U) == 0; mask >>= 1)
    ++index;
  return index;
#endif
}

/// Whether the `size` bytes at `a` and `b` are equal, a word at a time (the last word
/// overlapping the ones before): enum spellings and keys are short, and a call to memcmp costs
/// more than comparing.
inline bool same_bytes(const char* a, const char* b, std::size_t size) noexcept {
  if (size >= 8) {
    for (std::size_t i = 0; i + 8 < size; i += 8) {
      if (load_le64(a + i) != load_le64(b + i)) return false;
    }
    return load_le64(a + size - 8) == load_le64(b + size - 8);
  }
  const auto load32 = [](const char* p) {
    std::uint32_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
  };
  if (size >= 4) return load32(a) == load32(b) && load32(a + size - 4) == load32(b + size - 4);
  for (std::size_t i = 0; i < size; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace alm::webhooks::detail
