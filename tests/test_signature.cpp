// The verifier: every vector in signatures.json, each scheme, rotation, tolerance edges, every
// bad input, configuration errors, secrets kept out of messages, and concurrent use.
#include "alm/webhooks/signature.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "alm/webhooks/signing.hpp"
#include "auth_test_support.hpp"
#include "catch.hpp"

using alm::webhooks::auth_scheme;
using alm::webhooks::error_code;
using alm::webhooks::make_verifier;
using alm::webhooks::verification_result;
using alm::webhooks::verifier;
using alm::webhooks::verifier_options;
using alm_test::as_string;
using alm_test::as_strings;
using alm_test::owned_headers;
using alm_test::signature_vectors;

namespace {

constexpr std::string_view signature_header = "X-ALM-Webhook-Signature";

verifier build(const verifier_options& options) {
  auto built = make_verifier(options);
  INFO((built ? std::string() : built.error().to_string()));
  REQUIRE(built);
  return *built;
}

verifier alm_verifier(std::vector<std::string> secrets) {
  verifier_options options;
  options.alm_hmac.secrets = std::move(secrets);
  return build(options);
}

std::string alm_body() {
  return alm_test::read_data_file("legacy-course-enrollment-batch.json");
}
std::string alm_secret() {
  return as_string(signature_vectors()["alm_hmac"]["secret"]);
}

verification_result verify_alm(const verifier& v, std::string value, std::string_view body) {
  owned_headers headers{{"Content-Type", "application/json"},
                        {std::string(signature_header), std::move(value)}};
  return v.verify(headers.list(), body);
}

void require_failure(const verification_result& r, error_code code) {
  REQUIRE_FALSE(r);
  CAPTURE(r.error().message);
  CHECK(r.code() == code);
  CHECK_FALSE(r.error().message.empty());
  CHECK(alm::webhooks::http_status(r.code()) == 401);
}

void require_config_error(const verifier_options& options, std::string_view path) {
  auto built = make_verifier(options);
  REQUIRE_FALSE(built);
  CAPTURE(built.error().to_string());
  CHECK(built.code() == error_code::invalid_configuration);
  CHECK(built.error().path == path);
  CHECK_FALSE(built.error().message.empty());
}

// Standard Webhooks vectors.
struct sw_vector {
  std::string secret = as_string(signature_vectors()["standard_webhooks"]["secret"]);
  std::string id = as_string(signature_vectors()["standard_webhooks"]["webhook_id"]);
  std::string timestamp = as_string(signature_vectors()["standard_webhooks"]["webhook_timestamp"]);
  std::string payload = as_string(signature_vectors()["standard_webhooks"]["payload"]);
  std::int64_t now = std::stoll(timestamp);
};

verifier sw_verifier(std::vector<std::string> secrets, std::int64_t now) {
  verifier_options options;
  options.scheme = auth_scheme::standard_webhooks;
  options.standard_webhooks.secrets = std::move(secrets);
  options.clock = [now] { return now; };
  return build(options);
}

verification_result verify_sw(const verifier& v, const sw_vector& vec, std::string signature,
                              std::string_view timestamp) {
  owned_headers headers{{"webhook-id", vec.id},
                        {"webhook-timestamp", std::string(timestamp)},
                        {"webhook-signature", std::move(signature)}};
  return v.verify(headers.list(), vec.payload);
}

}  // namespace

TEST_CASE("alm_hmac: every valid header value of the vectors passes") {
  const verifier v = alm_verifier({alm_secret()});
  const std::string body = alm_body();
  for (const std::string& value :
       as_strings(signature_vectors()["alm_hmac"]["valid_header_values"])) {
    CAPTURE(value);
    const verification_result r = verify_alm(v, value, body);
    REQUIRE(r);
    CHECK(r->scheme == auth_scheme::alm_hmac);
    CHECK(r->key_index == 0);
  }
}

TEST_CASE("alm_hmac: every invalid header value of the vectors fails with a clear code") {
  const verifier v = alm_verifier({alm_secret()});
  const std::string body = alm_body();
  for (const std::string& value :
       as_strings(signature_vectors()["alm_hmac"]["invalid_header_values"])) {
    CAPTURE(value);
    // 64 hex digits are a well-formed signature that does not match; the rest cannot be read.
    const bool well_formed = value.size() == 64;
    require_failure(verify_alm(v, value, body),
                    well_formed ? error_code::signature_mismatch : error_code::malformed_header);
  }
}

TEST_CASE("alm_hmac: rotation passes with the secrets in either order") {
  const auto rotation = signature_vectors()["alm_hmac"]["rotation"];
  std::vector<std::string> secrets = as_strings(rotation["secrets"]);
  const std::string header = as_string(rotation["header_value"]);
  const std::string body = alm_body();
  for (int order = 0; order < 2; ++order) {
    CAPTURE(order);
    const verifier v = alm_verifier(secrets);
    const verification_result r = verify_alm(v, header, body);
    REQUIRE(r);
    // key_index names the secret that matched, so an operator can tell when to retire one.
    CHECK(secrets[r->key_index] == alm_secret());
    std::swap(secrets[0], secrets[1]);
  }
}

