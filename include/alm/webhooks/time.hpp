// date_time: the one type for every timestamp and date field of both wire formats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "alm/webhooks/result.hpp"

namespace alm::webhooks {

/// The wire form a date_time was read from; the JSON writer writes it back in the same form.
enum class time_form : std::uint8_t {
  epoch_seconds,       ///< a JSON number below 1e11 (before the year 5138)
  epoch_milliseconds,  ///< a JSON number of 1e11 or more
  iso8601,             ///< a string such as "2024-11-08T03:49:52.000Z" or "...+02:00"
};

/// An instant, in milliseconds since 1970-01-01T00:00:00Z, plus the form it came in.
/// Two date_times are equal when they name the same instant, whatever their forms.
/// Trivially copyable; holds no view.
class date_time {
 public:
  /// Numbers below this magnitude are seconds, above it milliseconds: 1e11 s is the year 5138,
  /// 1e11 ms is March 1973, so no date ALM sends is ambiguous.
  static constexpr std::int64_t seconds_limit = 100'000'000'000;

  constexpr date_time() = default;

  /// An instant given in milliseconds; written back as ISO-8601 unless `form` says otherwise.
  static constexpr date_time from_milliseconds(std::int64_t ms,
                                               time_form form = time_form::iso8601) noexcept {
    return date_time(ms, form);
  }
  /// An epoch number as ALM sends it: seconds or milliseconds, told apart by magnitude.
  static constexpr date_time from_epoch_number(std::int64_t value) noexcept {
    const bool seconds = value > -seconds_limit && value < seconds_limit;
    return seconds ? date_time(value * 1000, time_form::epoch_seconds)
                   : date_time(value, time_form::epoch_milliseconds);
  }
  /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm|+hhmm)`; 'T' may also be 't' or a
  /// space, 'Z' may be 'z'. Fractions beyond milliseconds are truncated. Years 0000 to 9999.
  /// A missing zone is an error: the instant would be ambiguous.
  static result<date_time> parse_iso8601(std::string_view text) noexcept;
  /// Reads a string that is either an ISO-8601 date-time or an epoch number in decimal digits.
  static result<date_time> parse(std::string_view text) noexcept;

  constexpr std::int64_t milliseconds_since_epoch() const noexcept { return ms_; }
  constexpr time_form form() const noexcept { return form_; }

  /// Room for the longest output of write_iso8601 (a nine-digit negative year: 30 bytes).
  static constexpr std::size_t iso8601_capacity = 32;
  /// Writes the instant as UTC ISO-8601 with milliseconds ("2024-11-08T03:49:52.000Z") into
  /// `out` (at least iso8601_capacity bytes); returns the length. Does not allocate.
  std::size_t write_iso8601(char* out) const noexcept;
  std::string to_iso8601() const {
    char buffer[iso8601_capacity];
    return std::string(buffer, write_iso8601(buffer));
  }

  friend constexpr bool operator==(date_time a, date_time b) noexcept { return a.ms_ == b.ms_; }
  friend constexpr bool operator!=(date_time a, date_time b) noexcept { return a.ms_ != b.ms_; }
  friend constexpr bool operator<(date_time a, date_time b) noexcept { return a.ms_ < b.ms_; }
  friend constexpr bool operator>(date_time a, date_time b) noexcept { return a.ms_ > b.ms_; }
  friend constexpr bool operator<=(date_time a, date_time b) noexcept { return a.ms_ <= b.ms_; }
  friend constexpr bool operator>=(date_time a, date_time b) noexcept { return a.ms_ >= b.ms_; }

 private:
  constexpr date_time(std::int64_t ms, time_form form) noexcept : ms_(ms), form_(form) {}

  std::int64_t ms_{0};
  time_form form_{time_form::iso8601};
};

namespace detail {

// Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days algorithm, inverted).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil_date {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

constexpr civil_date civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

constexpr bool is_leap_year(std::int64_t y) noexcept {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

constexpr unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : days[m - 1];
}

// Reads exactly `count` decimal digits at `pos`, advancing it; false when they are not there.
constexpr bool read_digits(std::string_view text, std::size_t& pos, std::size_t count,
                           unsigned& out) noexcept {
  if (pos > text.size() || text.size() - pos < count) return false;
  unsigned value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  pos += count;
  out = value;
  return true;
}

inline result<date_time> invalid_date(std::string_view why) {
  return result<date_time>(error_code::invalid_value,
                           std::string("invalid date-time: ").append(why));
}

}  // namespace detail

inline result<date_time> date_time::parse_iso8601(std::string_view text) noexcept {
  std::size_t pos = 0;
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!detail::read_digits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
      !detail::read_digits(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' ||
      !detail::read_digits(text, pos, 2, day)) {
    return detail::invalid_date("expected YYYY-MM-DD");
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return detail::invalid_date("expected 'T' and a time after the date");
  }
  ++pos;
  if (!detail::read_digits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
      !detail::read_digits(text, pos, 2, minute) || pos >= text.size() || text[pos++] != ':' ||
      !detail::read_digits(text, pos, 2, second)) {
    return detail::invalid_date("expected HH:MM:SS");
  }
  if (month < 1 || month > 12 || day < 1 || day > detail::days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return detail::invalid_date("a field is out of range");
  }
  unsigned millis = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    const std::size_t first = pos;
    unsigned scale = 100;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      millis += static_cast<unsigned>(text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == first) return detail::invalid_date("expected digits after the decimal point");
  }
  std::int64_t offset_minutes = 0;
  if (pos >= text.size()) return detail::invalid_date("missing time zone ('Z' or an offset)");
  const char zone = text[pos++];
  if (zone == 'Z' || zone == 'z') {
    // UTC
  } else if (zone == '+' || zone == '-') {
    unsigned oh = 0, om = 0;
    if (!detail::read_digits(text, pos, 2, oh)) return detail::invalid_date("malformed offset");
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (!detail::read_digits(text, pos, 2, om) || oh > 23 || om > 59) {
      return detail::invalid_date("malformed offset");
    }
    offset_minutes = (zone == '+' ? 1 : -1) * static_cast<std::int64_t>(oh * 60 + om);
  } else {
    return detail::invalid_date("missing time zone ('Z' or an offset)");
  }
  if (pos != text.size()) return detail::invalid_date("unexpected characters after the zone");
  const std::int64_t days = detail::days_from_civil(year, month, day);
  const std::int64_t seconds =
      days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return date_time(seconds * 1000 + millis, time_form::iso8601);
}

inline result<date_time> date_time::parse(std::string_view text) noexcept {
  const bool negative = !text.empty() && text[0] == '-';
  const std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() || digits.size() > 18 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return parse_iso8601(text);
  }
  std::int64_t value = 0;
  for (const char c : digits)
    value = value * 10 + (c - '0');
  return from_epoch_number(negative ? -value : value);
}

inline std::size_t date_time::write_iso8601(char* out) const noexcept {
  // Floor division by remainder, so that no step overflows near the ends of the 64-bit range.
  const std::int64_t remainder = ms_ % 1000;
  const std::int64_t floor_seconds = ms_ / 1000 - (remainder < 0 ? 1 : 0);
  const auto millis = static_cast<unsigned>(remainder < 0 ? remainder + 1000 : remainder);
  const std::int64_t days = (floor_seconds >= 0 ? floor_seconds : floor_seconds - 86399) / 86400;
  const auto second_of_day = static_cast<unsigned>(floor_seconds - days * 86400);
  const detail::civil_date date = detail::civil_from_days(days);
  char* p = out;
  auto put = [&p](std::uint64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      p[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    p += width;
  };
  std::int64_t year = date.year;
  if (year < 0) {
    *p++ = '-';
    year = -year;
  }
  int year_width = 4;
  for (std::int64_t rest = year / 10000; rest > 0; rest /= 10)
    ++year_width;
  put(static_cast<std::uint64_t>(year), year_width);
  *p++ = '-';
  put(date.month, 2);
  *p++ = '-';
  put(date.day, 2);
  *p++ = 'T';
  put(second_of_day / 3600, 2);
  *p++ = ':';
  put(second_of_day / 60 % 60, 2);
  *p++ = ':';
  put(second_of_day % 60, 2);
  *p++ = '.';
  put(millis, 3);
  *p++ = 'Z';
  return static_cast<std::size_t>(p - out);
}

}  // namespace alm::webhooks
