// Error values used everywhere in the SDK: a code, a message for humans and, for body faults,
// the JSON path of the fault. No SDK code path throws; it returns one of these instead.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace alm::webhooks {

/// What went wrong. One enumeration for the whole SDK, in the style of simdjson::error_code.
enum class error_code : std::uint8_t {
  // Body and JSON faults (HTTP 400).
  empty_body,           ///< the body has no bytes, or only whitespace
  invalid_json,         ///< not JSON at all, or a syntax error
  invalid_utf8,         ///< a string is not valid UTF-8
  truncated,            ///< the document ends before it is complete
  trailing_content,     ///< bytes after the end of the document
  too_deep,             ///< nesting deeper than the parser's limit
  wrong_type,           ///< a known field has a JSON type the SDK cannot read
  missing_field,        ///< a required field is absent
  duplicate_key,        ///< the same known key appears twice in one object
  number_out_of_range,  ///< an integer beyond 64 bits, or a value outside its documented range
  invalid_value,        ///< a value of the right type that cannot be read (a malformed date)
  unknown_format,       ///< neither a batch envelope (`events`) nor an AsyncAPI event (`eventType`)
  body_too_large,       ///< larger than a configured limit
  out_of_memory,        ///< an allocation failed
  // Authentication faults (HTTP 401).
  missing_header,              ///< the signature or credential header is absent
  malformed_header,            ///< the header is present but cannot be read
  signature_mismatch,          ///< no signature matched any configured secret or key
  timestamp_out_of_tolerance,  ///< a signed timestamp too far from now
  bad_credentials,             ///< Basic credentials did not match
  invalid_configuration,       ///< a verifier or endpoint was configured wrongly (empty secret)
  // Receiving faults.
  method_not_allowed,      ///< HTTP 405
  unsupported_media_type,  ///< HTTP 415
  handler_failed,          ///< a user handler threw or reported failure (HTTP 500)
  queue_full,              ///< the processing queue is full (HTTP 503)
  store_unavailable,       ///< the idempotency store or hand-off sink cannot be reached (HTTP 503)
  in_progress,             ///< another request is processing the same event (HTTP 503)
};

/// A stable, lowercase name for each code, e.g. "wrong_type".
constexpr std::string_view to_string(error_code code) noexcept {
  switch (code) {
    case error_code::empty_body:
      return "empty_body";
    case error_code::invalid_json:
      return "invalid_json";
    case error_code::invalid_utf8:
      return "invalid_utf8";
    case error_code::truncated:
      return "truncated";
    case error_code::trailing_content:
      return "trailing_content";
    case error_code::too_deep:
      return "too_deep";
    case error_code::wrong_type:
      return "wrong_type";
    case error_code::missing_field:
      return "missing_field";
    case error_code::duplicate_key:
      return "duplicate_key";
    case error_code::number_out_of_range:
      return "number_out_of_range";
    case error_code::invalid_value:
      return "invalid_value";
    case error_code::unknown_format:
      return "unknown_format";
    case error_code::body_too_large:
      return "body_too_large";
    case error_code::out_of_memory:
      return "out_of_memory";
    case error_code::missing_header:
      return "missing_header";
    case error_code::malformed_header:
      return "malformed_header";
    case error_code::signature_mismatch:
      return "signature_mismatch";
    case error_code::timestamp_out_of_tolerance:
      return "timestamp_out_of_tolerance";
    case error_code::bad_credentials:
      return "bad_credentials";
    case error_code::invalid_configuration:
      return "invalid_configuration";
    case error_code::method_not_allowed:
      return "method_not_allowed";
    case error_code::unsupported_media_type:
      return "unsupported_media_type";
    case error_code::handler_failed:
      return "handler_failed";
    case error_code::queue_full:
      return "queue_full";
    case error_code::store_unavailable:
      return "store_unavailable";
    case error_code::in_progress:
      return "in_progress";
  }
  return "unknown_error";
}

/// The HTTP status an endpoint answers for each code.
constexpr int http_status(error_code code) noexcept {
  switch (code) {
    case error_code::missing_header:
    case error_code::malformed_header:
    case error_code::signature_mismatch:
    case error_code::timestamp_out_of_tolerance:
    case error_code::bad_credentials:
      return 401;
    case error_code::body_too_large:
      return 413;
    case error_code::method_not_allowed:
      return 405;
    case error_code::unsupported_media_type:
      return 415;
    case error_code::invalid_configuration:
    case error_code::handler_failed:
    case error_code::out_of_memory:
      return 500;
    case error_code::queue_full:
    case error_code::store_unavailable:
    case error_code::in_progress:
      return 503;
    default:
      return 400;
  }
}

/// An error value. `message` never contains a secret or an expected signature.
/// `path` is the JSON path of a body fault (`events[3].data.userId`), empty otherwise.
struct error {
  error_code code{error_code::invalid_json};
  std::string message;
  std::string path;

  /// "events[3].data.userId: expected an integer or a string", or just the message.
  std::string to_string() const {
    return path.empty() ? message : fmt::format("{}: {}", path, message);
  }
  friend bool operator==(const error& a, const error& b) {
    return a.code == b.code && a.message == b.message && a.path == b.path;
  }
  friend bool operator!=(const error& a, const error& b) { return !(a == b); }
};

}  // namespace alm::webhooks

template <>
struct fmt::formatter<alm::webhooks::error_code> : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(alm::webhooks::error_code code, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(alm::webhooks::to_string(code), ctx);
  }
};

template <>
struct fmt::formatter<alm::webhooks::error> : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(const alm::webhooks::error& e, Context& ctx) const {
    if (e.path.empty()) return fmt::format_to(ctx.out(), "{} ({})", e.message, e.code);
    return fmt::format_to(ctx.out(), "{}: {} ({})", e.path, e.message, e.code);
  }
};
