// Shared by the fuzz targets: a check that reports what broke and aborts, so that libFuzzer
// keeps the input as a crash.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "alm/webhooks/error.hpp"

namespace alm_fuzz {

/// Aborts with `what` when `condition` is false. Used for properties, not for sanitizer checks.
inline void check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz property violated: %s\n", what);
  std::abort();
}

/// Every error the SDK returns carries a message and a code with a known name.
inline void check_error(const alm::webhooks::error& e) {
  check(!e.message.empty(), "an error without a message");
  check(alm::webhooks::to_string(e.code) != "unknown_error", "an error code without a name");
}

/// `text` does not contain `secret` (secrets must never reach messages).
inline void check_no_secret(std::string_view text, std::string_view secret) {
  check(secret.empty() || text.find(secret) == std::string_view::npos,
        "a secret appears in an error message");
}

}  // namespace alm_fuzz
