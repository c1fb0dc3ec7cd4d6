// Authenticating webhook requests over their raw bytes: ALM's shared-secret signature (the
// default), Standard Webhooks, Adobe I/O Events' RSA signatures, HTTP Basic, or none.
//
//   alm::webhooks::verifier_options options;            // scheme alm_hmac by default
//   options.alm_hmac.secrets = {current_secret, previous_secret};
//   auto v = alm::webhooks::make_verifier(options);     // result<verifier>
//   if (!v) { log(v.error()); return; }                 // invalid_configuration
//   auto checked = v->verify(request.headers, request.body);
//   if (!checked) respond(http_status(checked.code()), checked.error().message);
//
// Verify the body exactly as received, before parsing it: a body that was parsed and written
// back, decoded, or had its whitespace or charset changed no longer matches its signature.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "alm/webhooks/detail/auth_headers.hpp"
#include "alm/webhooks/detail/base64.hpp"
#include "alm/webhooks/detail/constant_time.hpp"
#include "alm/webhooks/detail/hex.hpp"
#include "alm/webhooks/detail/hmac_sha256.hpp"
#include "alm/webhooks/detail/rsa_sha256.hpp"
#include "alm/webhooks/detail/secrets.hpp"
#include "alm/webhooks/detail/sha256.hpp"
#include "alm/webhooks/error.hpp"
#include "alm/webhooks/http.hpp"
#include "alm/webhooks/result.hpp"