TEST_CASE("alm_hmac: GitHub-style vectors pass") {
  for (simdjson::dom::element c : signature_vectors()["github_style"].get_array()) {
    const std::string body = as_string(c["body"]);
    CAPTURE(body);
    const verifier v = alm_verifier({as_string(c["secret"])});
    CHECK(verify_alm(v, as_string(c["header"]), body));
    require_failure(verify_alm(v, as_string(c["header"]), body + " "),
                    error_code::signature_mismatch);
  }
}

TEST_CASE("alm_hmac: encodings, prefixes and several signatures in one header") {
  const std::string secret = alm_secret();
  const std::string body = alm_body();
  const verifier v = alm_verifier({secret});
  const std::string hex = *alm::webhooks::sign_alm_hmac(secret, body);
  const std::string b64 =
      *alm::webhooks::sign_alm_hmac(secret, body, alm::webhooks::signature_encoding::base64);
  const std::string b64url =
      *alm::webhooks::sign_alm_hmac(secret, body, alm::webhooks::signature_encoding::base64url);
  const std::string wrong(64, 'a');

  SECTION("base64url unpadded, base64 unpadded, uppercase prefix") {
    CHECK(verify_alm(v, b64url, body));
    CHECK(verify_alm(v, b64.substr(0, 43), body));
    CHECK(verify_alm(v, "SHA256=" + hex, body));
    CHECK(verify_alm(v, "sha256=" + b64, body));
    CHECK(verify_alm(v, "  " + hex + "\t", body));
  }
  SECTION("the matching signature may come anywhere in a list") {
    CHECK(verify_alm(v, wrong + "," + hex, body));
    CHECK(verify_alm(v, wrong + ", " + b64, body));
    CHECK(verify_alm(v, wrong + " sha256=" + hex, body));
    CHECK(verify_alm(v, "garbage, " + hex + ", more-garbage", body));
    require_failure(verify_alm(v, wrong + "," + wrong, body), error_code::signature_mismatch);
    require_failure(verify_alm(v, "garbage, , ,", body), error_code::malformed_header);
  }
  SECTION("several signatures and several secrets") {
    const verifier rotated = alm_verifier({"first-secret", "second-secret", secret});
    const verification_result r = verify_alm(rotated, wrong + " " + wrong + " " + b64, body);
    REQUIRE(r);
    CHECK(r->key_index == 2);
  }
  SECTION("more secrets than the verifier caches per call") {
    std::vector<std::string> secrets;
    for (int i = 0; i < 11; ++i)
      secrets.push_back("secret-number-" + std::to_string(i));
    secrets.push_back(secret);
    const verifier many = alm_verifier(secrets);
    const verification_result r = verify_alm(many, wrong + "," + hex, body);
    REQUIRE(r);
    CHECK(r->key_index == 11);
    CHECK(many.key_count() == 12);
  }
  SECTION("a configured header name, matched case-insensitively") {
    verifier_options options;
    options.alm_hmac.secrets = {secret};
    options.alm_hmac.header_name = "X-Custom-Signature";
    const verifier custom = build(options);
    owned_headers headers{{"x-custom-SIGNATURE", hex}};
    CHECK(custom.verify(headers.list(), body));
    owned_headers default_name{{std::string(signature_header), hex}};
    require_failure(custom.verify(default_name.list(), body), error_code::missing_header);
  }
  SECTION("restricting encodings and requiring the prefix") {
    verifier_options options;
    options.alm_hmac.secrets = {secret};
    options.alm_hmac.accept_base64 = false;
    const verifier hex_only = build(options);
    CHECK(verify_alm(hex_only, hex, body));
    require_failure(verify_alm(hex_only, b64, body), error_code::malformed_header);

    options.alm_hmac.accept_base64 = true;
    options.alm_hmac.accept_hex = false;
    const verifier base64_only = build(options);
    CHECK(verify_alm(base64_only, b64, body));
    require_failure(verify_alm(base64_only, hex, body), error_code::malformed_header);

    options.alm_hmac.accept_hex = true;
    options.alm_hmac.require_prefix = true;
    const verifier prefixed = build(options);
    CHECK(verify_alm(prefixed, "sha256=" + hex, body));
    require_failure(verify_alm(prefixed, hex, body), error_code::malformed_header);

    options.alm_hmac.prefix = "v1=";
    const verifier custom_prefix = build(options);
    CHECK(verify_alm(custom_prefix, "v1=" + hex, body));
    require_failure(verify_alm(custom_prefix, "sha256=" + hex, body), error_code::malformed_header);
  }
}

TEST_CASE("alm_hmac: a timestamp header makes the signed content 'timestamp.body'") {
  const std::string secret = "timestamped-secret";
  const std::string body = R"({"accountId":1010,"events":[]})";
  constexpr std::int64_t now = 1700000000;
  verifier_options options;
  options.alm_hmac.secrets = {secret};
  options.alm_hmac.timestamp_header = "X-ALM-Webhook-Timestamp";
  options.clock = [] { return now; };
  const verifier v = build(options);

  auto request = [&](std::int64_t ts, std::string signature) {
    owned_headers headers{{"X-ALM-Webhook-Timestamp", std::to_string(ts)},
                          {std::string(signature_header), std::move(signature)}};
    return v.verify(headers.list(), body);
  };
  auto sign_at = [&](std::int64_t ts) {
    return *alm::webhooks::sign_alm_hmac(secret, std::to_string(ts) + "." + body);
  };
  CHECK(request(now, sign_at(now)));
  CHECK(request(now - 300, sign_at(now - 300)));
  require_failure(request(now - 301, sign_at(now - 301)), error_code::timestamp_out_of_tolerance);
  require_failure(request(now, *alm::webhooks::sign_alm_hmac(secret, body)),
                  error_code::signature_mismatch);
  require_failure(request(now, sign_at(now - 1)), error_code::signature_mismatch);

  owned_headers no_timestamp{{std::string(signature_header), sign_at(now)}};
  require_failure(v.verify(no_timestamp.list(), body), error_code::missing_header);
  owned_headers bad_timestamp{{"X-ALM-Webhook-Timestamp", "1700000000.5"},
                              {std::string(signature_header), sign_at(now)}};
  require_failure(v.verify(bad_timestamp.list(), body), error_code::malformed_header);
}

