// Checks and decoding of configured secrets, shared by the verifier and the signing helpers so
// both refuse the same bad secrets with the same messages.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "alm/webhooks/detail/base64.hpp"
#include "alm/webhooks/result.hpp"

namespace alm::webhooks::detail {

/// The whitespace that ends up in a secret by accident (pasted with it, or read from a file
/// with its newline). Other control bytes are left alone: binary keys may consist of them.
constexpr bool is_ascii_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// Empty or only whitespace: never a usable secret.
inline bool is_blank(std::string_view text) noexcept {
  return std::all_of(text.begin(), text.end(), is_ascii_space);
}

/// Starts or ends with whitespace: legal, but usually a newline pasted along with the secret.
inline bool has_edge_whitespace(std::string_view text) noexcept {
  return !text.empty() && (is_ascii_space(text.front()) || is_ascii_space(text.back()));
}

/// Checks an HMAC secret used as raw bytes (the ALM scheme). The message never quotes it.
inline result<void> check_raw_secret(std::string_view secret) {
  if (is_blank(secret)) {
    return result<void>(error_code::invalid_configuration,
                        "the secret is empty or only whitespace");
  }
  return {};
}

/// The longest `user:password` the Basic scheme handles.
inline constexpr std::size_t max_basic_credentials_bytes = 1024;

/// Why a Basic user name and password cannot be used, or nullptr when they can.
inline const char* basic_credential_fault(std::string_view username,
                                          std::string_view password) noexcept {
  if (username.empty()) return "the user name is empty";
  if (username.find(':') != std::string_view::npos) {
    return "the user name contains ':', which Basic authentication cannot carry";
  }
  if (is_blank(password)) return "the password is empty or only whitespace";
  if (username.size() + 1 + password.size() > max_basic_credentials_bytes) {
    return "the user name and password together exceed 1024 bytes";
  }
  return nullptr;
}

inline constexpr std::string_view standard_webhooks_secret_prefix = "whsec_";

/// The key bytes of a Standard Webhooks secret: base64 after an optional "whsec_" prefix.
/// May throw std::bad_alloc. The message never quotes the secret.
inline result<std::string> decode_standard_webhooks_secret(std::string_view secret) {
  if (is_blank(secret)) {
    return result<std::string>(error_code::invalid_configuration,
                               "the secret is empty or only whitespace");
  }
  std::string_view encoded = secret;
  if (encoded.substr(0, standard_webhooks_secret_prefix.size()) ==
      standard_webhooks_secret_prefix) {
    encoded.remove_prefix(standard_webhooks_secret_prefix.size());
  }
  if (encoded.empty()) {
    return result<std::string>(error_code::invalid_configuration,
                               "the secret is 'whsec_' with no key after it");
  }
  std::optional<std::string> key = decode_base64(encoded);
  if (!key || key->empty()) {
    return result<std::string>(error_code::invalid_configuration,
                               "the secret is not base64 after its 'whsec_' prefix");
  }
  return std::move(*key);
}

}  // namespace alm::webhooks::detail