namespace alm::webhooks {

/// How requests prove where they come from. ALM lets the integration admin pick None, Basic or
/// Signature per webhook; the other two serve senders that follow those published schemes.
enum class auth_scheme : std::uint8_t {
  none,      ///< accept every request (ALM's "None")
  basic,     ///< `Authorization: Basic base64(user:password)` (ALM's "Basic")
  alm_hmac,  ///< HMAC-SHA256 of the raw body in `X-ALM-Webhook-Signature` (ALM's "Signature")
  standard_webhooks,  ///< `webhook-id`, `webhook-timestamp`, `webhook-signature`
                      ///< (standardwebhooks.com)
  adobe_io,           ///< Adobe I/O Events: RSA-SHA256 in `x-adobe-digital-signature-1` / `-2`
};

/// The scheme's name as written in configuration: "none", "basic", "alm_hmac", ...
constexpr std::string_view to_string(auth_scheme scheme) noexcept {
  switch (scheme) {
    case auth_scheme::none:
      return "none";
    case auth_scheme::basic:
      return "basic";
    case auth_scheme::alm_hmac:
      return "alm_hmac";
    case auth_scheme::standard_webhooks:
      return "standard_webhooks";
    case auth_scheme::adobe_io:
      return "adobe_io";
  }
  return "unknown";
}

/// The scheme named `name` (as to_string writes it, any case), or nullopt.
constexpr std::optional<auth_scheme> parse_auth_scheme(std::string_view name) noexcept {
  for (auth_scheme s : {auth_scheme::none, auth_scheme::basic, auth_scheme::alm_hmac,
                        auth_scheme::standard_webhooks, auth_scheme::adobe_io}) {
    if (iequals(name, to_string(s))) return s;
  }
  return std::nullopt;
}

/// The current time in Unix seconds. Called once per verification of a timestamped scheme, from
/// any thread at once, so it must be thread-safe. It should not throw; if it does, the
/// verification fails with invalid_configuration.
using clock_function = std::function<std::int64_t()>;

inline constexpr std::string_view default_signature_header = "X-ALM-Webhook-Signature";
inline constexpr std::string_view default_signature_prefix = "sha256=";
inline constexpr std::size_t default_max_header_bytes = 8 * 1024;
inline constexpr std::int64_t default_timestamp_tolerance_seconds = 300;
/// The longest `user:password` the Basic scheme reads; longer headers are malformed.
using detail::max_basic_credentials_bytes;
/// The largest RSA signature read from an Adobe I/O header (RSA-4096).
inline constexpr std::size_t max_rsa_signature_bytes = 512;
/// Adobe I/O Events sends two signatures, one per key it may be signing with.
inline constexpr std::array<std::string_view, 2> adobe_io_signature_headers = {
    "x-adobe-digital-signature-1", "x-adobe-digital-signature-2"};
inline constexpr std::string_view standard_webhooks_id_header = "webhook-id";
inline constexpr std::string_view standard_webhooks_timestamp_header = "webhook-timestamp";
inline constexpr std::string_view standard_webhooks_signature_header = "webhook-signature";

/// ALM's "Signature" scheme. ALM has not published its details; the AsyncAPI document names the
/// header and HMAC-SHA256 of the payload. Everything else is configurable and lenient by default.
struct alm_hmac_options {
  /// Shared secrets, used as their UTF-8 bytes. Several for rotation: a signature made with any
  /// of them passes, and verification::key_index tells which one matched.
  std::vector<std::string> secrets;
  /// Matched case-insensitively. The header may hold several signatures separated by commas
  /// and/or spaces; one matching is enough.
  std::string header_name{default_signature_header};
  /// Accept 64 hex digits, either case.
  bool accept_hex{true};
  /// Accept base64 or base64url of the 32 MAC bytes, padded or not.
  bool accept_base64{true};
  /// Stripped (compared case-insensitively) when a signature starts with it, GitHub style.
  std::string prefix{default_signature_prefix};
  /// Refuse signatures without `prefix`.
  bool require_prefix{false};
  /// Empty (the default): the signed content is the body. Otherwise the name of a header holding
  /// a Unix time in seconds; the signed content is then "<timestamp>.<body>" and the timestamp
  /// must be within verifier_options::timestamp_tolerance_seconds of the clock.
  std::string timestamp_header;
};

/// Standard Webhooks (standardwebhooks.com): the signed content is "<webhook-id>.<webhook-
/// timestamp>.<body>"; `webhook-signature` holds space-separated "v1,<base64>" entries.
struct standard_webhooks_options {
  /// "whsec_<base64 key>" (or the base64 key alone). Several for rotation.
  std::vector<std::string> secrets;
};

/// Adobe I/O Events digital signatures: base64 RSA-SHA256 (PKCS#1 v1.5) of the raw body in
/// `x-adobe-digital-signature-1` and `-2`; either one verifying is enough.
struct adobe_io_options {
  /// PEM public keys ("-----BEGIN PUBLIC KEY-----"), RSA. The SDK never fetches keys: download
  /// them from the URLs in `x-adobe-public-key1-path` / `-2-path` yourself, check them, and
  /// rebuild the verifier when they rotate. Several keys may be configured.
  std::vector<std::string> public_keys_pem;
};

/// One accepted user name and password for the Basic scheme.
struct basic_credential {
  std::string username;  ///< not empty, no ':'
  std::string password;  ///< not empty or only whitespace
};

/// HTTP Basic authentication, as ALM sends it when the admin picks "Basic".
struct basic_options {
  /// Several for rotation; the received pair is compared with each in constant time.
  std::vector<basic_credential> credentials;
};

/// Everything a verifier needs. Only the member for `scheme` is read.
struct verifier_options {
  auth_scheme scheme{auth_scheme::alm_hmac};
  alm_hmac_options alm_hmac;
  standard_webhooks_options standard_webhooks;
  adobe_io_options adobe_io;
  basic_options basic;
  /// How far a signed timestamp may be from the clock, either way (inclusive), for
  /// standard_webhooks and for alm_hmac with a timestamp header.
  std::int64_t timestamp_tolerance_seconds{default_timestamp_tolerance_seconds};
  /// Unix seconds now; empty means std::chrono::system_clock. Set once here, e.g. to a fixed
  /// time in tests.
  clock_function clock;
  /// Longest value read from any authentication header. A longer one is malformed_header and is
  /// refused on its length alone, without being scanned.
  std::size_t max_header_bytes{default_max_header_bytes};
};

/// What a successful verification established.
struct verification {
  auth_scheme scheme{auth_scheme::none};
  /// Which configured secret, key or credential matched (0 for none). When the index of an old
  /// secret stops appearing, the old secret can be retired.
  std::size_t key_index{0};
};

/// Success, or an error whose code says which check failed: missing_header, malformed_header,
/// signature_mismatch, timestamp_out_of_tolerance, bad_credentials (all HTTP 401 through
/// http_status()), or out_of_memory / invalid_configuration (500). Messages name the header and
/// the check, never a secret or an expected signature.
using verification_result = result<verification>;

namespace detail {

inline constexpr std::string_view changed_body_hint =
    "if the sender used a configured secret, the body was most likely changed before "
    "verification (parsed and re-encoded, decoded, or its whitespace or charset altered): "
    "verify the raw bytes exactly as received";
inline constexpr std::string_view edge_whitespace_hint =
    "; note that a configured secret begins or ends with whitespace, often a newline pasted "
    "along with it";

/// A failed verification with a formatted message. Never throws: if formatting cannot allocate,
/// the error keeps its code and loses its message.
template <class... Args>
verification_result auth_failure(error_code code, fmt::format_string<Args...> format,
                                 Args&&... args) noexcept {
  try {
    return verification_result(code, fmt::format(format, std::forward<Args>(args)...));
  } catch (...) {
    return verification_result(webhooks::error{code, {}, {}});
  }
}

/// The failure for a header that is not present exactly once, non-empty and within bounds.
inline verification_result header_failure(const header_lookup& found, std::string_view name,
                                          std::size_t max_bytes) noexcept {
  switch (found.status) {
    case header_status::missing:
      return auth_failure(error_code::missing_header, "missing header {}", name);
    case header_status::repeated:
      return auth_failure(error_code::malformed_header,
                          "header {} appears {} times; a request must carry it once", name,
                          found.count);
    case header_status::oversized:
      return auth_failure(error_code::malformed_header, "header {} is longer than {} bytes", name,
                          max_bytes);
    case header_status::empty:
    case header_status::present:
      break;
  }
  return auth_failure(error_code::malformed_header, "header {} is empty", name);
}

enum class hmac_outcome : std::uint8_t { matched, mismatch, no_signature, hash_failed };

struct hmac_match {
  hmac_outcome outcome{hmac_outcome::no_signature};
  std::size_t key_index{0};
};

/// Compares every signature token that `decode` accepts with the MAC of `parts` under every key,
/// computing a key's MAC only when a token needs it, so one signature and one secret cost one
/// HMAC. Never allocates.
///
/// `decode` must refuse any text containing a separator. The whole value is tried as one
/// signature first, which is then the only one: the common single-signature header is decoded
/// in one pass, without a separate scan for separators. With several signatures, each key's MAC
/// is computed once per call (for the first eight keys; later ones once per signature).
template <class Decode>
hmac_match match_hmac(const std::vector<hmac_sha256_key>& keys, std::string_view value,
                      std::string_view separators, const Decode& decode,
                      const std::string_view* parts, std::size_t part_count) noexcept {
  sha256_digest candidate;
  sha256_digest mac;
  if (decode(value, candidate.data())) {
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (!keys[k].compute(parts, part_count, mac.data())) return {hmac_outcome::hash_failed, k};
      if (equal_constant_time(mac.data(), candidate.data(), mac.size())) {
        return {hmac_outcome::matched, k};
      }
    }
    return {hmac_outcome::mismatch, 0};
  }