TEST_CASE("alm_hmac: bad header values") {
  const std::string secret = alm_secret();
  const std::string body = alm_body();
  const verifier v = alm_verifier({secret});
  const std::string hex = *alm::webhooks::sign_alm_hmac(secret, body);

  SECTION("absent") {
    owned_headers headers{{"Content-Type", "application/json"}};
    const verification_result r = v.verify(headers.list(), body);
    require_failure(r, error_code::missing_header);
    CHECK(r.error().message.find("X-ALM-Webhook-Signature") != std::string::npos);
    owned_headers none;
    require_failure(v.verify(none.list(), body), error_code::missing_header);
  }
  SECTION("empty or only whitespace") {
    require_failure(verify_alm(v, "", body), error_code::malformed_header);
    require_failure(verify_alm(v, " \t ", body), error_code::malformed_header);
    require_failure(verify_alm(v, ",", body), error_code::malformed_header);
  }
  SECTION("oversized, refused on length") {
    require_failure(verify_alm(v, std::string(1 << 20, 'a'), body), error_code::malformed_header);
    // A valid signature padded past the limit is refused too, not scanned for its token.
    require_failure(verify_alm(v, hex + std::string(8192, ' '), body),
                    error_code::malformed_header);
    const verification_result r = verify_alm(v, std::string(8193, '0'), body);
    require_failure(r, error_code::malformed_header);
    CHECK(r.error().message.find("8192") != std::string::npos);
    CHECK(verify_alm(v, hex + std::string(8192 - hex.size(), ' '), body));
  }
  SECTION("a configured size limit") {
    verifier_options options;
    options.alm_hmac.secrets = {secret};
    options.max_header_bytes = 64;
    const verifier small = build(options);
    CHECK(verify_alm(small, hex, body));
    require_failure(verify_alm(small, "sha256=" + hex, body), error_code::malformed_header);
  }
  SECTION("not hex or base64") {
    require_failure(verify_alm(v, std::string(64, 'g'), body), error_code::malformed_header);
    require_failure(verify_alm(v, hex.substr(0, 63) + "z", body), error_code::malformed_header);
    require_failure(verify_alm(v, std::string(43, '*'), body), error_code::malformed_header);
    require_failure(verify_alm(v, "=" + std::string(43, 'A'), body), error_code::malformed_header);
    require_failure(verify_alm(v, std::string("\0\x01\xff", 3), body),
                    error_code::malformed_header);
  }
  SECTION("wrong length") {
    require_failure(verify_alm(v, hex.substr(0, 62), body), error_code::malformed_header);
    require_failure(verify_alm(v, hex + "00", body), error_code::malformed_header);
    // base64 of 31 and of 33 bytes.
    require_failure(verify_alm(v, std::string(42, 'A'), body), error_code::malformed_header);
    require_failure(verify_alm(v, std::string(44, 'A'), body), error_code::malformed_header);
  }
  SECTION("repeated header") {
    owned_headers headers{{std::string(signature_header), hex}, {"x-alm-webhook-signature", hex}};
    const verification_result r = v.verify(headers.list(), body);
    require_failure(r, error_code::malformed_header);
    CHECK(r.error().message.find("2 times") != std::string::npos);
  }
  SECTION("the hint for a re-serialized body") {
    const verification_result r = verify_alm(v, hex, body + "\n");
    require_failure(r, error_code::signature_mismatch);
    CHECK(r.error().message.find("re-encoded") != std::string::npos);
    CHECK(r.error().message.find("raw bytes") != std::string::npos);
  }
}

TEST_CASE("alm_hmac and standard_webhooks: bodies of size 0 and large") {
  const std::string secret = "body-size-secret";
  const verifier v = alm_verifier({secret});
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{64},
                           std::size_t{65}, std::size_t{4} << 20}) {
    CAPTURE(size);
    const std::string body(size, 'x');
    const std::string signature = *alm::webhooks::sign_alm_hmac(secret, body);
    CHECK(verify_alm(v, signature, body));
    require_failure(verify_alm(v, signature, body + "x"), error_code::signature_mismatch);
    if (size > 0) {
      require_failure(verify_alm(v, signature, std::string_view()), error_code::signature_mismatch);
    }
  }
  // A zero-length body is valid input: it has a signature like any other.
  CHECK(verify_alm(v, *alm::webhooks::sign_alm_hmac(secret, ""), std::string_view()));

  const sw_vector vec;
  const verifier sw = sw_verifier({vec.secret}, vec.now);
  for (std::size_t size : {std::size_t{0}, std::size_t{1} << 20}) {
    CAPTURE(size);
    const std::string body(size, '{');
    const auto signed_headers =
        alm::webhooks::sign_standard_webhooks(vec.secret, vec.id, vec.now, body);
    REQUIRE(signed_headers);
    owned_headers headers{{"webhook-id", signed_headers->id},
                          {"webhook-timestamp", signed_headers->timestamp},
                          {"webhook-signature", signed_headers->signature}};
    CHECK(sw.verify(headers.list(), body));
  }
}

