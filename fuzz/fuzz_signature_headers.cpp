// Every authentication scheme's header reading, on arbitrary header names, values and bodies.
// Properties: no crash, leak or undefined behaviour; a failure is one of the 401 codes with a
// message that quotes neither a secret nor the expected signature; and a request that carries
// correctly made headers (and no fuzzed header of the same names) verifies.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "alm/webhooks/signature.hpp"
#include "alm/webhooks/signing.hpp"
#include "auth_test_support.hpp"
#include "fuzz_support.hpp"

namespace aw = alm::webhooks;

namespace {

constexpr std::int64_t now = 1'700'000'000;
constexpr std::string_view alm_secret = "fuzz-alm-secret";
constexpr std::string_view old_alm_secret = "fuzz-alm-secret-before-rotation";
constexpr std::string_view sw_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view basic_user = "alm";
constexpr std::string_view basic_password = "fuzz-basic-password";
constexpr std::string_view timestamp_header = "X-ALM-Webhook-Timestamp";

// Names the schemes read, so that fuzzed headers often hit them.
constexpr std::array<std::string_view, 10> known_names = {
    aw::default_signature_header,
    timestamp_header,
    aw::standard_webhooks_id_header,
    aw::standard_webhooks_timestamp_header,
    aw::standard_webhooks_signature_header,
    aw::adobe_io_signature_headers[0],
    aw::adobe_io_signature_headers[1],
    "Authorization",
    "x-alm-webhook-signature",
    "Content-Type",
};

enum class setup : std::uint8_t { alm, alm_timestamped, standard_webhooks, adobe_io, basic };
constexpr std::uint8_t setup_count = 5;

struct fixture {
  alm_test::pem_key_pair rsa = alm_test::make_rsa_key_pair(2048);
  std::vector<aw::verifier> verifiers;

  fixture() {
    for (std::uint8_t i = 0; i < setup_count; ++i)
      verifiers.push_back(build(setup{i}));
  }

  aw::verifier build(setup s) const {
    aw::verifier_options o;
    o.clock = [] { return now; };
    switch (s) {
      case setup::alm:
        o.alm_hmac.secrets = {std::string(alm_secret), std::string(old_alm_secret)};
        break;
      case setup::alm_timestamped:
        o.alm_hmac.secrets = {std::string(alm_secret)};
        o.alm_hmac.timestamp_header = std::string(timestamp_header);
        o.alm_hmac.require_prefix = true;
        o.alm_hmac.accept_base64 = false;
        break;
      case setup::standard_webhooks:
        o.scheme = aw::auth_scheme::standard_webhooks;
        o.standard_webhooks.secrets = {std::string(sw_secret)};
        break;
      case setup::adobe_io:
        o.scheme = aw::auth_scheme::adobe_io;
        o.adobe_io.public_keys_pem = {rsa.public_pem};
        break;
      case setup::basic:
        o.scheme = aw::auth_scheme::basic;
        o.basic.credentials = {{std::string(basic_user), std::string(basic_password)}};
        break;
    }
    aw::result<aw::verifier> v = aw::make_verifier(o);
    alm_fuzz::check(v.has_value(), "the fuzz verifier configuration is refused");
    return *v;
  }
};

using header_pairs = std::vector<std::pair<std::string, std::string>>;

/// Correct authentication headers for `body` under setup `s`, and the expected signature text
/// (which must never appear in a message).
header_pairs sign(setup s, const fixture& f, std::string_view body, std::string& expected) {
  const std::string stamp = std::to_string(now);
  switch (s) {
    case setup::alm: {
      expected = *aw::sign_alm_hmac(alm_secret, body);
      return {{std::string(aw::default_signature_header), expected}};
    }
    case setup::alm_timestamped: {
      const std::string content = stamp + "." + std::string(body);
      expected = *aw::sign_alm_hmac(alm_secret, content, aw::signature_encoding::hex, "sha256=");
      return {{std::string(aw::default_signature_header), expected},
              {std::string(timestamp_header), stamp}};
    }
    case setup::standard_webhooks: {
      const aw::standard_webhooks_signature sw =
          *aw::sign_standard_webhooks(sw_secret, "msg_fuzz", now, body);
      expected = sw.signature;
      return {{std::string(aw::standard_webhooks_id_header), sw.id},
              {std::string(aw::standard_webhooks_timestamp_header), sw.timestamp},
              {std::string(aw::standard_webhooks_signature_header), sw.signature}};
    }
    case setup::adobe_io: {
      static const aw::adobe_io_signer signer = *aw::adobe_io_signer::make(f.rsa.private_pem);
      expected = *signer.sign(body);
      return {{std::string(aw::adobe_io_signature_headers[0]), expected}};
    }
    case setup::basic:
      expected = *aw::basic_authorization(basic_user, basic_password);
      return {{"Authorization", expected}};
  }
  return {};
}

bool names_collide(const header_pairs& fuzzed, const header_pairs& signed_headers, setup s) {
  for (const auto& [name, value] : fuzzed) {
    for (const auto& [signed_name, signed_value] : signed_headers) {
      if (aw::iequals(name, signed_name)) return true;
    }
    // Adobe I/O reads both signature headers; a fuzzed second one may hold a bad signature,
    // which is fine, but an oversized or repeated one fails the request.
    if (s == setup::adobe_io && aw::iequals(name, aw::adobe_io_signature_headers[1])) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fixture f;
  FuzzedDataProvider in(data, size);
  const auto s = static_cast<setup>(in.ConsumeIntegralInRange<std::uint8_t>(0, setup_count - 1));
  const bool add_signed = in.ConsumeBool();
  const std::size_t count = in.ConsumeIntegralInRange<std::size_t>(0, 6);

  header_pairs fuzzed;
  for (std::size_t i = 0; i < count && in.remaining_bytes() > 0; ++i) {
    const std::size_t pick = in.ConsumeIntegralInRange<std::size_t>(0, known_names.size());
    std::string name = pick < known_names.size() ? std::string(known_names[pick])
                                                 : in.ConsumeRandomLengthString(64);
    fuzzed.emplace_back(std::move(name), in.ConsumeRandomLengthString(16 * 1024));
  }
  const std::string body = in.ConsumeRemainingBytesAsString();

  std::string expected;
  const header_pairs signed_headers = add_signed ? sign(s, f, body, expected) : header_pairs{};
  alm_test::owned_headers headers;
  for (const auto& [name, value] : fuzzed)
    headers.add(name, value);
  for (const auto& [name, value] : signed_headers)
    headers.add(name, value);

  const aw::verifier& v = f.verifiers[static_cast<std::size_t>(s)];
  const aw::verification_result r = v.verify(headers.list(), body);
  if (r) {
    alm_fuzz::check(r->scheme == v.scheme(), "verified under another scheme");
    alm_fuzz::check(r->key_index < v.key_count(), "verified with a key index out of range");
    return 0;
  }
  alm_fuzz::check_error(r.error());
  alm_fuzz::check(aw::http_status(r.code()) == 401, "an authentication failure that is not 401");
  for (std::string_view secret : {alm_secret, old_alm_secret, sw_secret, basic_password}) {
    alm_fuzz::check_no_secret(r.error().message, secret);
  }
  alm_fuzz::check_no_secret(r.error().message, expected);
  alm_fuzz::check(!add_signed || names_collide(fuzzed, signed_headers, s),
                  "correctly signed headers did not verify");
  return 0;
}
