// The HTTP-agnostic view of a request that the verifier and the endpoint read: method, target,
// headers (looked up case-insensitively) and the raw body. Adapters build one from their host
// server's request without copying.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "alm/webhooks/array_view.hpp"

namespace alm::webhooks {

/// One header as the host server holds it. Views the host's request.
struct http_header {
  std::string_view name;
  std::string_view value;
};

namespace detail {
constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
}  // namespace detail

/// ASCII case-insensitive equality, as HTTP header names compare.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (detail::ascii_lower(a[i]) != detail::ascii_lower(b[i])) return false;
  }
  return true;
}

/// A read-only list of a request's headers with case-insensitive lookup. Views an array the
/// adapter owns; valid while that array is.
class header_list {
 public:
  constexpr header_list() = default;
  constexpr header_list(array_view<http_header> headers) noexcept : headers_(headers) {}
  constexpr header_list(const http_header* data, std::size_t size) noexcept
      : headers_(data, size) {}

  /// The value of the first header named `name`, or nullopt when there is none.
  constexpr std::optional<std::string_view> find(std::string_view name) const noexcept {
    for (const http_header& h : headers_) {
      if (iequals(h.name, name)) return h.value;
    }
    return std::nullopt;
  }
  /// How many headers are named `name` (a repeated signature header is suspicious).
  constexpr std::size_t count(std::string_view name) const noexcept {
    std::size_t n = 0;
    for (const http_header& h : headers_)
      n += iequals(h.name, name) ? 1 : 0;
    return n;
  }
  constexpr array_view<http_header> all() const noexcept { return headers_; }

 private:
  array_view<http_header> headers_;
};

/// A request as the endpoint sees it. All members view the host server's request.
struct request_view {
  std::string_view method;  ///< "POST", "GET", ...
  std::string_view target;  ///< path with query, e.g. "/alm?challenge=abc"
  header_list headers;
  std::string_view body;  ///< the raw bytes, exactly as received
  /// Bytes readable (and owned by the host) after body.end(). When at least
  /// simdjson::SIMDJSON_PADDING, the parser reads the body in place; otherwise it copies it once
  /// into its own padded buffer.
  std::size_t body_padding{0};
};

}  // namespace alm::webhooks