TEST_CASE("alm_hmac: the RFC 4231 vectors through the verifier") {
  for (simdjson::dom::element c : signature_vectors()["rfc4231_hmac_sha256"].get_array()) {
    const std::string key = alm_test::from_hex(as_string(c["key_hex"]));
    const std::string data = alm_test::from_hex(as_string(c["data_hex"]));
    const std::string mac = as_string(c["mac_hex"]);
    CAPTURE(mac);
    const verifier v = alm_verifier({key});
    CHECK(verify_alm(v, mac, data));
    CHECK(*alm::webhooks::sign_alm_hmac(key, data) == mac);
  }
}

TEST_CASE("standard_webhooks: the vectors") {
  const sw_vector vec;
  const verifier v = sw_verifier({vec.secret}, vec.now);
  const auto sw = signature_vectors()["standard_webhooks"];

  for (const std::string& signature : as_strings(sw["valid_signature_headers"])) {
    CAPTURE(signature);
    const verification_result r = verify_sw(v, vec, signature, vec.timestamp);
    REQUIRE(r);
    CHECK(r->scheme == auth_scheme::standard_webhooks);
  }
  for (const std::string& signature : as_strings(sw["invalid_signature_headers"])) {
    CAPTURE(signature);
    const verification_result r = verify_sw(v, vec, signature, vec.timestamp);
    REQUIRE_FALSE(r);
    // Only a well-formed v1 entry of 32 bytes can mismatch; the others cannot be read.
    const bool well_formed = signature.rfind("v1,", 0) == 0 && signature.size() == 47;
    require_failure(r, well_formed ? error_code::signature_mismatch : error_code::malformed_header);
  }
  // The signing helper reproduces the published signature.
  const auto signed_headers =
      alm::webhooks::sign_standard_webhooks(vec.secret, vec.id, vec.now, vec.payload);
  REQUIRE(signed_headers);
  CHECK(signed_headers->signature == as_strings(sw["valid_signature_headers"])[0]);
  CHECK(signed_headers->timestamp == vec.timestamp);
  CHECK(signed_headers->id == vec.id);
  // The content signed includes the id: another id does not verify.
  owned_headers other_id{{"webhook-id", "msg_other"},
                         {"webhook-timestamp", vec.timestamp},
                         {"webhook-signature", signed_headers->signature}};
  require_failure(v.verify(other_id.list(), vec.payload), error_code::signature_mismatch);
}

TEST_CASE("standard_webhooks: tolerance edges with an injected clock") {
  const sw_vector vec;
  const std::int64_t tolerance =
      signature_vectors()["standard_webhooks"]["tolerance_seconds"].get_int64();
  REQUIRE(tolerance == 300);
  const std::string signature =
      as_strings(signature_vectors()["standard_webhooks"]["valid_signature_headers"])[0];
  // Moving the clock keeps the signed timestamp (and so the signature) fixed.
  for (std::int64_t offset : {-300, 300, 0, -1, 1}) {
    CAPTURE(offset);
    CHECK(verify_sw(sw_verifier({vec.secret}, vec.now + offset), vec, signature, vec.timestamp));
  }
  for (std::int64_t offset : {-301, 301, -100000, 100000}) {
    CAPTURE(offset);
    const verification_result r =
        verify_sw(sw_verifier({vec.secret}, vec.now + offset), vec, signature, vec.timestamp);
    require_failure(r, error_code::timestamp_out_of_tolerance);
    CHECK(r.error().message.find("300 s") != std::string::npos);
  }
  SECTION("a configured tolerance") {
    verifier_options options;
    options.scheme = auth_scheme::standard_webhooks;
    options.standard_webhooks.secrets = {vec.secret};
    options.timestamp_tolerance_seconds = 10;
    options.clock = [now = vec.now] { return now + 10; };
    CHECK(verify_sw(build(options), vec, signature, vec.timestamp));
    options.clock = [now = vec.now] { return now + 11; };
    require_failure(verify_sw(build(options), vec, signature, vec.timestamp),
                    error_code::timestamp_out_of_tolerance);
  }
  SECTION("timestamps far from any clock do not overflow") {
    const verifier v = sw_verifier({vec.secret}, INT64_MIN);
    require_failure(verify_sw(v, vec, signature, "999999999999999999"),
                    error_code::timestamp_out_of_tolerance);
  }
  SECTION("the system clock is the default") {
    verifier_options options;
    options.scheme = auth_scheme::standard_webhooks;
    options.standard_webhooks.secrets = {vec.secret};
    require_failure(verify_sw(build(options), vec, signature, vec.timestamp),
                    error_code::timestamp_out_of_tolerance);
  }
  SECTION("a clock that throws") {
    verifier_options options;
    options.scheme = auth_scheme::standard_webhooks;
    options.standard_webhooks.secrets = {vec.secret};
    options.clock = []() -> std::int64_t { throw std::runtime_error("no time"); };
    const verification_result r = verify_sw(build(options), vec, signature, vec.timestamp);
    REQUIRE_FALSE(r);
    CHECK(r.code() == error_code::invalid_configuration);
  }
}

