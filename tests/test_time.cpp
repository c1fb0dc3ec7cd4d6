#include "alm/webhooks/time.hpp"

#include <cstdint>
#include <string>

#include "catch.hpp"

using alm::webhooks::date_time;
using alm::webhooks::error_code;
using alm::webhooks::time_form;

namespace {
constexpr std::int64_t k2024_09_27 = 1727414643000;  // 2024-09-27T05:24:03Z
}

TEST_CASE("epoch numbers are told apart by magnitude", "[time]") {
  const auto seconds = date_time::from_epoch_number(1727414643);
  CHECK(seconds.milliseconds_since_epoch() == k2024_09_27);
  CHECK(seconds.form() == time_form::epoch_seconds);

  const auto millis = date_time::from_epoch_number(k2024_09_27);
  CHECK(millis.milliseconds_since_epoch() == k2024_09_27);
  CHECK(millis.form() == time_form::epoch_milliseconds);
  CHECK(seconds == millis);

  // The boundary: 1e11 - 1 is seconds (year 5138), 1e11 is milliseconds (1973).
  CHECK(date_time::from_epoch_number(99'999'999'999).form() == time_form::epoch_seconds);
  CHECK(date_time::from_epoch_number(100'000'000'000).form() == time_form::epoch_milliseconds);
  CHECK(date_time::from_epoch_number(0).milliseconds_since_epoch() == 0);
  CHECK(date_time::from_epoch_number(-86400).milliseconds_since_epoch() == -86'400'000);
}

TEST_CASE("ISO-8601 in every accepted form", "[time]") {
  struct sample {
    const char* text;
    std::int64_t ms;
  };
  const sample samples[] = {
      {"2024-11-08T03:49:52.000Z", 1731037792000},
      {"2024-11-08T03:49:52Z", 1731037792000},
      {"2024-11-08T03:49:52.5Z", 1731037792500},
      {"2024-11-08T03:49:52.123456789Z", 1731037792123},
      {"2024-11-08T05:49:52+02:00", 1731037792000},
      {"2024-11-08T05:49:52.250+0200", 1731037792250},
      {"2024-11-07T22:19:52-05:30", 1731037792000},
      {"2024-11-08t03:49:52z", 1731037792000},
      {"2024-11-08 03:49:52Z", 1731037792000},
      {"1970-01-01T00:00:00Z", 0},
      {"1969-12-31T23:59:59.999Z", -1},
      {"2024-02-29T00:00:00Z", 1709164800000},
      {"2000-02-29T12:00:00Z", 951825600000},
  };
  for (const auto& s : samples) {
    CAPTURE(s.text);
    const auto parsed = date_time::parse_iso8601(s.text);
    REQUIRE(parsed.has_value());
    CHECK(parsed->milliseconds_since_epoch() == s.ms);
    CHECK(parsed->form() == time_form::iso8601);
  }
}

TEST_CASE("malformed ISO-8601 is an invalid_value error", "[time]") {
  const char* bad[] = {"",
                       "2024",
                       "2024-11-08",
                       "2024-11-08T03:49",
                       "2024-11-08T03:49:52",       // no zone
                       "2024-11-08T03:49:52.Z",     // no fraction digits
                       "2024-13-08T03:49:52Z",      // month
                       "2024-11-31T03:49:52Z",      // day
                       "2023-02-29T03:49:52Z",      // not a leap year
                       "1900-02-29T03:49:52Z",      // century rule
                       "2024-11-08T24:00:00Z",      // hour
                       "2024-11-08T03:60:00Z",      // minute
                       "2024-11-08T03:49:52+2:00",  // offset digits
                       "2024-11-08T03:49:52+24:00",
                       "2024-11-08T03:49:52Zjunk",
                       "2024/11/08T03:49:52Z",
                       "yesterday"};
  for (const char* text : bad) {
    CAPTURE(text);
    const auto parsed = date_time::parse_iso8601(text);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.code() == error_code::invalid_value);
    CHECK_FALSE(parsed.error().message.empty());
  }
}

TEST_CASE("parse reads digit strings as epoch numbers and the rest as ISO-8601", "[time]") {
  CHECK(date_time::parse("1727414643")->milliseconds_since_epoch() == k2024_09_27);
  CHECK(date_time::parse("1727414643000")->form() == time_form::epoch_milliseconds);
  CHECK(date_time::parse("2024-09-27T05:24:03Z")->milliseconds_since_epoch() == k2024_09_27);
  CHECK(date_time::parse("-1")->milliseconds_since_epoch() == -1000);
  CHECK_FALSE(date_time::parse("-").has_value());
  CHECK_FALSE(date_time::parse("12a").has_value());
  CHECK_FALSE(date_time::parse("9999999999999999999999").has_value());
}

TEST_CASE("ISO-8601 output is UTC with milliseconds and round-trips", "[time]") {
  CHECK(date_time::from_milliseconds(1731037792000).to_iso8601() == "2024-11-08T03:49:52.000Z");
  CHECK(date_time::from_milliseconds(-1).to_iso8601() == "1969-12-31T23:59:59.999Z");
  CHECK(date_time::from_milliseconds(0).to_iso8601() == "1970-01-01T00:00:00.000Z");
  // Far-future epoch numbers (ALM never sends them) still print without overflow.
  const auto far = date_time::from_milliseconds(INT64_MAX);
  CHECK(far.to_iso8601().size() <= date_time::iso8601_capacity);
  for (std::int64_t ms = -5'000'000'000'000; ms < 5'000'000'000'000; ms += 123'456'789'017) {
    CAPTURE(ms);
    const auto back = date_time::parse_iso8601(date_time::from_milliseconds(ms).to_iso8601());
    REQUIRE(back.has_value());
    CHECK(back->milliseconds_since_epoch() == ms);
  }
}

TEST_CASE("date_time compares instants whatever the form", "[time]") {
  const auto a = date_time::from_epoch_number(1727414643);
  const auto b = date_time::parse_iso8601("2024-09-27T07:24:03+02:00").value();
  CHECK(a == b);
  CHECK_FALSE(a != b);
  CHECK(a < date_time::from_epoch_number(1727414644));
  CHECK(a <= b);
  CHECK(a >= b);
}