  // Several signatures: each key's MAC is kept for the next signature (the first eight keys).
  constexpr std::size_t cached_keys = 8;
  std::array<sha256_digest, cached_keys> macs;
  unsigned computed = 0;
  bool any_signature = false;
  token_reader tokens(value, separators);
  std::string_view token;
  while (tokens.next(token)) {
    if (!decode(token, candidate.data())) continue;
    any_signature = true;
    for (std::size_t k = 0; k < keys.size(); ++k) {
      unsigned char* key_mac = k < cached_keys ? macs[k].data() : mac.data();
      if (k >= cached_keys || (computed & (1u << k)) == 0) {
        if (!keys[k].compute(parts, part_count, key_mac)) return {hmac_outcome::hash_failed, k};
        if (k < cached_keys) computed |= 1u << k;
      }
      if (equal_constant_time(key_mac, candidate.data(), candidate.size())) {
        return {hmac_outcome::matched, k};
      }
    }
  }
  return {any_signature ? hmac_outcome::mismatch : hmac_outcome::no_signature, 0};
}

/// The verifier's immutable configuration, derived from verifier_options once. Holds no raw
/// secret: HMAC keys as precomputed states, Basic credentials as SHA-256 digests.
struct verifier_state {
  auth_scheme scheme{auth_scheme::alm_hmac};
  std::size_t max_header_bytes{default_max_header_bytes};
  std::int64_t tolerance_seconds{default_timestamp_tolerance_seconds};
  clock_function clock;
  // Header names, prepared for matching; which are set depends on the scheme.
  header_name signature_header;  ///< alm_hmac's configured one, webhook-signature, Authorization
  header_name timestamp_header;  ///< alm_hmac's (empty when not configured), webhook-timestamp
  header_name id_header;         ///< webhook-id
  std::array<header_name, adobe_io_signature_headers.size()> adobe_headers;
  // alm_hmac
  std::string prefix;
  bool accept_hex{true};
  bool accept_base64{true};
  bool require_prefix{false};
  std::string expected_forms;  ///< for the malformed_header message
  // alm_hmac, standard_webhooks
  std::vector<hmac_sha256_key> hmac_keys;
  bool secret_has_edge_whitespace{false};
  // adobe_io
  std::vector<pkey_ptr> public_keys;
  // basic
  std::vector<sha256_digest> credential_digests;