TEST_CASE("standard_webhooks: bad headers and rotation") {
  const sw_vector vec;
  const verifier v = sw_verifier({vec.secret}, vec.now);
  const std::string signature =
      as_strings(signature_vectors()["standard_webhooks"]["valid_signature_headers"])[0];

  SECTION("each header missing") {
    for (const char* drop : {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
      CAPTURE(drop);
      owned_headers headers;
      if (std::string_view(drop) != "webhook-id") headers.add("webhook-id", vec.id);
      if (std::string_view(drop) != "webhook-timestamp")
        headers.add("webhook-timestamp", vec.timestamp);
      if (std::string_view(drop) != "webhook-signature")
        headers.add("webhook-signature", signature);
      const verification_result r = v.verify(headers.list(), vec.payload);
      require_failure(r, error_code::missing_header);
      CHECK(r.error().message.find(drop) != std::string::npos);
    }
  }
  SECTION("timestamps that are not Unix seconds") {
    for (const char* ts :
         {"", "abc", "-1614265330", "1614265330.0", "1e9", "0x10", "1234567890123456789"}) {
      CAPTURE(ts);
      require_failure(verify_sw(v, vec, signature, ts), error_code::malformed_header);
    }
  }
  SECTION("repeated and oversized headers") {
    owned_headers repeated{{"webhook-id", vec.id},
                           {"webhook-timestamp", vec.timestamp},
                           {"webhook-signature", signature},
                           {"Webhook-Signature", signature}};
    require_failure(v.verify(repeated.list(), vec.payload), error_code::malformed_header);
    owned_headers long_id{{"webhook-id", std::string(1 << 20, 'm')},
                          {"webhook-timestamp", vec.timestamp},
                          {"webhook-signature", signature}};
    require_failure(v.verify(long_id.list(), vec.payload), error_code::malformed_header);
    require_failure(verify_sw(v, vec, std::string(1 << 20, 'v'), vec.timestamp),
                    error_code::malformed_header);
  }
  SECTION("entries not separated by spaces are not read") {
    require_failure(verify_sw(v, vec, "v1,AAAA," + signature, vec.timestamp),
                    error_code::malformed_header);
  }
  SECTION("rotation, in both orders") {
    const std::string other =
        "whsec_" + alm::webhooks::detail::encode_base64(
                       reinterpret_cast<const unsigned char*>("another key"), 11);
    for (const auto& secrets : {std::vector<std::string>{other, vec.secret},
                                std::vector<std::string>{vec.secret, other}}) {
      const verification_result r =
          verify_sw(sw_verifier(secrets, vec.now), vec, signature, vec.timestamp);
      REQUIRE(r);
      CHECK(secrets[r->key_index] == vec.secret);
    }
    // A secret given without the whsec_ prefix is the same key.
    CHECK(verify_sw(sw_verifier({vec.secret.substr(6)}, vec.now), vec, signature, vec.timestamp));
  }
}

TEST_CASE("basic: credentials") {
  verifier_options options;
  options.scheme = auth_scheme::basic;
  options.basic.credentials = {{"alm", "s3cret-pass"}, {"alm-next", "n3xt pass:with colon"}};
  const verifier v = build(options);
  auto verify = [&](std::string value) {
    owned_headers headers{{"Authorization", std::move(value)}};
    return v.verify(headers.list(), "{}");
  };
  auto header = [](std::string_view user, std::string_view password) {
    return *alm::webhooks::basic_authorization(user, password);
  };

  SECTION("right credentials, and rotation") {
    const verification_result first = verify(header("alm", "s3cret-pass"));
    REQUIRE(first);
    CHECK(first->scheme == auth_scheme::basic);
    CHECK(first->key_index == 0);
    const verification_result second = verify(header("alm-next", "n3xt pass:with colon"));
    REQUIRE(second);
    CHECK(second->key_index == 1);
    CHECK(verify("basic YWxtOnMzY3JldC1wYXNz"));
    CHECK(verify("BASIC   YWxtOnMzY3JldC1wYXNz  "));
  }
  SECTION("wrong user, wrong password, crossed pairs") {
    require_failure(verify(header("alm2", "s3cret-pass")), error_code::bad_credentials);
    require_failure(verify(header("alm", "s3cret-pasS")), error_code::bad_credentials);
    require_failure(verify(header("alm", "s3cret-pass ")), error_code::bad_credentials);
    require_failure(verify(header("alm", "n3xt pass:with colon")), error_code::bad_credentials);
    require_failure(verify("Basic " + alm::webhooks::detail::encode_base64(
                                          reinterpret_cast<const unsigned char*>(":"), 1)),
                    error_code::bad_credentials);
  }
  SECTION("malformed") {
    require_failure(verify("Basic !!!!"), error_code::malformed_header);
    require_failure(verify("Basic YWxtOnMzY3JldC1wYXNz="), error_code::malformed_header);
    require_failure(verify("Basic"), error_code::malformed_header);
    require_failure(verify("Basic "), error_code::malformed_header);
    require_failure(verify("Basic bm9jb2xvbg=="), error_code::malformed_header);  // "nocolon"
    require_failure(verify("Basic " + std::string(4000, 'A')), error_code::malformed_header);
    require_failure(verify(std::string(1 << 20, 'B')), error_code::malformed_header);
    require_failure(verify(""), error_code::malformed_header);
  }
  SECTION("not the Basic scheme") {
    require_failure(verify("Bearer YWxtOnMzY3JldC1wYXNz"), error_code::malformed_header);
    require_failure(verify("BasicYWxtOnMzY3JldC1wYXNz"), error_code::malformed_header);
    require_failure(verify("Digest username=\"alm\""), error_code::malformed_header);
  }
  SECTION("missing and repeated") {
    owned_headers none{{"Content-Type", "application/json"}};
    require_failure(v.verify(none.list(), "{}"), error_code::missing_header);
    owned_headers twice{{"Authorization", header("alm", "s3cret-pass")},
                        {"authorization", header("alm", "s3cret-pass")}};
    require_failure(v.verify(twice.list(), "{}"), error_code::malformed_header);
  }
}

TEST_CASE("adobe_io: RSA-SHA256 signatures with keys made in the test") {
  static const alm_test::pem_key_pair current = alm_test::make_rsa_key_pair();
  static const alm_test::pem_key_pair next = alm_test::make_rsa_key_pair();
  const std::string body = alm_body();
  const auto sign = [&](const alm_test::pem_key_pair& pair, std::string_view data) {
    auto signer = alm::webhooks::adobe_io_signer::make(pair.private_pem);
    REQUIRE(signer);
    auto signature = signer->sign(data);
    REQUIRE(signature);
    return *signature;
  };
  verifier_options options;
  options.scheme = auth_scheme::adobe_io;
  options.adobe_io.public_keys_pem = {current.public_pem};
  const verifier v = build(options);
  const std::string good = sign(current, body);
  const std::string other_body = sign(current, body + " ");
  auto verify = [&](std::initializer_list<std::pair<std::string, std::string>> items) {
    owned_headers headers(items);
    return v.verify(headers.list(), body);
  };

  SECTION("signature 1 valid") {
    const verification_result r = verify(
        {{"x-adobe-digital-signature-1", good}, {"x-adobe-digital-signature-2", other_body}});
    REQUIRE(r);
    CHECK(r->scheme == auth_scheme::adobe_io);
    CHECK(verify({{"X-Adobe-Digital-Signature-1", good}}));
  }
  SECTION("only signature 2 valid") {
    CHECK(verify(
        {{"x-adobe-digital-signature-1", other_body}, {"x-adobe-digital-signature-2", good}}));
    CHECK(verify(
        {{"x-adobe-digital-signature-1", "not base64!"}, {"x-adobe-digital-signature-2", good}}));
    CHECK(verify({{"x-adobe-digital-signature-2", good}}));
  }
  SECTION("both wrong") {
    const verification_result r = verify({{"x-adobe-digital-signature-1", other_body},
                                          {"x-adobe-digital-signature-2", sign(next, body)}});
    require_failure(r, error_code::signature_mismatch);
    CHECK(r.error().message.find("re-encoded") != std::string::npos);
  }
  SECTION("rotation of public keys") {
    verifier_options rotated = options;
    rotated.adobe_io.public_keys_pem = {current.public_pem, next.public_pem};
    const verifier both = build(rotated);
    owned_headers headers{{"x-adobe-digital-signature-1", sign(next, body)}};
    const verification_result r = both.verify(headers.list(), body);
    REQUIRE(r);
    CHECK(r->key_index == 1);
    CHECK(both.key_count() == 2);
  }
  SECTION("bad inputs") {
    require_failure(verify({{"Content-Type", "application/json"}}), error_code::missing_header);
    require_failure(
        verify({{"x-adobe-digital-signature-1", "***"}, {"x-adobe-digital-signature-2", ""}}),
        error_code::malformed_header);
    require_failure(verify({{"x-adobe-digital-signature-1", std::string(1 << 20, 'A')}}),
                    error_code::malformed_header);
    require_failure(verify({{"x-adobe-digital-signature-1", std::string(1000, 'A')}}),
                    error_code::malformed_header);
    require_failure(
        verify({{"x-adobe-digital-signature-1", good}, {"x-adobe-digital-signature-1", good}}),
        error_code::malformed_header);
    // Right length (256 bytes), wrong bytes; and a short well-formed value.
    require_failure(verify({{"x-adobe-digital-signature-1", std::string(342, 'A')}}),
                    error_code::signature_mismatch);
    require_failure(verify({{"x-adobe-digital-signature-1", "AAAA"}}),
                    error_code::signature_mismatch);
  }
  SECTION("an empty body") {
    owned_headers headers{{"x-adobe-digital-signature-1", sign(current, "")}};
    CHECK(v.verify(headers.list(), std::string_view()));
    require_failure(v.verify(headers.list(), body), error_code::signature_mismatch);
  }
}

TEST_CASE("none accepts every request") {
  verifier_options options;
  options.scheme = auth_scheme::none;
  const verifier v = build(options);
  owned_headers headers;
  const verification_result r = v.verify(headers.list(), "");
  REQUIRE(r);
  CHECK(r->scheme == auth_scheme::none);
  CHECK(v.key_count() == 0);
  alm::webhooks::request_view request;
  request.body = "{}";
  CHECK(v.verify(request));
}

TEST_CASE("configuration errors are reported when the verifier is built") {
  SECTION("alm_hmac") {
    verifier_options o;
    require_config_error(o, "alm_hmac.secrets");
    o.alm_hmac.secrets = {"good", ""};
    require_config_error(o, "alm_hmac.secrets[1]");
    o.alm_hmac.secrets = {" \t\r\n"};
    require_config_error(o, "alm_hmac.secrets[0]");
    o.alm_hmac.secrets = {"good"};
    o.alm_hmac.header_name = " ";
    require_config_error(o, "alm_hmac.header_name");
    o.alm_hmac.header_name = "X-Sig";
    o.alm_hmac.accept_hex = o.alm_hmac.accept_base64 = false;
    require_config_error(o, "alm_hmac.accept_hex");
    o.alm_hmac.accept_hex = true;
    o.alm_hmac.prefix.clear();
    o.alm_hmac.require_prefix = true;
    require_config_error(o, "alm_hmac.prefix");
    o.alm_hmac.require_prefix = false;
    o.alm_hmac.timestamp_header = "x-sig";
    require_config_error(o, "alm_hmac.timestamp_header");
    o.alm_hmac.timestamp_header.clear();
    CHECK(make_verifier(o));
  }
  SECTION("standard_webhooks") {
    verifier_options o;
    o.scheme = auth_scheme::standard_webhooks;
    require_config_error(o, "standard_webhooks.secrets");
    for (const char* bad : {"", "   ", "whsec_", "whsec_***", "whsec_QQ=A", "not base64!"}) {
      CAPTURE(bad);
      o.standard_webhooks.secrets = {std::string(bad)};
      require_config_error(o, "standard_webhooks.secrets[0]");
    }
  }
  SECTION("adobe_io") {
    verifier_options o;
    o.scheme = auth_scheme::adobe_io;
    require_config_error(o, "adobe_io.public_keys_pem");
    o.adobe_io.public_keys_pem = {"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"};
    require_config_error(o, "adobe_io.public_keys_pem[0]");
    o.adobe_io.public_keys_pem = {""};
    require_config_error(o, "adobe_io.public_keys_pem[0]");
    // A private key where a public one belongs, and a key that is not RSA.
    static const alm_test::pem_key_pair rsa = alm_test::make_rsa_key_pair();
    o.adobe_io.public_keys_pem = {rsa.public_pem, rsa.private_pem};
    require_config_error(o, "adobe_io.public_keys_pem[1]");
    o.adobe_io.public_keys_pem = {alm_test::make_ec_key_pair().public_pem};
    require_config_error(o, "adobe_io.public_keys_pem[0]");
  }
  SECTION("basic") {
    verifier_options o;
    o.scheme = auth_scheme::basic;
    require_config_error(o, "basic.credentials");
    o.basic.credentials = {{"", "pw"}};
    require_config_error(o, "basic.credentials[0]");
    o.basic.credentials = {{"a", "pw"}, {"us:er", "pw"}};
    require_config_error(o, "basic.credentials[1]");
    o.basic.credentials = {{"user", " "}};
    require_config_error(o, "basic.credentials[0]");
    o.basic.credentials = {{"user", std::string(1024, 'p')}};
    require_config_error(o, "basic.credentials[0]");
  }
  SECTION("shared limits") {
    verifier_options o;
    o.alm_hmac.secrets = {"good"};
    o.max_header_bytes = 0;
    require_config_error(o, "max_header_bytes");
    o.max_header_bytes = 10;
    o.timestamp_tolerance_seconds = -1;
    require_config_error(o, "timestamp_tolerance_seconds");
  }
  SECTION("an unknown scheme value") {
    verifier_options o;
    o.scheme = static_cast<auth_scheme>(200);
    require_config_error(o, "scheme");
  }
}

TEST_CASE("no message or formatted result contains a secret or an expected signature") {
  const std::string secret = alm_secret();
  const std::string body = alm_body();
  const std::string hex = *alm::webhooks::sign_alm_hmac(secret, body);
  const std::vector<std::string> forbidden = {
      secret,
      hex,
      alm_test::to_hex(alm_test::from_hex(hex), true),
      *alm::webhooks::sign_alm_hmac(secret, body, alm::webhooks::signature_encoding::base64),
      *alm::webhooks::sign_alm_hmac(secret, body, alm::webhooks::signature_encoding::base64url),
      "s3cret-pass",
      "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  };
  std::vector<alm::webhooks::error> errors;
  auto collect = [&](const verification_result& r) {
    REQUIRE_FALSE(r);
    errors.push_back(r.error());
  };

  const verifier alm = alm_verifier({"  " + secret + "\n", secret + "x"});
  for (const char* value : {"", "sha256=", "not-a-signature", "aaaa,bbbb"}) {
    collect(verify_alm(alm, value, body));
  }
  collect(verify_alm(alm, std::string(64, 'f'), body));
  collect(verify_alm(alm, hex, body + " "));
  collect(verify_alm(alm, std::string(10000, 'f'), body));

  const sw_vector vec;
  const verifier sw = sw_verifier({vec.secret}, vec.now + 1000);
  collect(verify_sw(sw, vec, "v1,AAAA", vec.timestamp));
  collect(verify_sw(sw_verifier({vec.secret}, vec.now), vec, "v1," + std::string(43, 'A'),
                    vec.timestamp));

  verifier_options basic;
  basic.scheme = auth_scheme::basic;
  basic.basic.credentials = {{"alm", "s3cret-pass"}};
  const verifier b = build(basic);
  for (const char* value : {"Basic YWxtOnMzY3JldC1wYXNzWA==", "Basic ???", "Token s3cret-pass"}) {
    owned_headers headers{{"Authorization", value}};
    collect(b.verify(headers.list(), body));
  }

  for (const std::string& bad :
       {std::string("whsec_"), std::string("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw!"),
        std::string("   ")}) {
    verifier_options o;
    o.scheme = auth_scheme::standard_webhooks;
    o.standard_webhooks.secrets = {bad};
    auto built = make_verifier(o);
    REQUIRE_FALSE(built);
    errors.push_back(built.error());
  }

  REQUIRE(errors.size() >= 15);
  for (const alm::webhooks::error& e : errors) {
    CHECK_FALSE(e.message.empty());
    for (const std::string& out : {e.message, e.to_string(), fmt::format("{}", e), e.path}) {
      CAPTURE(out);
      for (const std::string& f : forbidden)
        CHECK(out.find(f) == std::string::npos);
    }
  }
  // The whitespace hint names the likely mistake without quoting the secret.
  const verification_result r = verify_alm(alm, std::string(64, 'f'), body);
  CHECK(r.error().message.find("whitespace") != std::string::npos);
}

TEST_CASE("one verifier shared by several threads") {
  const std::string secret = alm_secret();
  const std::string body = alm_body();
  const std::string good = *alm::webhooks::sign_alm_hmac(secret, body);
  const verifier alm = alm_verifier({"old-secret", secret});
  const verifier copy = alm;  // copies share the configuration

  const sw_vector vec;
  const verifier sw = sw_verifier({vec.secret}, vec.now);
  const std::string sw_signature =
      as_strings(signature_vectors()["standard_webhooks"]["valid_signature_headers"])[1];

  static const alm_test::pem_key_pair pair = alm_test::make_rsa_key_pair();
  verifier_options adobe_options;
  adobe_options.scheme = auth_scheme::adobe_io;
  adobe_options.adobe_io.public_keys_pem = {pair.public_pem};
  const verifier adobe = build(adobe_options);
  const std::string rsa_signature =
      *alm::webhooks::adobe_io_signer::make(pair.private_pem)->sign(body);

  verifier_options basic_options;
  basic_options.scheme = auth_scheme::basic;
  basic_options.basic.credentials = {{"alm", "pw-1"}, {"alm", "pw-2"}};
  const verifier basic = build(basic_options);

  constexpr int threads = 6;
  constexpr int rounds = 300;
  std::atomic<int> passed{0};
  std::atomic<int> failed_as_expected{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        const bool valid = (i + t) % 2 == 0;
        const std::string tampered = body + std::to_string(i);
        const std::string_view b = valid ? std::string_view(body) : std::string_view(tampered);
        owned_headers headers{
            {"X-ALM-Webhook-Signature", good},
            {"webhook-id", vec.id},
            {"webhook-timestamp", vec.timestamp},
            {"webhook-signature", sw_signature},
            {"x-adobe-digital-signature-2", rsa_signature},
            {"Authorization", valid ? "Basic YWxtOnB3LTI=" : "Basic YWxtOnB3LTM="}};
        const auto list = headers.list();
        const verification_result results[] = {
            (t % 2 == 0 ? alm : copy).verify(list, b),
            sw.verify(list, valid ? std::string_view(vec.payload) : b),
            i % 10 == 0 ? adobe.verify(list, b) : basic.verify(list, b),
        };
        for (const verification_result& r : results) {
          if (r.has_value() == valid) {
            (valid ? passed : failed_as_expected).fetch_add(1);
          } else {
            wrong.fetch_add(1);
          }
        }
        // The second secret and the second credential are the ones that match.
        if (valid && results[0] && results[0]->key_index != 1) wrong.fetch_add(1);
        if (valid && i % 10 != 0 && results[2] && results[2]->key_index != 1) wrong.fetch_add(1);
      }
    });
  }
  for (std::thread& th : pool)
    th.join();
  CHECK(wrong.load() == 0);
  CHECK(passed.load() + failed_as_expected.load() == threads * rounds * 3);
  CHECK(passed.load() == failed_as_expected.load());
}

TEST_CASE("scheme names") {
  for (auth_scheme s : {auth_scheme::none, auth_scheme::basic, auth_scheme::alm_hmac,
                        auth_scheme::standard_webhooks, auth_scheme::adobe_io}) {
    CHECK(alm::webhooks::parse_auth_scheme(to_string(s)) == s);
    CHECK(fmt::format("{}", s) == to_string(s));
  }
  CHECK(alm::webhooks::parse_auth_scheme("ALM_HMAC") == auth_scheme::alm_hmac);
  CHECK_FALSE(alm::webhooks::parse_auth_scheme("hmac").has_value());
  CHECK(alm_verifier({"x"}).scheme() == auth_scheme::alm_hmac);
}
