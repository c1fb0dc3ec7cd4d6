// RSA-SHA256 (PKCS#1 v1.5) signatures over EVP_PKEY keys read from PEM text: what Adobe I/O
// Events signs its deliveries with. Every function leaves OpenSSL's per-thread error queue empty,
// so a failed check never leaks stale errors into the host application's own OpenSSL calls.
#pragma once

#include <climits>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "alm/webhooks/detail/sha256.hpp"

namespace alm::webhooks::detail {

struct pkey_deleter {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
/// An owned key. Used read-only after loading, which OpenSSL 3 allows from many threads at once.
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;

struct md_ctx_deleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;

enum class pem_key_kind : unsigned char { public_key, private_key };

/// Reads an RSA key from PEM text ("-----BEGIN PUBLIC KEY-----" for a public key; "PRIVATE KEY"
/// or "RSA PRIVATE KEY", unencrypted, for a private one). Null when the text holds no such key or
/// the key is not RSA.
inline pkey_ptr read_rsa_pem(std::string_view pem, pem_key_kind kind) noexcept {
  if (pem.empty() || pem.size() > static_cast<std::size_t>(INT_MAX)) return nullptr;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) {
    ERR_clear_error();
    return nullptr;
  }
  // Without a callback OpenSSL would prompt on the terminal for an encrypted key's pass phrase.
  pem_password_cb* no_passphrase = [](char*, int, int, void*) { return 0; };
  pkey_ptr key(kind == pem_key_kind::public_key
                   ? PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr)
                   : PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (key && EVP_PKEY_is_a(key.get(), "RSA") != 1) key.reset();
  ERR_clear_error();
  return key;
}

/// Starts an RSA-SHA256 signing or verification context for `key`; null on failure.
inline md_ctx_ptr rsa_sha256_context(EVP_PKEY* key, bool for_signing) noexcept {
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  if (!ctx) return nullptr;
  // PKCS#1 v1.5 is RSA's default padding for EVP_DigestSign/Verify.
  const int ok =
      for_signing
          ? EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key, nullptr)
          : EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key, nullptr);
  if (ok != 1) ctx.reset();
  return ctx;
}

/// True when `signature` is a valid RSA-SHA256 signature of `data` under the public `key`.
inline bool rsa_sha256_verify(EVP_PKEY* key, const unsigned char* signature, std::size_t size,
                              std::string_view data) noexcept {
  md_ctx_ptr ctx = rsa_sha256_context(key, false);
  const bool ok = ctx && EVP_DigestVerify(ctx.get(), signature, size,
                                          static_cast<const unsigned char*>(hash_input(data)),
                                          data.size()) == 1;
  ERR_clear_error();
  return ok;
}

/// Signs `data` with the private `key` into `out` (resized to the signature). False on failure.
/// May throw std::bad_alloc.
inline bool rsa_sha256_sign(EVP_PKEY* key, std::string_view data, std::string& out) {
  md_ctx_ptr ctx = rsa_sha256_context(key, true);
  const auto* bytes = static_cast<const unsigned char*>(hash_input(data));
  const int key_size = EVP_PKEY_get_size(key);
  bool ok = ctx && key_size > 0;
  if (ok) {
    out.assign(static_cast<std::size_t>(key_size), '\0');
    std::size_t size = out.size();
    ok = EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &size, bytes,
                        data.size()) == 1;
    out.resize(ok ? size : 0);
  }
  ERR_clear_error();
  return ok;
}

}  // namespace alm::webhooks::detail
