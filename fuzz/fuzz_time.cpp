// The date-time readers on arbitrary text, and the writer on arbitrary instants. Properties:
// no crash or undefined behaviour; errors are invalid_value with a message; an ISO-8601 date
// that reads writes back (as UTC with milliseconds) into text that reads as the same instant;
// the writer stays within iso8601_capacity for every 64-bit instant.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "alm/webhooks/time.hpp"
#include "fuzz_support.hpp"

namespace aw = alm::webhooks;

namespace {

void check_written(aw::date_time t) {
  char text[aw::date_time::iso8601_capacity + 1];
  std::memset(text, 0x7f, sizeof text);
  const std::size_t size = t.write_iso8601(text);
  alm_fuzz::check(size <= aw::date_time::iso8601_capacity, "write_iso8601 overflows its capacity");
  alm_fuzz::check(text[aw::date_time::iso8601_capacity] == 0x7f,
                  "write_iso8601 writes past its capacity");
  alm_fuzz::check(size > 0 && text[size - 1] == 'Z', "write_iso8601 wrote no zone");
}

void check_round_trip(aw::date_time t) {
  check_written(t);
  char text[aw::date_time::iso8601_capacity];
  const std::size_t size = t.write_iso8601(text);
  // Four-digit years read back; others have no ISO-8601 reading here.
  if (size != 24) return;
  const aw::result<aw::date_time> back = aw::date_time::parse_iso8601(std::string_view(text, size));
  alm_fuzz::check(back.has_value(), "write_iso8601 output does not read back");
  alm_fuzz::check(back->milliseconds_since_epoch() == t.milliseconds_since_epoch(),
                  "write_iso8601 output reads back as another instant");
}

void check_read(const aw::result<aw::date_time>& r) {
  if (r) {
    check_round_trip(*r);
    return;
  }
  alm_fuzz::check_error(r.error());
  alm_fuzz::check(r.code() == aw::error_code::invalid_value,
                  "a date error that is not invalid_value");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_read(aw::date_time::parse(text));
  check_read(aw::date_time::parse_iso8601(text));
  if (size >= sizeof(std::int64_t)) {
    std::int64_t value = 0;
    std::memcpy(&value, data, sizeof value);
    check_written(aw::date_time::from_milliseconds(value));
    check_written(aw::date_time::from_epoch_number(value));
  }
  return 0;
}
