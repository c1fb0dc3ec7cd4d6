// Inputs the fuzzers (fuzz/) found to break something, kept so that the fix stays. Each case
// names the target that found it; its input also stays in that target's seed corpus.
#include <cstdint>
#include <limits>
#include <string>

#include "alm/webhooks/time.hpp"
#include "catch.hpp"

namespace aw = alm::webhooks;

TEST_CASE("fuzz_time: instants at the ends of the 64-bit range are written without overflow") {
  constexpr std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t highest = std::numeric_limits<std::int64_t>::max();
  // The fuzzer's input: eight bytes read as -9223372036854775800 ms.
  CHECK(aw::date_time::from_milliseconds(lowest + 8).to_iso8601() ==
        "-292275055-05-16T16:47:04.200Z");
  CHECK(aw::date_time::from_milliseconds(lowest).to_iso8601() == "-292275055-05-16T16:47:04.192Z");
  CHECK(aw::date_time::from_milliseconds(highest).to_iso8601() == "292278994-08-17T07:12:55.807Z");
  // The parser reads such an epoch number from a body; it must format like any other.
  CHECK(aw::date_time::from_epoch_number(lowest).to_iso8601().size() <=
        aw::date_time::iso8601_capacity);
  CHECK(aw::date_time::from_milliseconds(-1).to_iso8601() == "1969-12-31T23:59:59.999Z");
  CHECK(aw::date_time::from_milliseconds(-1000).to_iso8601() == "1969-12-31T23:59:59.000Z");
}
