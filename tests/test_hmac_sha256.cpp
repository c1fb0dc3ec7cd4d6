// SHA-256 and HMAC-SHA256 with precomputed key states: SHA-256 against EVP_Digest at every
// length of the last block, RFC 4231, agreement with OpenSSL's EVP_Q_mac for keys and messages
// around the block size, multi-part messages, and a verifier round trip.
// test_hmac_sha256_evp.cpp compiles this file again with the EVP implementation.
#include "alm/webhooks/detail/hmac_sha256.hpp"

#include <string>

#include <openssl/evp.h>

#include "alm/webhooks/signature.hpp"
#include "alm/webhooks/signing.hpp"
#include "auth_test_support.hpp"
#include "catch.hpp"

using alm::webhooks::detail::hmac_sha256_key;
using alm::webhooks::detail::sha256_digest;
using alm_test::as_string;

namespace {

/// SHA-256 of `data` through OpenSSL's EVP_Digest.
std::string reference_sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  REQUIRE(EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) == 1);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string digest_text(const sha256_digest& digest) {
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string mac_of(const hmac_sha256_key& key, std::string_view data) {
  sha256_digest mac{};
  REQUIRE(key.compute(data, mac.data()));
  return digest_text(mac);
}

/// HMAC through OpenSSL's EVP_MAC one-shot, which exists with or without deprecated APIs.
std::string reference_hmac(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t size = 0;
  const unsigned char* k = reinterpret_cast<const unsigned char*>(key.empty() ? "" : key.data());
  REQUIRE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, k, key.size(),
                    reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
                    sizeof mac, &size) != nullptr);
  return std::string(reinterpret_cast<const char*>(mac), size);
}

}  // namespace

TEST_CASE("hmac_sha256_key: RFC 4231 test cases") {
  for (simdjson::dom::element c :
       alm_test::signature_vectors()["rfc4231_hmac_sha256"].get_array()) {
    CAPTURE(c["case"].get_int64().value());
    const hmac_sha256_key key(alm_test::from_hex(as_string(c["key_hex"])));
    REQUIRE(key.valid());
    CHECK(alm_test::to_hex(mac_of(key, alm_test::from_hex(as_string(c["data_hex"])))) ==
          as_string(c["mac_hex"]));
  }
}

TEST_CASE("sha256: agrees with EVP_Digest at every length of the last block") {
  // Every byte count left for the padded last block (0 to 63), in one and in two blocks,
  // including 55 and 56, where the length no longer fits after the 0x80 byte.
  for (std::size_t size = 0; size <= 130; ++size) {
    CAPTURE(size);
    std::string data(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
      data[i] = static_cast<char>(i * 13 + 5);
    sha256_digest ours{};
    REQUIRE(alm::webhooks::detail::sha256(data, ours.data()));
    CHECK(digest_text(ours) == reference_sha256(data));
  }
}

TEST_CASE("sha256: finish_into appends the digest to a state at any offset of its block") {
  // HMAC appends to a state at a block boundary; the other offsets, and those where the digest
  // fills or crosses the block (from 32 bytes on), are there for any other use.
  const std::string first = "the inner message";
  sha256_digest inner_digest{};
  REQUIRE(alm::webhooks::detail::sha256(first, inner_digest.data()));
  for (std::size_t prefix = 0; prefix <= 70; ++prefix) {
    CAPTURE(prefix);
    const std::string head(prefix, 'h');
    alm::webhooks::detail::sha256_state inner;
    inner.update(first);
    alm::webhooks::detail::sha256_state next;
    next.update(head);
    REQUIRE(inner.finish_into(next));
    sha256_digest ours{};
    REQUIRE(next.finish(ours.data()));
    CHECK(digest_text(ours) == reference_sha256(head + digest_text(inner_digest)));
  }
}

TEST_CASE("hmac_sha256_key: agrees with EVP_Q_mac around the block size") {
  for (std::size_t key_size : {0, 1, 32, 63, 64, 65, 131, 1000}) {
    std::string key(key_size, '\0');
    for (std::size_t i = 0; i < key_size; ++i)
      key[i] = static_cast<char>(i * 7 + 1);
    const hmac_sha256_key prepared(key);
    for (std::size_t size : {0, 1, 55, 56, 57, 63, 64, 65, 127, 128, 129, 360, 3400, 34000}) {
      CAPTURE(key_size, size);
      std::string data(size, '\0');
      for (std::size_t i = 0; i < size; ++i)
        data[i] = static_cast<char>(i ^ key_size);
      CHECK(mac_of(prepared, data) == reference_hmac(key, data));
    }
  }
}

TEST_CASE("hmac_sha256_key: parts are hashed as their concatenation; keys are reusable") {
  const hmac_sha256_key key("part-key");
  const std::string_view parts[] = {"msg_1", ".", "", ".", "1614265330", ".", R"({"a":1})"};
  sha256_digest mac{};
  REQUIRE(key.compute(parts, std::size(parts), mac.data()));
  const std::string joined = std::string("msg_1..1614265330.") + R"({"a":1})";
  CHECK(std::string(reinterpret_cast<const char*>(mac.data()), mac.size()) == mac_of(key, joined));
  // Computing does not change the key: the same message gives the same MAC again, also on a copy.
  const hmac_sha256_key copy = key;
  CHECK(mac_of(key, joined) == mac_of(copy, joined));
  CHECK(mac_of(key, joined) == reference_hmac("part-key", joined));
}

TEST_CASE("the verifier works end to end with this SHA-256 implementation") {
  const std::string body = alm_test::read_data_file("legacy-course-enrollment-batch.json");
  const auto vectors = alm_test::signature_vectors();
  alm::webhooks::verifier_options options;
  options.alm_hmac.secrets = {as_string(vectors["alm_hmac"]["secret"])};
  auto v = alm::webhooks::make_verifier(options);
  REQUIRE(v);
  for (const std::string& value :
       alm_test::as_strings(vectors["alm_hmac"]["valid_header_values"])) {
    alm_test::owned_headers headers{{"X-ALM-Webhook-Signature", value}};
    CHECK(v->verify(headers.list(), body));
  }
  alm_test::owned_headers wrong{{"X-ALM-Webhook-Signature", std::string(64, '0')}};
  CHECK(v->verify(wrong.list(), body).code() == alm::webhooks::error_code::signature_mismatch);

  const auto sw = vectors["standard_webhooks"];
  const auto headers = alm::webhooks::sign_standard_webhooks(
      as_string(sw["secret"]), as_string(sw["webhook_id"]), 1614265330, as_string(sw["payload"]));
  REQUIRE(headers);
  CHECK(headers->signature == alm_test::as_strings(sw["valid_signature_headers"])[0]);
}
