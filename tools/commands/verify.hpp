// alm-webhooks verify --secret S [--secret S2 ...] --header 'Name: value' ... [FILE|-]
#pragma once

#include <string>
#include <vector>

#include <fmt/format.h>

#include <alm/webhooks.hpp>

#include "../command_line.hpp"
#include "../input.hpp"

namespace alm_webhooks_cli {

inline constexpr std::string_view verify_help =
    R"(usage: alm-webhooks verify [--scheme alm_hmac|standard_webhooks|basic] --secret S
                           [--secret S2 ...] --header 'Name: value' ... [--now SECONDS] [FILE|-]

Checks the signature of the body in FILE (or standard input) against the headers given, as
the SDK's verifier does on a receiver.

  --scheme   alm_hmac (default), standard_webhooks, or basic (--secret user:password)
  --secret   a secret; repeat for rotation (any one matching passes); default: $ALM_WEBHOOK_SECRET
  --header   a received header, "Name: value"; repeat for several
  --now      Unix seconds to check timestamps against (default: the clock)

Exit status: 0 valid; 1 not valid (the reason on stderr); 64 bad command line.
)";

inline hooks::result<hooks::verifier> verifier_for(const command_line& line,
                                                   const std::vector<std::string>& secrets) {
  const std::string_view scheme_name = line.value("scheme").value_or("alm_hmac");
  const auto scheme = hooks::parse_auth_scheme(scheme_name);
  hooks::verifier_options options;
  if (!scheme ||
      (*scheme != hooks::auth_scheme::alm_hmac &&
       *scheme != hooks::auth_scheme::standard_webhooks && *scheme != hooks::auth_scheme::basic)) {
    return hooks::error{hooks::error_code::invalid_configuration,
                        fmt::format("unknown scheme '{}'", scheme_name),
                        {}};
  }
  options.scheme = *scheme;
  for (const auto& secret : secrets) {
    if (*scheme == hooks::auth_scheme::alm_hmac) options.alm_hmac.secrets.push_back(secret);
    if (*scheme == hooks::auth_scheme::standard_webhooks) {
      options.standard_webhooks.secrets.push_back(secret);
    }
    if (*scheme == hooks::auth_scheme::basic) {
      const auto colon = secret.find(':');
      options.basic.credentials.push_back(
          {secret.substr(0, colon), colon == std::string::npos ? "" : secret.substr(colon + 1)});
    }
  }
  if (const auto now = line.value("now")) {
    const auto parsed = hooks::date_time::parse(*now);
    if (!parsed) {
      return hooks::error{hooks::error_code::invalid_configuration, "--now takes Unix seconds", {}};
    }
    const std::int64_t seconds = parsed->milliseconds_since_epoch() / 1000;
    options.clock = [seconds] { return seconds; };
  }
  return hooks::make_verifier(options);
}

inline int run_verify(const command_line& line) {
  const auto secrets = secrets_of(line);
  if (secrets.empty() || line.positional().size() > 1) {
    fmt::print(stderr, "{}", verify_help);
    return usage_error;
  }
  std::vector<hooks::http_header> headers;
  for (const std::string_view h : line.values("header")) {
    const auto colon = h.find(':');
    if (colon == std::string_view::npos) {
      fmt::print(stderr, "alm-webhooks: --header takes 'Name: value'\n");
      return usage_error;
    }
    std::string_view value = h.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    headers.push_back({h.substr(0, colon), value});
  }
  const auto verifier = verifier_for(line, secrets);
  if (!verifier) {
    fmt::print(stderr, "alm-webhooks: {}\n", verifier.error());
    return usage_error;
  }
  const auto body = read_body(line.positional().empty() ? "-" : line.positional()[0]);
  if (!body) return 1;
  const auto verified = verifier->verify(hooks::header_list(headers.data(), headers.size()), *body);
  if (!verified) {
    fmt::print(stderr, "invalid: {}\n", verified.error());
    return 1;
  }
  fmt::print(stderr, "valid: {} signature matched secret #{}\n", verified->scheme,
             verified->key_index + 1);
  return 0;
}

}  // namespace alm_webhooks_cli
