// Producing authentication header values for a body, in every scheme the verifier checks: for
// a user's own tests, for the command-line tool that sends test events, and for senders.
//
//   auto value = alm::webhooks::sign_alm_hmac(secret, body);   // result<std::string>
//   // send it as X-ALM-Webhook-Signature: *value
//
// Every function returns owning strings and never throws; bad secrets give the same
// invalid_configuration errors the verifier gives.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "alm/webhooks/detail/base64.hpp"
#include "alm/webhooks/detail/constant_time.hpp"
#include "alm/webhooks/detail/hex.hpp"
#include "alm/webhooks/detail/hmac_sha256.hpp"
#include "alm/webhooks/detail/rsa_sha256.hpp"
#include "alm/webhooks/detail/secrets.hpp"
#include "alm/webhooks/result.hpp"

namespace alm::webhooks {

/// How sign_alm_hmac writes the 32 MAC bytes. The verifier accepts all of them by default.
enum class signature_encoding : std::uint8_t {
  hex,        ///< 64 lowercase hex digits
  hex_upper,  ///< 64 uppercase hex digits
  base64,     ///< 44 characters of standard base64, padded
  base64url,  ///< 43 characters of base64url, unpadded
};

namespace detail {

/// Runs `make` (which may allocate), turning std::bad_alloc into an out_of_memory error.
template <class T, class Make>
result<T> no_throw(Make&& make) noexcept {
  try {
    return make();
  } catch (const std::bad_alloc&) {
    return result<T>(error_code::out_of_memory, "out of memory while signing");
  } catch (...) {
    return result<T>(error_code::out_of_memory, "signing failed");
  }
}

/// HMAC-SHA256 of the concatenated parts under `key`, or an error when hashing failed.
inline result<sha256_digest> hmac_sha256(std::string_view key, const std::string_view* parts,
                                         std::size_t count) {
  const hmac_sha256_key prepared(key);
  sha256_digest mac;
  if (!prepared.valid() || !prepared.compute(parts, count, mac.data())) {
    return result<sha256_digest>(error_code::out_of_memory, "hashing failed");
  }
  return mac;
}

inline std::string encode_signature(const sha256_digest& mac, signature_encoding encoding) {
  switch (encoding) {
    case signature_encoding::hex_upper:
      return to_hex(mac.data(), mac.size(), true);
    case signature_encoding::base64:
      return encode_base64(mac.data(), mac.size());
    case signature_encoding::base64url:
      return encode_base64(mac.data(), mac.size(), base64_alphabet::url, false);
    case signature_encoding::hex:
      break;
  }
  return to_hex(mac.data(), mac.size());
}

}  // namespace detail

/// The `X-ALM-Webhook-Signature` value for `signed_content` (the raw body; or
/// "<timestamp>.<body>" when the verifier is configured with a timestamp header), as
/// `prefix` followed by the encoded HMAC-SHA256 under `secret`. Pass prefix "sha256=" for the
/// GitHub form. Error: invalid_configuration for an empty or whitespace-only secret.
inline result<std::string> sign_alm_hmac(std::string_view secret, std::string_view signed_content,
                                         signature_encoding encoding = signature_encoding::hex,
                                         std::string_view prefix = {}) noexcept {
  return detail::no_throw<std::string>([&]() -> result<std::string> {
    result<void> checked = detail::check_raw_secret(secret);
    if (!checked) return checked.error();
    result<detail::sha256_digest> mac = detail::hmac_sha256(secret, &signed_content, 1);
    if (!mac) return mac.error();
    std::string value(prefix);
    value += detail::encode_signature(*mac, encoding);
    return value;
  });
}

/// The three Standard Webhooks header values for one message.
struct standard_webhooks_signature {
  std::string id;         ///< the `webhook-id` value
  std::string timestamp;  ///< the `webhook-timestamp` value (Unix seconds)
  std::string signature;  ///< the `webhook-signature` value: "v1,<base64>"
};

/// Signs `body` as Standard Webhooks does: HMAC-SHA256 of "<id>.<timestamp>.<body>" under the
/// key in `secret` ("whsec_<base64>" or the base64 key alone). Errors: invalid_configuration
/// for a bad secret, an empty id, or a negative timestamp.
inline result<standard_webhooks_signature> sign_standard_webhooks(std::string_view secret,
                                                                  std::string_view id,
                                                                  std::int64_t timestamp,
                                                                  std::string_view body) noexcept {
  using out = result<standard_webhooks_signature>;
  return detail::no_throw<standard_webhooks_signature>([&]() -> out {
    if (id.empty()) return out(error_code::invalid_configuration, "the message id is empty");
    if (timestamp < 0) {
      return out(error_code::invalid_configuration, "the timestamp is negative");
    }
    result<std::string> key = detail::decode_standard_webhooks_secret(secret);
    if (!key) return key.error();
    standard_webhooks_signature headers{std::string(id), std::to_string(timestamp), {}};
    const std::string_view parts[] = {id, ".", headers.timestamp, ".", body};
    result<detail::sha256_digest> mac = detail::hmac_sha256(*key, parts, std::size(parts));
    detail::wipe(key->data(), key->size());
    if (!mac) return mac.error();
    headers.signature = "v1," + detail::encode_signature(*mac, signature_encoding::base64);
    return headers;
  });
}

/// The `Authorization` value "Basic base64(username:password)". Error: invalid_configuration
/// for an empty user name, one containing ':', or an empty or whitespace-only password.
inline result<std::string> basic_authorization(std::string_view username,
                                               std::string_view password) noexcept {
  return detail::no_throw<std::string>([&]() -> result<std::string> {
    if (const char* fault = detail::basic_credential_fault(username, password)) {
      return result<std::string>(error_code::invalid_configuration, fault);
    }
    std::string joined = fmt::format("{}:{}", username, password);
    std::string value =
        "Basic " +
        detail::encode_base64(reinterpret_cast<const unsigned char*>(joined.data()), joined.size());
    detail::wipe(joined.data(), joined.size());
    return value;
  });
}

/// Signs bodies the way Adobe I/O Events does: base64 RSA-SHA256 (PKCS#1 v1.5) of the raw body,
/// the value of `x-adobe-digital-signature-1` or `-2`. Immutable; copies share the key; usable
/// from many threads at once.
class adobe_io_signer {
 public:
  /// Reads an unencrypted PEM RSA private key ("PRIVATE KEY" or "RSA PRIVATE KEY").
  /// Error: invalid_configuration when the text holds no such key.
  static result<adobe_io_signer> make(std::string_view private_key_pem) noexcept {
    return detail::no_throw<adobe_io_signer>([&]() -> result<adobe_io_signer> {
      detail::pkey_ptr key =
          detail::read_rsa_pem(private_key_pem, detail::pem_key_kind::private_key);
      if (!key) {
        return result<adobe_io_signer>(error_code::invalid_configuration,
                                       "not an unencrypted PEM RSA private key");
      }
      return adobe_io_signer(std::shared_ptr<EVP_PKEY>(key.release(), detail::pkey_deleter{}));
    });
  }

  /// The base64 signature of `body`.
  result<std::string> sign(std::string_view body) const noexcept {
    return detail::no_throw<std::string>([&]() -> result<std::string> {
      std::string raw;
      if (!detail::rsa_sha256_sign(key_.get(), body, raw)) {
        return result<std::string>(error_code::out_of_memory, "RSA signing failed");
      }
      return detail::encode_base64(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
    });
  }

 private:
  explicit adobe_io_signer(std::shared_ptr<EVP_PKEY> key) noexcept : key_(std::move(key)) {}

  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace alm::webhooks
