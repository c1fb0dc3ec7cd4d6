// The signing helpers: header values in every encoding, checked against the verifier and against
// OpenSSL directly, and the errors for bad secrets and keys.
#include "alm/webhooks/signing.hpp"

#include <memory>
#include <string>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include "alm/webhooks/signature.hpp"
#include "auth_test_support.hpp"
#include "catch.hpp"

using alm::webhooks::error_code;
using alm::webhooks::signature_encoding;
using alm_test::as_string;
using alm_test::signature_vectors;

namespace {

/// HMAC-SHA256 through OpenSSL's one-shot HMAC(), independent of the SDK's precomputed states.
std::string reference_hmac(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &size);
  return std::string(reinterpret_cast<const char*>(mac), size);
}

/// RSA-SHA256 PKCS#1 v1.5 verification over a digest made separately: another OpenSSL path than
/// the SDK's EVP_DigestVerify.
bool reference_rsa_verify(const std::string& public_pem, std::string_view data,
                          std::string_view signature_base64) {
  const std::optional<std::string> signature =
      alm::webhooks::detail::decode_base64(signature_base64);
  if (!signature) return false;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new(key.get(), nullptr), &EVP_PKEY_CTX_free);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  EVP_Digest(data.data(), data.size(), digest, nullptr, EVP_sha256(), nullptr);
  return ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
         EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) == 1 &&
         EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) == 1 &&
         EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()),
                         signature->size(), digest, sizeof digest) == 1;
}

}  // namespace

TEST_CASE("sign_alm_hmac: every encoding matches the vectors and OpenSSL") {
  const std::string secret = as_string(signature_vectors()["alm_hmac"]["secret"]);
  const std::string body = alm_test::read_data_file("legacy-course-enrollment-batch.json");
  const auto valid = alm_test::as_strings(signature_vectors()["alm_hmac"]["valid_header_values"]);

  CHECK(*alm::webhooks::sign_alm_hmac(secret, body) == valid[0]);
  CHECK(*alm::webhooks::sign_alm_hmac(secret, body, signature_encoding::hex_upper) == valid[1]);
  CHECK(*alm::webhooks::sign_alm_hmac(secret, body, signature_encoding::base64) == valid[2]);
  CHECK(*alm::webhooks::sign_alm_hmac(secret, body, signature_encoding::hex, "sha256=") ==
        valid[3]);
  const std::string url =
      *alm::webhooks::sign_alm_hmac(secret, body, signature_encoding::base64url);
  CHECK(url.size() == 43);
  CHECK(url.find_first_of("+/=") == std::string::npos);
  CHECK(alm_test::to_hex(reference_hmac(secret, body)) == valid[0]);

  for (simdjson::dom::element c : signature_vectors()["github_style"].get_array()) {
    CHECK(*alm::webhooks::sign_alm_hmac(as_string(c["secret"]), as_string(c["body"]),
                                        signature_encoding::hex,
                                        "sha256=") == as_string(c["header"]));
  }
}

TEST_CASE("sign_alm_hmac: agrees with HMAC() for keys and bodies of many sizes") {
  // Sizes around the 64-byte block, where padding and the long-key rule change.
  for (std::size_t key_size : {1, 31, 32, 63, 64, 65, 128, 200}) {
    const std::string key(key_size, static_cast<char>('k' + key_size % 7));
    for (std::size_t body_size : {0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 65537}) {
      CAPTURE(key_size, body_size);
      std::string body(body_size, '\0');
      for (std::size_t i = 0; i < body_size; ++i)
        body[i] = static_cast<char>(i * 31 + key_size);
      CHECK(*alm::webhooks::sign_alm_hmac(key, body) ==
            alm_test::to_hex(reference_hmac(key, body)));
    }
  }
}

TEST_CASE("sign_alm_hmac: bad secrets") {
  for (const char* secret : {"", " ", "\t\r\n"}) {
    const auto signed_value = alm::webhooks::sign_alm_hmac(secret, "{}");
    REQUIRE_FALSE(signed_value);
    CHECK(signed_value.code() == error_code::invalid_configuration);
  }
}

