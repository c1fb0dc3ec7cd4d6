// raw_json: JSON text kept as it was sent, for values whose shape the SDK does not type.
#pragma once

#include <string_view>

namespace alm::webhooks {

/// A JSON value as raw text, exactly as it appears in the body (no unescaping). Views the body:
/// valid while the body is.
struct raw_json {
  std::string_view text{};

  constexpr bool present() const noexcept { return !text.empty(); }
  friend constexpr bool operator==(const raw_json& a, const raw_json& b) noexcept {
    return a.text == b.text;
  }
  friend constexpr bool operator!=(const raw_json& a, const raw_json& b) noexcept {
    return a.text != b.text;
  }
};

}  // namespace alm::webhooks