  verifier_state() = default;
  verifier_state(const verifier_state&) = delete;
  verifier_state& operator=(const verifier_state&) = delete;
  ~verifier_state() {
    for (sha256_digest& d : credential_digests)
      wipe(d.data(), d.size());
  }
};

}  // namespace detail

class verifier;
result<verifier> make_verifier(const verifier_options& options) noexcept;

/// Checks requests against one configured scheme. Built by make_verifier().
///
/// Thread safety: immutable once built; any number of threads may call verify() on one verifier
/// (or on copies, which share the configuration) at the same time without locking. All per-call
/// state lives on the caller's stack.
///
/// Cost: alm_hmac and standard_webhooks hash the body once per configured secret tried, with the
/// key schedule precomputed, and do not allocate on success. adobe_io does one RSA verification
/// per signature and key tried.
class verifier {
 public:
  /// Verifies a request. `headers` and `body` are read during the call only. The body may be
  /// empty. Never throws.
  ///
  /// Header rules, for every scheme: names match case-insensitively; values are trimmed of
  /// spaces and tabs; a value longer than max_header_bytes is malformed_header without being
  /// scanned; an authentication header sent more than once is malformed_header, because a proxy
  /// or attacker appending a second one should never make verification pick one silently.
  verification_result verify(const header_list& headers, std::string_view body) const noexcept {
    switch (state_->scheme) {
      case auth_scheme::none:
        return verification{auth_scheme::none, 0};
      case auth_scheme::basic:
        return verify_basic(headers);
      case auth_scheme::alm_hmac:
        return verify_alm_hmac(headers, body);
      case auth_scheme::standard_webhooks:
        return verify_standard_webhooks(headers, body);
      case auth_scheme::adobe_io:
        return verify_adobe_io(headers, body);
    }
    return detail::auth_failure(error_code::invalid_configuration, "unknown scheme");
  }
  verification_result verify(const request_view& request) const noexcept {
    return verify(request.headers, request.body);
  }

  auth_scheme scheme() const noexcept { return state_->scheme; }
  /// How many secrets, keys or credentials are configured (0 for none).
  std::size_t key_count() const noexcept {
    return state_->hmac_keys.size() + state_->public_keys.size() +
           state_->credential_digests.size();
  }

 private:
  friend result<verifier> make_verifier(const verifier_options& options) noexcept;
  explicit verifier(std::shared_ptr<const detail::verifier_state> state) noexcept
      : state_(std::move(state)) {}

  const detail::verifier_state& state() const noexcept { return *state_; }

  detail::header_lookup lookup(const header_list& headers,
                               const detail::header_name& name) const noexcept {
    return detail::lookup_header(headers, name, state_->max_header_bytes);
  }
  verification_result header_failure(const detail::header_lookup& found,
                                     const detail::header_name& name) const noexcept {
    return detail::header_failure(found, name.name(), state_->max_header_bytes);
  }

  /// Success (key_index unused) when the timestamp in header `name` is within tolerance.
  verification_result check_timestamp(std::string_view name, std::string_view text) const noexcept {
    const std::optional<std::int64_t> timestamp = detail::parse_unix_seconds(text);
    if (!timestamp) {
      return detail::auth_failure(error_code::malformed_header,
                                  "header {} is not a Unix time in whole seconds", name);
    }
    std::int64_t now = 0;
    try {
      now = state_->clock ? state_->clock()
                          : std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
    } catch (...) {
      return detail::auth_failure(error_code::invalid_configuration, "the clock function threw");
    }
    const std::uint64_t off = detail::distance(*timestamp, now);
    if (off > static_cast<std::uint64_t>(state_->tolerance_seconds)) {
      return detail::auth_failure(
          error_code::timestamp_out_of_tolerance,
          "header {} is {} s {} the receiver's clock, beyond the {} s tolerance: a delayed or "
          "replayed request, or a clock out of sync",
          name, off, *timestamp < now ? "behind" : "ahead of", state_->tolerance_seconds);
    }
    return verification{};
  }

