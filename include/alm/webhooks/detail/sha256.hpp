// A SHA-256 state that can be copied cheaply: the building block of the precomputed HMAC keys.
//
// Two implementations, chosen at compile time:
// - by default OpenSSL's low-level SHA256_* functions. OpenSSL 3 marks them deprecated in favour
//   of EVP, but a SHA256_CTX is a plain struct, so copying a precomputed state per request is a
//   memcpy; EVP_MD_CTX_copy_ex allocates and frees a provider context on every copy, which costs
//   more than hashing a small webhook body. The deprecation warning is silenced only here.
// - EVP_MD_CTX when the low-level functions are hidden (OPENSSL_API_COMPAT >= 30000,
//   OPENSSL_NO_DEPRECATED) or when ALM_WEBHOOKS_SHA256_EVP is defined. Correct, but each copy
//   allocates. Every translation unit of a program must make the same choice.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "alm/webhooks/detail/constant_time.hpp"
#include "alm/webhooks/detail/word_ops.hpp"

#if !defined(ALM_WEBHOOKS_SHA256_EVP) && defined(OPENSSL_NO_DEPRECATED_3_0)
#define ALM_WEBHOOKS_SHA256_EVP 1
#endif

namespace alm::webhooks::detail {

inline constexpr std::size_t sha256_size = 32;
inline constexpr std::size_t sha256_block_size = 64;
using sha256_digest = std::array<unsigned char, sha256_size>;

/// Bytes for hashing: never a null pointer, even for an empty view.
inline const void* hash_input(std::string_view data) noexcept {
  return data.empty() ? static_cast<const void*>("") : data.data();
}

#if !defined(ALM_WEBHOOKS_SHA256_EVP)

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#elif defined(_MSC_VER)
#pragma warning(push)
#pragma warning(disable : 4996)
#endif

/// A running SHA-256 computation. Copying copies the state (a memcpy). Not wiped on destruction:
/// per-request copies are spent by finish(), and the long-lived key states call erase().
class sha256_state {
 public:
  sha256_state() noexcept { SHA256_Init(&ctx_); }

  /// False when the state could not be created; never for this implementation.
  bool valid() const noexcept { return true; }
  void update(std::string_view data) noexcept {
    SHA256_Update(&ctx_, hash_input(data), data.size());
  }
  void update(const unsigned char* data, std::size_t size) noexcept {
    SHA256_Update(&ctx_, data, size);
  }
  /// Writes the digest; the state is spent afterwards. False only when hashing failed.
  bool finish(unsigned char* out) noexcept {
    pad_and_transform();
    write_digest(out);
    return true;
  }
  /// Finishes this hash and appends its digest to `next` (HMAC's inner hash to its outer one);
  /// this state is spent afterwards. False only when hashing failed.
  bool finish_into(sha256_state& next) noexcept {
    pad_and_transform();
    if (next.ctx_.num + sha256_size >= sha256_block_size) {  // the block would be full
      unsigned char digest[sha256_size];
      write_digest(digest);
      next.update(digest, sizeof digest);
      return true;
    }
    // Straight into the next state's block buffer: what SHA256_Update would copy there.
    write_digest(reinterpret_cast<unsigned char*>(next.ctx_.data) + next.ctx_.num);
    next.ctx_.num += sha256_size;
    const SHA_LONG bits_before = next.ctx_.Nl;
    next.ctx_.Nl += sha256_size * 8;
    if (next.ctx_.Nl < bits_before) ++next.ctx_.Nh;
    return true;
  }
  /// Wipes the state, which for an HMAC key state is as good as the key.
  void erase() noexcept { wipe(&ctx_, sizeof ctx_); }

 private:
  // SHA256_Final's padding, written here: Final also wipes the block buffer, which holds only
  // message bytes and padding (never a key: the HMAC key states are erased by their owner), and
  // writes the digest a byte at a time; for a small webhook body the two cost as much as the
  // rest of the finishing. Words are stored whole: the block function reads them back in 16-byte
  // loads, and a load assembled from many narrow stores stalls.
  void pad_and_transform() noexcept {
    auto* block = reinterpret_cast<unsigned char*>(ctx_.data);
    std::size_t used = ctx_.num;
    const std::uint64_t bits = (std::uint64_t{ctx_.Nh} << 32) | ctx_.Nl;
    block[used++] = 0x80;
    if (used > sha256_block_size - 8) {
      std::memset(block + used, 0, sha256_block_size - used);
      SHA256_Transform(&ctx_, block);
      used = 0;
    }
    std::memset(block + used, 0, sha256_block_size - 8 - used);
    store_be64(block + sha256_block_size - 8, bits);
    SHA256_Transform(&ctx_, block);
  }
  void write_digest(unsigned char* out) const noexcept {
    for (std::size_t i = 0; i < 8; ++i)
      store_be32(out + 4 * i, ctx_.h[i]);
  }

  SHA256_CTX ctx_;
};

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#elif defined(_MSC_VER)
#pragma warning(pop)
#endif

#else  // ALM_WEBHOOKS_SHA256_EVP

/// A running SHA-256 computation over EVP. Copying copies the state (and allocates); a state
/// whose allocation failed is invalid and makes finish() return false.
class sha256_state {
 public:
  sha256_state() noexcept : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ != nullptr &&
        (digest() == nullptr || EVP_DigestInit_ex(ctx_, digest(), nullptr) != 1)) {
      release();
    }
  }
  sha256_state(const sha256_state& other) noexcept { copy_from(other); }
  sha256_state& operator=(const sha256_state& other) noexcept {
    if (this != &other) {
      release();
      copy_from(other);
    }
    return *this;
  }
  ~sha256_state() { release(); }

  bool valid() const noexcept { return ctx_ != nullptr; }
  void update(std::string_view data) noexcept {
    if (ctx_ != nullptr) EVP_DigestUpdate(ctx_, hash_input(data), data.size());
  }
  void update(const unsigned char* data, std::size_t size) noexcept {
    if (ctx_ != nullptr) EVP_DigestUpdate(ctx_, data, size);
  }
  bool finish(unsigned char* out) noexcept {
    return ctx_ != nullptr && EVP_DigestFinal_ex(ctx_, out, nullptr) == 1;
  }
  bool finish_into(sha256_state& next) noexcept {
    unsigned char digest[sha256_size];
    if (!finish(digest)) return false;
    next.update(digest, sizeof digest);
    return true;
  }
  /// Wipes and releases the state; finish() fails afterwards.
  void erase() noexcept { release(); }

 private:
  /// Fetched once per process and kept for its lifetime; fetching per call is what makes
  /// OpenSSL 3's one-shot functions slow.
  static const EVP_MD* digest() noexcept {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
  }
  void copy_from(const sha256_state& other) noexcept {
    ctx_ = other.ctx_ == nullptr ? nullptr : EVP_MD_CTX_new();
    if (ctx_ != nullptr && EVP_MD_CTX_copy_ex(ctx_, other.ctx_) != 1) release();
  }
  void release() noexcept {
    EVP_MD_CTX_free(ctx_);  // also cleanses the digest state
    ctx_ = nullptr;
  }

  EVP_MD_CTX* ctx_{nullptr};
};

#endif  // ALM_WEBHOOKS_SHA256_EVP

/// SHA-256 of `data`; false when hashing failed (only possible with the EVP implementation).
inline bool sha256(std::string_view data, unsigned char* out) noexcept {
  sha256_state state;
  state.update(data);
  return state.finish(out);
}

}  // namespace alm::webhooks::detail
