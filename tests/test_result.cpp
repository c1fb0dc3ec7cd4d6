#include "alm/webhooks/result.hpp"

#include <string>

#include "catch.hpp"

using alm::webhooks::error;
using alm::webhooks::error_code;
using alm::webhooks::result;

namespace {
result<int> half(int x) {
  if (x % 2 != 0) return result<int>(error_code::invalid_value, "odd", "n");
  return x / 2;
}
}  // namespace

TEST_CASE("result holds a value or an error", "[result]") {
  const auto ok = half(8);
  REQUIRE(ok.has_value());
  REQUIRE(static_cast<bool>(ok));
  CHECK(*ok == 4);
  CHECK(ok.value_or(-1) == 4);

  const auto bad = half(3);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.code() == error_code::invalid_value);
  CHECK(bad.error().message == "odd");
  CHECK(bad.error().to_string() == "n: odd");
  CHECK(bad.value_or(-1) == -1);
}

TEST_CASE("result<void> reports success or an error", "[result]") {
  const result<void> ok;
  CHECK(ok.has_value());
  const result<void> bad(error_code::bad_credentials, "wrong password");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.code() == error_code::bad_credentials);
  CHECK(bad.error().to_string() == "wrong password");
}

TEST_CASE("result moves its value out", "[result]") {
  result<std::string> r(std::string(100, 'x'));
  std::string taken = std::move(r).value();
  CHECK(taken.size() == 100);
}

TEST_CASE("every error code has a name and an HTTP status", "[result]") {
  using alm::webhooks::http_status;
  CHECK(to_string(error_code::wrong_type) == "wrong_type");
  CHECK(http_status(error_code::wrong_type) == 400);
  CHECK(http_status(error_code::signature_mismatch) == 401);
  CHECK(http_status(error_code::method_not_allowed) == 405);
  CHECK(http_status(error_code::body_too_large) == 413);
  CHECK(http_status(error_code::unsupported_media_type) == 415);
  CHECK(http_status(error_code::handler_failed) == 500);
  CHECK(http_status(error_code::queue_full) == 503);
  for (int c = 0; c <= static_cast<int>(error_code::store_unavailable); ++c) {
    const auto code = static_cast<error_code>(c);
    CAPTURE(c);
    CHECK(to_string(code) != "unknown_error");
    const int status = http_status(code);
    CHECK((status >= 400 && status < 600));
  }
}

TEST_CASE("errors format with their path and code", "[result]") {
  const error e{error_code::wrong_type, "expected an integer or a string", "events[3].data.userId"};
  CHECK(fmt::format("{}", e) ==
        "events[3].data.userId: expected an integer or a string (wrong_type)");
  CHECK(fmt::format("{}", error{error_code::empty_body, "the body is empty", {}}) ==
        "the body is empty (empty_body)");
}