  /// The failure for an HMAC comparison that did not match.
  verification_result hmac_failure(detail::hmac_outcome outcome, std::string_view header,
                                   std::string_view signed_content, std::size_t body_size,
                                   std::string_view expected_forms) const noexcept {
    switch (outcome) {
      case detail::hmac_outcome::no_signature:
        return detail::auth_failure(error_code::malformed_header,
                                    "header {} holds no HMAC-SHA256 signature; expected {}", header,
                                    expected_forms);
      case detail::hmac_outcome::hash_failed:
        return detail::auth_failure(error_code::out_of_memory,
                                    "hashing failed (out of memory in OpenSSL)");
      case detail::hmac_outcome::mismatch:
      case detail::hmac_outcome::matched:
        break;
    }
    return detail::auth_failure(
        error_code::signature_mismatch,
        "no signature in header {} matches the HMAC-SHA256 of {} ({} body bytes) under any of "
        "the {} configured secrets; {}{}",
        header, signed_content, body_size, state_->hmac_keys.size(), detail::changed_body_hint,
        state_->secret_has_edge_whitespace ? detail::edge_whitespace_hint : std::string_view{});
  }

  verification_result verify_alm_hmac(const header_list& headers,
                                      std::string_view body) const noexcept {
    const detail::verifier_state& s = state();
    const detail::header_lookup signature = lookup(headers, s.signature_header);
    if (signature.status != detail::header_status::present) {
      return header_failure(signature, s.signature_header);
    }
    std::array<std::string_view, 3> parts{body};
    std::size_t part_count = 1;
    if (!s.timestamp_header.empty()) {
      const detail::header_lookup timestamp = lookup(headers, s.timestamp_header);
      if (timestamp.status != detail::header_status::present) {
        return header_failure(timestamp, s.timestamp_header);
      }
      verification_result fresh = check_timestamp(s.timestamp_header.name(), timestamp.value);
      if (!fresh) return fresh;
      parts = {timestamp.value, ".", body};
      part_count = 3;
    }
    const auto decode = [&s](std::string_view token, unsigned char* out) noexcept {
      if (!s.prefix.empty() && detail::starts_with_icase(token, s.prefix)) {
        token.remove_prefix(s.prefix.size());
      } else if (s.require_prefix) {
        return false;
      }
      if (s.accept_hex && token.size() == 2 * detail::sha256_size) {
        return detail::decode_hex(token, out, detail::sha256_size);
      }
      if (!s.accept_base64) return false;
      const std::optional<std::size_t> size =
          detail::decode_base64(token, out, detail::sha256_size);
      return size && *size == detail::sha256_size;
    };
    const detail::hmac_match match =
        detail::match_hmac(s.hmac_keys, signature.value, ", \t", decode, parts.data(), part_count);
    if (match.outcome == detail::hmac_outcome::matched) {
      return verification{auth_scheme::alm_hmac, match.key_index};
    }
    return hmac_failure(match.outcome, s.signature_header.name(),
                        part_count == 1 ? "the body" : "'timestamp.body'", body.size(),
                        s.expected_forms);
  }

  verification_result verify_standard_webhooks(const header_list& headers,
                                               std::string_view body) const noexcept {
    const detail::verifier_state& s = state();
    std::array<detail::header_lookup, 3> found;
    const std::array<const detail::header_name*, 3> names = {&s.id_header, &s.timestamp_header,
                                                             &s.signature_header};
    for (std::size_t i = 0; i < names.size(); ++i) {
      found[i] = lookup(headers, *names[i]);
      if (found[i].status != detail::header_status::present) {
        return header_failure(found[i], *names[i]);
      }
    }
    const std::string_view id = found[0].value;
    const std::string_view timestamp = found[1].value;
    verification_result fresh = check_timestamp(s.timestamp_header.name(), timestamp);
    if (!fresh) return fresh;

    const auto decode = [](std::string_view token, unsigned char* out) noexcept {
      constexpr std::string_view version = "v1,";
      if (token.substr(0, version.size()) != version) return false;
      const std::optional<std::size_t> size =
          detail::decode_base64(token.substr(version.size()), out, detail::sha256_size);
      return size && *size == detail::sha256_size;
    };
    const std::array<std::string_view, 5> parts = {id, ".", timestamp, ".", body};
    const detail::hmac_match match =
        detail::match_hmac(s.hmac_keys, found[2].value, " \t", decode, parts.data(), parts.size());
    if (match.outcome == detail::hmac_outcome::matched) {
      return verification{auth_scheme::standard_webhooks, match.key_index};
    }
    return hmac_failure(match.outcome, s.signature_header.name(),
                        "'webhook-id.webhook-timestamp.body'", body.size(),
                        "space-separated 'v1,<base64 of 32 bytes>' entries");
  }

