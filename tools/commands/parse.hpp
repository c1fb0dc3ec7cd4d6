// alm-webhooks parse [--pretty] [FILE|-]
#pragma once

#include <cstdio>

#include <fmt/format.h>

#include <alm/webhooks.hpp>

#include "../command_line.hpp"
#include "../input.hpp"
#include "../normalized_json.hpp"

namespace alm_webhooks_cli {

inline constexpr std::string_view parse_help = R"(usage: alm-webhooks parse [--pretty] [FILE|-]

Reads one webhook body (either format) from FILE or standard input and prints one JSON object
per event (JSON Lines): format, eventId, eventName, accountId, timestampMs, group and, under
data, every typed field with its wire name; each date also as <name>Ms.

  --pretty   a readable one-line summary per event instead

Exit status: 0 parsed; 2 malformed body (the error and its JSON path on stderr, nothing on
stdout); 64 bad command line.
)";

inline int run_parse(const command_line& line) {
  if (line.positional().size() > 1) {
    fmt::print(stderr, "{}", parse_help);
    return usage_error;
  }
  const auto body = read_body(line.positional().empty() ? "-" : line.positional()[0]);
  if (!body) return 1;
  hooks::parser parser;
  const auto parsed = parser.parse(*body);
  if (!parsed) {
    fmt::print(stderr, "alm-webhooks: {}\n", parsed.error());
    return 2;
  }
  fmt::memory_buffer out;
  for (const hooks::event& e : parsed->events) {
    if (line.has("pretty")) {
      fmt::format_to(fmt::appender(out), "{}\n", e);
    } else {
      write_normalized(out, e, *parsed);
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace alm_webhooks_cli
