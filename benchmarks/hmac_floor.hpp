// The floor for HMAC-SHA256 verification: the key's inner and outer SHA-256 states computed once,
// and per body only the hashing itself (one SHA-256 over the body, one over the inner digest).
// Uses the low-level SHA256_* functions, deprecated in OpenSSL 3 but exactly what the floor is:
// include this header before any OpenSSL header of the same translation unit.
#pragma once

#ifndef OPENSSL_SUPPRESS_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED
#endif

#include <array>
#include <cstddef>
#include <string_view>

#include <openssl/sha.h>

namespace alm_bench {

/// HMAC-SHA256 with the key's inner and outer states computed once, written out by hand.
struct precomputed_hmac {
  SHA256_CTX inner;
  SHA256_CTX outer;

  /// `key` must be at most one SHA-256 block (64 bytes), as the benchmarks' secrets are.
  explicit precomputed_hmac(std::string_view key) {
    std::array<unsigned char, 64> block{};
    std::copy(key.begin(), key.end(), block.begin());
    std::array<unsigned char, 64> pad{};
    SHA256_Init(&inner);
    for (std::size_t i = 0; i < pad.size(); ++i)
      pad[i] = block[i] ^ 0x36;
    SHA256_Update(&inner, pad.data(), pad.size());
    SHA256_Init(&outer);
    for (std::size_t i = 0; i < pad.size(); ++i)
      pad[i] = block[i] ^ 0x5c;
    SHA256_Update(&outer, pad.data(), pad.size());
  }

  /// The MAC of `body` into `mac`.
  void compute(std::string_view body, std::array<unsigned char, 32>& mac) const {
    SHA256_CTX ctx = inner;
    SHA256_Update(&ctx, body.data(), body.size());
    SHA256_Final(mac.data(), &ctx);
    ctx = outer;
    SHA256_Update(&ctx, mac.data(), mac.size());
    SHA256_Final(mac.data(), &ctx);
  }
};

}  // namespace alm_bench