  verification_result verify_basic(const header_list& headers) const noexcept {
    const detail::header_lookup found = lookup(headers, state_->signature_header);
    if (found.status != detail::header_status::present) {
      return header_failure(found, state_->signature_header);
    }
    const std::string_view name = state_->signature_header.name();

    constexpr std::string_view basic = "Basic";
    const std::string_view value = found.value;
    if (!detail::starts_with_icase(value, basic) || value.size() == basic.size() ||
        !detail::is_http_whitespace(value[basic.size()])) {
      return detail::auth_failure(error_code::malformed_header,
                                  "header {} does not use the Basic scheme", name);
    }
    const std::string_view encoded = detail::trim_whitespace(value.substr(basic.size()));
    std::array<unsigned char, max_basic_credentials_bytes> decoded;
    const std::optional<std::size_t> size =
        detail::decode_base64(encoded, decoded.data(), decoded.size());
    if (!size) {
      if (encoded.size() > (max_basic_credentials_bytes + 2) / 3 * 4) {
        return detail::auth_failure(error_code::malformed_header,
                                    "header {} holds credentials longer than {} bytes", name,
                                    max_basic_credentials_bytes);
      }
      return detail::auth_failure(error_code::malformed_header,
                                  "header {} does not hold base64 credentials", name);
    }
    const std::string_view credentials(reinterpret_cast<const char*>(decoded.data()), *size);
    const bool has_colon = credentials.find(':') != std::string_view::npos;
    detail::sha256_digest digest;
    const bool hashed = detail::sha256(credentials, digest.data());
    detail::wipe(decoded.data(), *size);
    if (!has_colon) {
      return detail::auth_failure(error_code::malformed_header,
                                  "header {} holds no 'user:password' pair", name);
    }
    if (!hashed) {
      return detail::auth_failure(error_code::out_of_memory,
                                  "hashing failed (out of memory in OpenSSL)");
    }
    // Every configured credential is compared, matched or not, so timing says nothing about
    // which one (or whether an early one) matched. Digests hide the lengths as well.
    std::size_t matched = no_match;
    for (std::size_t i = 0; i < state_->credential_digests.size(); ++i) {
      const bool equal = detail::equal_constant_time(
          digest.data(), state_->credential_digests[i].data(), digest.size());
      if (equal && matched == no_match) matched = i;
    }
    detail::wipe(digest.data(), digest.size());
    if (matched != no_match) return verification{auth_scheme::basic, matched};
    return detail::auth_failure(error_code::bad_credentials,
                                "the Basic credentials in header {} match none of the {} "
                                "configured user name and password pairs",
                                name, state_->credential_digests.size());
  }

  verification_result verify_adobe_io(const header_list& headers,
                                      std::string_view body) const noexcept {
    std::array<detail::header_lookup, adobe_io_signature_headers.size()> found;
    bool any_present = false;
    for (std::size_t i = 0; i < found.size(); ++i) {
      found[i] = lookup(headers, state_->adobe_headers[i]);
      switch (found[i].status) {
        case detail::header_status::repeated:
        case detail::header_status::oversized:
          return header_failure(found[i], state_->adobe_headers[i]);
        case detail::header_status::missing:
          break;
        case detail::header_status::empty:
        case detail::header_status::present:
          any_present = true;
          break;
      }
    }
    if (!any_present) {
      return detail::auth_failure(error_code::missing_header, "missing headers {} and {}",
                                  adobe_io_signature_headers[0], adobe_io_signature_headers[1]);
    }
    bool any_signature = false;
    std::array<unsigned char, max_rsa_signature_bytes> signature;
    for (std::size_t i = 0; i < found.size(); ++i) {
      if (found[i].status != detail::header_status::present) continue;
      const std::optional<std::size_t> size =
          detail::decode_base64(found[i].value, signature.data(), signature.size());
      if (!size || *size == 0) continue;
      any_signature = true;
      for (std::size_t k = 0; k < state_->public_keys.size(); ++k) {
        if (detail::rsa_sha256_verify(state_->public_keys[k].get(), signature.data(), *size,
                                      body)) {
          return verification{auth_scheme::adobe_io, k};
        }
      }
    }
    if (!any_signature) {
      return detail::auth_failure(error_code::malformed_header,
                                  "headers {} and {} hold no base64 RSA signature of at most {} "
                                  "bytes",
                                  adobe_io_signature_headers[0], adobe_io_signature_headers[1],
                                  max_rsa_signature_bytes);
    }
    return detail::auth_failure(
        error_code::signature_mismatch,
        "no signature in headers {} and {} verifies the body ({} bytes) under any of the {} "
        "configured public keys; {}, or the keys are not the ones Adobe I/O currently signs with",
        adobe_io_signature_headers[0], adobe_io_signature_headers[1], body.size(),
        state_->public_keys.size(), detail::changed_body_hint);
  }

