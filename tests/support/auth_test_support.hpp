// Helpers shared by the authentication tests: owned header lists, the signature vectors, test
// files, and RSA key pairs made at run time.
#pragma once

#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <simdjson.h>

#include "alm/webhooks/detail/hex.hpp"
#include "alm/webhooks/http.hpp"

namespace alm_test {

/// Headers that own their strings; list() views them for as long as this object is unchanged.
class owned_headers {
 public:
  owned_headers() = default;
  owned_headers(std::initializer_list<std::pair<std::string, std::string>> items) : items_(items) {}

  owned_headers& add(std::string name, std::string value) {
    items_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  alm::webhooks::header_list list() {
    views_.clear();
    for (const auto& [name, value] : items_)
      views_.push_back({name, value});
    return alm::webhooks::header_list(views_.data(), views_.size());
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
  std::vector<alm::webhooks::http_header> views_;
};

inline std::string data_path(std::string_view name) {
  return std::string(ALM_WEBHOOKS_TEST_DATA) + "/" + std::string(name);
}

/// The bytes of a file under tests/data, exactly as stored.
inline std::string read_data_file(std::string_view name) {
  std::ifstream in(data_path(name), std::ios::binary);
  if (!in) throw std::runtime_error("cannot open test data " + std::string(name));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// tests/data/signatures.json, parsed once.
inline simdjson::dom::element signature_vectors() {
  static simdjson::dom::parser parser;
  static simdjson::dom::element root = parser.load(data_path("signatures.json"));
  return root;
}

inline std::string as_string(simdjson::dom::element e) {
  return std::string(e.get_string().value());
}

inline std::vector<std::string> as_strings(simdjson::dom::element e) {
  std::vector<std::string> out;
  for (simdjson::dom::element item : e.get_array())
    out.push_back(as_string(item));
  return out;
}

/// Bytes from hex digits (the vectors' key_hex / data_hex / mac_hex).
inline std::string from_hex(std::string_view hex) {
  std::string out(hex.size() / 2, '\0');
  if (!alm::webhooks::detail::decode_hex(hex, reinterpret_cast<unsigned char*>(out.data()),
                                         out.size())) {
    throw std::runtime_error("bad hex in test vector");
  }
  return out;
}

inline std::string to_hex(std::string_view bytes, bool uppercase = false) {
  return alm::webhooks::detail::to_hex(reinterpret_cast<const unsigned char*>(bytes.data()),
                                       bytes.size(), uppercase);
}

/// A PEM key pair made at run time, so no private key is ever committed.
struct pem_key_pair {
  std::string public_pem;
  std::string private_pem;
};

inline std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

inline pem_key_pair pem_pair_of(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> pub(BIO_new(BIO_s_mem()), &BIO_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> priv(BIO_new(BIO_s_mem()), &BIO_free);
  if (PEM_write_bio_PUBKEY(pub.get(), key) != 1 ||
      PEM_write_bio_PrivateKey(priv.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw std::runtime_error("cannot write PEM");
  }
  return {bio_text(pub.get()), bio_text(priv.get())};
}

/// A new RSA key pair of `bits` bits.
inline pem_key_pair make_rsa_key_pair(unsigned bits = 2048) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(bits), &EVP_PKEY_free);
  if (!key) throw std::runtime_error("RSA key generation failed");
  return pem_pair_of(key.get());
}

/// A new EC (P-256) key pair, for checking that non-RSA keys are refused.
inline pem_key_pair make_ec_key_pair() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  if (!key) throw std::runtime_error("EC key generation failed");
  return pem_pair_of(key.get());
}

}  // namespace alm_test
