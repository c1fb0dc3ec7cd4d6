// alm-webhooks sample EVENT [--format asyncapi|batch] | sample --all | sample --list
#pragma once

#include <fmt/format.h>

#include <alm/webhooks.hpp>

#include "../command_line.hpp"
#include "../samples.hpp"

namespace alm_webhooks_cli {

inline constexpr std::string_view sample_help =
    R"(usage: alm-webhooks sample EVENT [--format asyncapi|batch]
       alm-webhooks sample --all
       alm-webhooks sample --list

Prints a realistic body for EVENT: an AsyncAPI eventType (LEARNER_COMPLETION, USER_CREATED,
...) or a batch eventName (COURSE_ENROLLMENT_BATCH, LEARNER_PROGRESS, CI_STATS, ...). Names
that exist in both formats (LEARNER_PROGRESS, LEARNER_COMPLETION, CERTIFICATION_COMPLETED) give
the AsyncAPI body unless --format batch. Every sample has a fresh eventId and the current time.

  --all    one body per line for every known event of both formats
  --list   the known names, with their format

Exit status: 0 printed; 1 unknown event; 64 bad command line.
)";

inline int run_sample(const command_line& line) {
  if (line.has("list")) {
    for (const auto& kind : sample_kinds())
      fmt::print("{} {}\n", kind.name, kind.format);
    return 0;
  }
  if (line.has("all")) {
    for (const auto& kind : sample_kinds())
      fmt::print("{}\n", *sample_body(kind.name, kind.format));
    return 0;
  }
  if (line.positional().size() != 1) {
    fmt::print(stderr, "{}", sample_help);
    return usage_error;
  }
  const std::string_view name = line.positional()[0];
  const std::string_view format = line.value("format").value_or("");
  if (format != "" && format != "asyncapi" && format != "batch") {
    fmt::print(stderr, "alm-webhooks: --format takes asyncapi or batch\n");
    return usage_error;
  }
  auto body = format == "batch" ? std::nullopt : sample_body(name, hooks::body_format::asyncapi);
  if (!body && format != "asyncapi") body = sample_body(name, hooks::body_format::batch);
  if (!body) {
    fmt::print(stderr, "alm-webhooks: no sample named {} (see: alm-webhooks sample --list)\n",
               name);
    return 1;
  }
  fmt::print("{}\n", *body);
  return 0;
}

}  // namespace alm_webhooks_cli