  static constexpr std::size_t no_match = static_cast<std::size_t>(-1);

  std::shared_ptr<const detail::verifier_state> state_;
};

namespace detail {

/// An invalid_configuration error about the option at `path`.
inline webhooks::error config_error(std::string message, std::string path) {
  return webhooks::error{error_code::invalid_configuration, std::move(message), std::move(path)};
}

inline std::string indexed_path(std::string_view base, std::size_t index) {
  return fmt::format("{}[{}]", base, index);
}

/// Precomputes HMAC keys from raw secrets (already checked). The caller wipes the inputs.
inline std::optional<webhooks::error> add_hmac_key(verifier_state& state, std::string_view key,
                                                   std::string path) {
  state.hmac_keys.emplace_back(key);
  if (!state.hmac_keys.back().valid()) {
    return webhooks::error{error_code::out_of_memory, "could not create hashing state",
                           std::move(path)};
  }
  return std::nullopt;
}

inline std::optional<webhooks::error> build_alm_hmac(const verifier_options& options,
                                                     verifier_state& state) {
  const alm_hmac_options& o = options.alm_hmac;
  if (is_blank(o.header_name))
    return config_error("the header name is empty", "alm_hmac.header_name");
  if (!o.accept_hex && !o.accept_base64) {
    return config_error("neither hex nor base64 signatures are accepted", "alm_hmac.accept_hex");
  }
  if (o.require_prefix && o.prefix.empty()) {
    return config_error("a prefix is required but none is set", "alm_hmac.prefix");
  }
  if (!o.timestamp_header.empty() && iequals(o.timestamp_header, o.header_name)) {
    return config_error("the timestamp header is the signature header",
                        "alm_hmac.timestamp_header");
  }
  if (o.secrets.empty()) return config_error("no secret configured", "alm_hmac.secrets");
  for (std::size_t i = 0; i < o.secrets.size(); ++i) {
    result<void> checked = check_raw_secret(o.secrets[i]);
    if (!checked) return config_error(checked.error().message, indexed_path("alm_hmac.secrets", i));
    state.secret_has_edge_whitespace |= has_edge_whitespace(o.secrets[i]);
    if (auto e = add_hmac_key(state, o.secrets[i], indexed_path("alm_hmac.secrets", i))) return e;
  }
  state.signature_header = header_name(o.header_name);
  if (!o.timestamp_header.empty()) state.timestamp_header = header_name(o.timestamp_header);
  state.prefix = o.prefix;
  state.accept_hex = o.accept_hex;
  state.accept_base64 = o.accept_base64;
  state.require_prefix = o.require_prefix;
  const std::string_view forms = o.accept_hex && o.accept_base64
                                     ? "64 hex digits or 43-44 base64 characters"
                                 : o.accept_hex ? "64 hex digits"
                                                : "43-44 base64 characters";
  const std::string_view prefix_rule = o.prefix.empty()   ? ""
                                       : o.require_prefix ? ", prefixed by "
                                                          : ", optionally prefixed by ";
  state.expected_forms = fmt::format("{}{}{}, several separated by commas or spaces", forms,
                                     prefix_rule, o.prefix.empty() ? "" : "'" + o.prefix + "'");
  return std::nullopt;
}

inline std::optional<webhooks::error> build_standard_webhooks(const verifier_options& options,
                                                              verifier_state& state) {
  const standard_webhooks_options& o = options.standard_webhooks;
  state.id_header = header_name(standard_webhooks_id_header);
  state.timestamp_header = header_name(standard_webhooks_timestamp_header);
  state.signature_header = header_name(standard_webhooks_signature_header);
  if (o.secrets.empty()) return config_error("no secret configured", "standard_webhooks.secrets");
  for (std::size_t i = 0; i < o.secrets.size(); ++i) {
    result<std::string> key = decode_standard_webhooks_secret(o.secrets[i]);
    if (!key) {
      return config_error(key.error().message, indexed_path("standard_webhooks.secrets", i));
    }
    state.secret_has_edge_whitespace |= has_edge_whitespace(o.secrets[i]);
    auto e = add_hmac_key(state, *key, indexed_path("standard_webhooks.secrets", i));
    wipe(key->data(), key->size());
    if (e) return e;
  }
  return std::nullopt;
}

inline std::optional<webhooks::error> build_adobe_io(const verifier_options& options,
                                                     verifier_state& state) {
  const adobe_io_options& o = options.adobe_io;
  for (std::size_t i = 0; i < adobe_io_signature_headers.size(); ++i) {
    state.adobe_headers[i] = header_name(adobe_io_signature_headers[i]);
  }
  if (o.public_keys_pem.empty()) {
    return config_error("no public key configured", "adobe_io.public_keys_pem");
  }
  for (std::size_t i = 0; i < o.public_keys_pem.size(); ++i) {
    pkey_ptr key = read_rsa_pem(o.public_keys_pem[i], pem_key_kind::public_key);
    if (!key) {
      return config_error("not a PEM RSA public key (-----BEGIN PUBLIC KEY-----)",
                          indexed_path("adobe_io.public_keys_pem", i));
    }
    state.public_keys.push_back(std::move(key));
  }
  return std::nullopt;
}

inline std::optional<webhooks::error> build_basic(const verifier_options& options,
                                                  verifier_state& state) {
  const basic_options& o = options.basic;
  state.signature_header = header_name("Authorization");
  if (o.credentials.empty()) return config_error("no credentials configured", "basic.credentials");
  for (std::size_t i = 0; i < o.credentials.size(); ++i) {
    const basic_credential& c = o.credentials[i];
    if (const char* fault = basic_credential_fault(c.username, c.password))
      return config_error(fault, indexed_path("basic.credentials", i));
    std::string joined = c.username + ':' + c.password;
    sha256_digest digest;
    const bool hashed = sha256(joined, digest.data());
    wipe(joined.data(), joined.size());
    if (!hashed) {
      return webhooks::error{error_code::out_of_memory, "could not hash the credentials",
                             indexed_path("basic.credentials", i)};
    }
    state.credential_digests.push_back(digest);
  }
  return std::nullopt;
}

}  // namespace detail

