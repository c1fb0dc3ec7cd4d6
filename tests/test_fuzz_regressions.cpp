// Inputs the fuzzers (fuzz/) found to break something, kept so that the fix stays. Each case
// names the target that found it; its input also seeds that target (tests/data/fuzz/ for the
// parser, fuzz/corpus/<target>/ for the others).
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <string>
#include <string_view>

#include "alm/webhooks/endpoint.hpp"
#include "alm/webhooks/json_writer.hpp"
#include "alm/webhooks/parser.hpp"
#include "alm/webhooks/time.hpp"
#include "catch.hpp"
#include "endpoint_support.hpp"

namespace aw = alm::webhooks;

namespace {

std::string read_input(std::string_view name) {
  std::ifstream in(std::string(ALM_WEBHOOKS_TEST_DATA) + "/fuzz/" + std::string(name),
                   std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("fuzz_parser: malformed bodies that used to parse are refused") {
  struct expectation {
    std::string_view file;
    aw::error_code code;
    std::string_view path;
  };
  // Each of these parsed before: the On-Demand iterator skips values it is not asked to read
  // without checking them (an escape in an unknown key, a colon after a skipped string that it
  // took for a key, a malformed number in a field whose wrong type was set aside), and an empty
  // eventName parsed but could not be written back.
  for (const expectation& x : {
           expectation{"bad_escape_in_unknown_key.json", aw::error_code::invalid_json,
                       "\\ateAchuserIdieved"},
           expectation{"colon_after_value.json", aw::error_code::trailing_content, ""},
           expectation{"malformed_number_set_aside.json", aw::error_code::invalid_json,
                       "eventType"},
           expectation{"empty_event_name.json", aw::error_code::invalid_value,
                       "events[0].eventName"},
       }) {
    INFO(x.file);
    aw::parser p;
    const aw::result<aw::delivery> r = p.parse(read_input(x.file));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.code() == x.code);
    CHECK(r.error().path == x.path);
    CHECK_FALSE(r.error().message.empty());
  }
}

TEST_CASE("fuzz_parser: a valid number with a long exponent is valid JSON") {
  // simdjson refuses to convert it; the body is JSON, just not a webhook (it was invalid_json).
  aw::parser p;
  const aw::result<aw::delivery> r = p.parse(read_input("long_exponent_root.json"));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.code() == aw::error_code::unknown_format);
  const aw::result<aw::delivery> nested =
      p.parse(R"({"accountId":1,"events":[],"x":1e-8855555555555555555555})");
  REQUIRE(nested.has_value());
  CHECK(aw::to_json(*nested) == R"({"accountId":1,"events":[]})");
}

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

TEST_CASE("fuzz_endpoint: a batch without accountId is de-duplicated by its eventIds") {
  // The store key was built with memcpy from the empty accountId's null pointer (undefined,
  // reported by UBSan).
  endpoint_test::counting_visitor visitor;
  aw::endpoint ep(visitor, endpoint_test::hmac_verifier());
  const std::string body = R"({"events":[{"eventId":"e-1","eventName":"COURSE_ENROLLMENT"}]})";
  for (int delivery = 0; delivery < 2; ++delivery) {
    endpoint_test::owned_request r = endpoint_test::signed_post(body);
    CHECK(ep.handle(r.view()).status == 200);
  }
  CHECK(visitor.runs() == std::map<std::string, int>{{"e-1", 1}});
}
