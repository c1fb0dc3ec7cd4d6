// Comparison and wiping of secret-derived bytes, through OpenSSL so the compiler cannot turn them
// into early-exit loops or drop them as dead stores.
#pragma once

#include <cstddef>

#include <openssl/crypto.h>

namespace alm::webhooks::detail {

/// True when the `size` bytes at `a` and `b` are equal. The time taken depends only on `size`,
/// never on where the bytes differ, so a caller probing signatures learns nothing from timing.
inline bool equal_constant_time(const void* a, const void* b, std::size_t size) noexcept {
  return CRYPTO_memcmp(a, b, size) == 0;
}

/// Overwrites `size` bytes at `p` with zeros in a way the optimizer keeps.
inline void wipe(void* p, std::size_t size) noexcept {
  OPENSSL_cleanse(p, size);
}

}  // namespace alm::webhooks::detail