TEST_CASE("sign_standard_webhooks: the vector and bad input") {
  const auto sw = signature_vectors()["standard_webhooks"];
  const std::string secret = as_string(sw["secret"]);
  const auto headers = alm::webhooks::sign_standard_webhooks(secret, as_string(sw["webhook_id"]),
                                                             1614265330, as_string(sw["payload"]));
  REQUIRE(headers);
  CHECK(headers->signature == alm_test::as_strings(sw["valid_signature_headers"])[0]);

  auto fails = [](std::string_view s, std::string_view id, std::int64_t ts) {
    const auto r = alm::webhooks::sign_standard_webhooks(s, id, ts, "{}");
    REQUIRE_FALSE(r);
    CHECK(r.code() == error_code::invalid_configuration);
    CHECK(r.error().message.find("MfKQ9r8GKYq") == std::string::npos);
  };
  fails("", "msg_1", 1);
  fails("whsec_", "msg_1", 1);
  fails("whsec_MfKQ9r8GKYq!", "msg_1", 1);
  fails(secret, "", 1);
  fails(secret, "msg_1", -1);
}

TEST_CASE("basic_authorization builds the header value") {
  CHECK(*alm::webhooks::basic_authorization("user", "pass") == "Basic dXNlcjpwYXNz");
  CHECK(*alm::webhooks::basic_authorization("alm", "p:w") == "Basic YWxtOnA6dw==");
  for (auto [user, password] : {std::pair<const char*, const char*>{"", "pw"},
                                {"a:b", "pw"},
                                {"user", ""},
                                {"user", "  "}}) {
    const auto r = alm::webhooks::basic_authorization(user, password);
    REQUIRE_FALSE(r);
    CHECK(r.code() == error_code::invalid_configuration);
  }
}

TEST_CASE("adobe_io_signer: signatures OpenSSL verifies independently") {
  const alm_test::pem_key_pair pair = alm_test::make_rsa_key_pair();
  const auto signer = alm::webhooks::adobe_io_signer::make(pair.private_pem);
  REQUIRE(signer);
  for (std::string_view body : {std::string_view(), std::string_view("{}"),
                                std::string_view(R"({"accountId":1010,"events":[]})")}) {
    const auto signature = signer->sign(body);
    REQUIRE(signature);
    CHECK(signature->size() == 344);  // base64 of a 2048-bit signature
    CHECK(reference_rsa_verify(pair.public_pem, body, *signature));
    CHECK_FALSE(reference_rsa_verify(pair.public_pem, std::string(body) + "x", *signature));
  }
  // A copy shares the key and signs the same (PKCS#1 v1.5 is deterministic).
  const alm::webhooks::adobe_io_signer copy = *signer;
  CHECK(*copy.sign("abc") == *signer->sign("abc"));

  SECTION("a 3072-bit key") {
    const alm_test::pem_key_pair big = alm_test::make_rsa_key_pair(3072);
    const auto big_signer = alm::webhooks::adobe_io_signer::make(big.private_pem);
    REQUIRE(big_signer);
    alm::webhooks::verifier_options options;
    options.scheme = alm::webhooks::auth_scheme::adobe_io;
    options.adobe_io.public_keys_pem = {pair.public_pem, big.public_pem};
    auto v = alm::webhooks::make_verifier(options);
    REQUIRE(v);
    alm_test::owned_headers headers{{"x-adobe-digital-signature-1", *big_signer->sign("{}")}};
    const auto r = v->verify(headers.list(), "{}");
    REQUIRE(r);
    CHECK(r->key_index == 1);
  }
  SECTION("keys that cannot sign") {
    for (const std::string& pem : {std::string(), std::string("not a key"), pair.public_pem,
                                   alm_test::make_ec_key_pair().private_pem}) {
      const auto bad = alm::webhooks::adobe_io_signer::make(pem);
      REQUIRE_FALSE(bad);
      CHECK(bad.code() == error_code::invalid_configuration);
    }
  }
  SECTION("an encrypted key is refused without prompting") {
    std::unique_ptr<BIO, decltype(&BIO_free)> in(
        BIO_new_mem_buf(pair.private_pem.data(), static_cast<int>(pair.private_pem.size())),
        &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), &BIO_free);
    char pass[] = "pass phrase";
    REQUIRE(PEM_write_bio_PKCS8PrivateKey(out.get(), key.get(), EVP_aes_256_cbc(), pass,
                                          static_cast<int>(sizeof pass - 1), nullptr,
                                          nullptr) == 1);
    const auto bad = alm::webhooks::adobe_io_signer::make(alm_test::bio_text(out.get()));
    REQUIRE_FALSE(bad);
    CHECK(bad.code() == error_code::invalid_configuration);
  }
}
