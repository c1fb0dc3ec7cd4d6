// HMAC-SHA256 (RFC 2104) with the key processed once: the inner and outer SHA-256 states after
// the key's ipad and opad blocks are kept, and each message costs two state copies plus the
// hashing of the message itself, which is the least any HMAC-SHA256 can cost.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "alm/webhooks/detail/constant_time.hpp"
#include "alm/webhooks/detail/sha256.hpp"

namespace alm::webhooks::detail {

/// A key ready for HMAC-SHA256. Immutable after construction, so one object may be used by any
/// number of threads at once: compute() works on copies on the caller's stack.
class hmac_sha256_key {
 public:
  /// Keys longer than the SHA-256 block are hashed first, as RFC 2104 requires.
  explicit hmac_sha256_key(std::string_view key) noexcept {
    std::array<unsigned char, sha256_block_size> block{};
    if (key.size() > sha256_block_size) {
      valid_ = sha256(key, block.data());
    } else {
      for (std::size_t i = 0; i < key.size(); ++i)
        block[i] = static_cast<unsigned char>(key[i]);
    }
    std::array<unsigned char, sha256_block_size> pad{};
    for (std::size_t i = 0; i < pad.size(); ++i)
      pad[i] = block[i] ^ 0x36;
    inner_.update(pad.data(), pad.size());
    for (std::size_t i = 0; i < pad.size(); ++i)
      pad[i] = block[i] ^ 0x5c;
    outer_.update(pad.data(), pad.size());
    wipe(block.data(), block.size());
    wipe(pad.data(), pad.size());
    valid_ = valid_ && inner_.valid() && outer_.valid();
  }
  hmac_sha256_key(const hmac_sha256_key&) = default;
  hmac_sha256_key& operator=(const hmac_sha256_key&) = default;
  ~hmac_sha256_key() {
    inner_.erase();
    outer_.erase();
  }

  /// False when the states could not be created (allocation failure with EVP hashing).
  bool valid() const noexcept { return valid_; }

  /// The MAC of the concatenation of `parts[0..count)`, written to `out` (32 bytes), so signed
  /// content such as "id.timestamp.body" needs no buffer. False only when hashing failed.
  bool compute(const std::string_view* parts, std::size_t count,
               unsigned char* out) const noexcept {
    sha256_state inner = inner_;
    for (std::size_t i = 0; i < count; ++i)
      inner.update(parts[i]);
    sha256_state outer = outer_;
    return inner.finish_into(outer) && outer.finish(out);
  }
  bool compute(std::string_view data, unsigned char* out) const noexcept {
    return compute(&data, 1, out);
  }

 private:
  sha256_state inner_;
  sha256_state outer_;
  bool valid_{true};
};

}  // namespace alm::webhooks::detail