/// Builds a verifier for `options.scheme`, checking the configuration once so that verify()
/// cannot fail for configuration reasons later. Errors (invalid_configuration, with `path`
/// naming the option, e.g. "alm_hmac.secrets[1]"):
/// - no secret, key or credential configured for the scheme;
/// - a secret or password that is empty or only whitespace; a Standard Webhooks secret that is
///   "whsec_" alone or not base64 after the prefix;
/// - a public key that is not PEM RSA; a Basic user name that is empty or contains ':';
/// - a negative tolerance, a zero max_header_bytes, an empty header name, or contradictory
///   alm_hmac encoding options.
/// Messages never quote a secret. The verifier keeps no copy of `options`.
inline result<verifier> make_verifier(const verifier_options& options) noexcept {
  try {
    if (options.max_header_bytes == 0) {
      return detail::config_error("must be at least 1", "max_header_bytes");
    }
    if (options.timestamp_tolerance_seconds < 0) {
      return detail::config_error("must not be negative", "timestamp_tolerance_seconds");
    }
    auto state = std::make_shared<detail::verifier_state>();
    state->scheme = options.scheme;
    state->max_header_bytes = options.max_header_bytes;
    state->tolerance_seconds = options.timestamp_tolerance_seconds;
    state->clock = options.clock;
    std::optional<webhooks::error> fault;
    switch (options.scheme) {
      case auth_scheme::none:
        break;
      case auth_scheme::basic:
        fault = detail::build_basic(options, *state);
        break;
      case auth_scheme::alm_hmac:
        fault = detail::build_alm_hmac(options, *state);
        break;
      case auth_scheme::standard_webhooks:
        fault = detail::build_standard_webhooks(options, *state);
        break;
      case auth_scheme::adobe_io:
        fault = detail::build_adobe_io(options, *state);
        break;
      default:
        fault = detail::config_error("unknown scheme", "scheme");
        break;
    }
    if (fault) return std::move(*fault);
    return verifier(std::move(state));
  } catch (const std::bad_alloc&) {
    return webhooks::error{error_code::out_of_memory, {}, {}};
  } catch (...) {
    return webhooks::error{
        error_code::invalid_configuration, "copying the configuration threw an exception", {}};
  }
}

}  // namespace alm::webhooks

template <>
struct fmt::formatter<alm::webhooks::auth_scheme> : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(alm::webhooks::auth_scheme scheme, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(alm::webhooks::to_string(scheme), ctx);
  }
};
