// Comparison and wiping of secret-derived bytes, through OpenSSL so the compiler cannot turn them
// into early-exit loops or drop them as dead stores.
#pragma once

#include <cstddef>

#include <openssl/crypto.h>

namespace alm::webhooks::detail {

/// True when the `size` bytes at `a` and `b` are equal. The time taken depends only on `size`,
/// never on where the bytes differ, so a caller probing signatures learns nothing from timing.
inline bool equal_constant_time(const void* a, const void* b, std::size_t size) noexcept {
  // In 16-byte pieces, all of them compared: OpenSSL's x86-64 CRYPTO_memcmp compares exactly 16
  // bytes with two word loads and any other length a byte at a time, four times slower for a MAC.
  const auto* pa = static_cast<const unsigned char*>(a);
  const auto* pb = static_cast<const unsigned char*>(b);
  int difference = 0;
  std::size_t i = 0;
  for (; i + 16 <= size; i += 16)
    difference |= CRYPTO_memcmp(pa + i, pb + i, 16);
  if (i < size) difference |= CRYPTO_memcmp(pa + i, pb + i, size - i);
  return difference == 0;
}

/// Overwrites `size` bytes at `p` with zeros in a way the optimizer keeps.
inline void wipe(void* p, std::size_t size) noexcept {
  OPENSSL_cleanse(p, size);
}

}  // namespace alm::webhooks::detail
