// The parser on arbitrary bytes (either wire format). Properties: no crash, leak or undefined
// behaviour; errors are body faults with a message; parsing a copy in place gives the same
// answer as the copying overload on a reused parser; a body that is accepted is grammatical JSON,
// and one that simdjson's DOM parser (which checks everything) accepts is not called malformed;
// whatever parses writes back with to_json into a body that parses again into the same JSON
// (a fixed point); and a batch or a typed AsyncAPI event reads the same through the plain reader
// and simdjson's readers.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "alm/webhooks/detail/json_validate.hpp"
#include "alm/webhooks/json_writer.hpp"
#include "alm/webhooks/parser.hpp"
#include "fuzz_support.hpp"

namespace aw = alm::webhooks;

namespace {

/// The verdicts that say the body is not JSON at all.
bool is_grammar_fault(aw::error_code code) {
  return code == aw::error_code::empty_body || code == aw::error_code::invalid_json ||
         code == aw::error_code::invalid_utf8 || code == aw::error_code::truncated ||
         code == aw::error_code::trailing_content;
}

bool is_body_fault(aw::error_code code) {
  const int status = aw::http_status(code);
  return status == 400 || code == aw::error_code::body_too_large ||
         code == aw::error_code::out_of_memory;
}

void check_same_events(const aw::delivery& a, const aw::delivery& b) {
  alm_fuzz::check(a.format == b.format, "round trip changed the format");
  alm_fuzz::check(a.events.size() == b.events.size(), "round trip changed the event count");
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    alm_fuzz::check(aw::event_id_of(a.events[i]) == aw::event_id_of(b.events[i]),
                    "round trip changed an eventId");
    alm_fuzz::check(a.events[i].index() == b.events[i].index(),
                    "round trip changed an event's type");
    alm_fuzz::check(aw::timestamp_of(a.events[i]) == aw::timestamp_of(b.events[i]),
                    "round trip changed a timestamp");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Reused across inputs, as a server thread reuses its parser.
  static aw::parser reused;
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  const aw::result<aw::delivery> copied = reused.parse(body);

  // The in-place overload on a fresh parser must agree with the copying one.
  std::vector<char> padded(size + simdjson::SIMDJSON_PADDING, '\0');
  if (size != 0) std::memcpy(padded.data(), data, size);
  aw::parser fresh;
  const aw::result<aw::delivery> in_place =
      fresh.parse(std::string_view(padded.data(), size), simdjson::SIMDJSON_PADDING);

  alm_fuzz::check(copied.has_value() == in_place.has_value(),
                  "in-place and copying parses disagree on success");

  static simdjson::dom::parser reference;
  const bool reference_accepts = !reference.parse(padded.data(), size, false).error();
  if (copied) {
    alm_fuzz::check(aw::detail::json_fault(body) == nullptr, "accepted a body that is not JSON");
  } else if (reference_accepts) {
    alm_fuzz::check(!is_grammar_fault(copied.code()), "called valid JSON malformed");
  }
  if (!copied) {
    alm_fuzz::check_error(copied.error());
    alm_fuzz::check(is_body_fault(copied.code()), "a parse error that is not a body fault");
    alm_fuzz::check(copied.error() == in_place.error(),
                    "in-place and copying parses report different errors");
    return 0;
  }

  const std::string written = aw::to_json(*copied);
  alm_fuzz::check(!written.empty(), "to_json wrote nothing");
  alm_fuzz::check(written == aw::to_json(*in_place), "in-place and copying parses differ");

  // A body the plain reader may have taken (a batch, an AsyncAPI event of a known type) must
  // read the same through simdjson's readers, which an unknown first key makes the parser use.
  const std::size_t open = body.find_first_not_of(" \t\r\n");
  const bool typed_asyncapi = copied->format == aw::body_format::asyncapi &&
                              !std::holds_alternative<aw::raw_event>(copied->events[0]);
  if ((copied->format == aw::body_format::batch || typed_asyncapi) &&
      open != std::string_view::npos && body[open] == '{') {
    const std::string detour =
        std::string(body.substr(0, open + 1)) + "\"~\":0," + std::string(body.substr(open + 1));
    aw::parser other;
    const aw::result<aw::delivery> through_simdjson = other.parse(detour);
    alm_fuzz::check(through_simdjson.has_value() && aw::to_json(*through_simdjson) == written,
                    "the plain reader and simdjson's readers disagree");
  }

  aw::parser again;
  const aw::result<aw::delivery> reparsed = again.parse(written);
  if (!reparsed)
    std::fprintf(stderr, "re-parse failed: %s\n", reparsed.error().to_string().c_str());
  alm_fuzz::check(reparsed.has_value(), "to_json output does not parse");
  check_same_events(*copied, *reparsed);
  alm_fuzz::check(aw::to_json(*reparsed) == written, "to_json is not a fixed point");
  return 0;
}
