// alm-webhooks sign --scheme alm_hmac|standard_webhooks --secret S [--encoding hex|base64] [FILE|-]
#pragma once

#include <chrono>
#include <string>

#include <fmt/format.h>

#include <alm/webhooks.hpp>

#include "../command_line.hpp"
#include "../input.hpp"
#include "../samples.hpp"

namespace alm_webhooks_cli {

inline constexpr std::string_view sign_help =
    R"(usage: alm-webhooks sign [--scheme alm_hmac|standard_webhooks] --secret S
                         [--encoding hex|base64] [--id ID] [--timestamp SECONDS] [FILE|-]

Prints the header line(s) a sender adds to the body in FILE (or standard input).

  --scheme     alm_hmac (default): X-ALM-Webhook-Signature, HMAC-SHA256 of the body;
               standard_webhooks: webhook-id, webhook-timestamp, webhook-signature
  --secret     the shared secret (standard_webhooks: whsec_...); default: $ALM_WEBHOOK_SECRET
  --encoding   alm_hmac only: hex (default) or base64
  --id         standard_webhooks only: the message id (default: a fresh msg_... id)
  --timestamp  standard_webhooks only: Unix seconds (default: now)

Exit status: 0 signed; 1 bad secret or unreadable input; 64 bad command line.
)";

/// The header lines for `body`, "Name: value" each, or an error.
inline hooks::result<std::vector<std::string>> signature_headers(const command_line& line,
                                                                 std::string_view secret,
                                                                 std::string_view body) {
  const std::string_view scheme = line.value("scheme").value_or("alm_hmac");
  if (scheme == "alm_hmac") {
    const std::string_view encoding_name = line.value("encoding").value_or("hex");
    if (encoding_name != "hex" && encoding_name != "base64") {
      return hooks::error{hooks::error_code::invalid_configuration,
                          fmt::format("unknown encoding '{}': use hex or base64", encoding_name),
                          {}};
    }
    const auto encoding =
        encoding_name == "hex" ? hooks::signature_encoding::hex : hooks::signature_encoding::base64;
    auto value = hooks::sign_alm_hmac(secret, body, encoding);
    if (!value) return value.error();
    return std::vector<std::string>{fmt::format("{}: {}", hooks::default_signature_header, *value)};
  }
  if (scheme == "standard_webhooks") {
    using namespace std::chrono;
    const std::string id =
        std::string(line.value("id").value_or(fmt::format("msg_{}", detail::random_uuid())));
    std::int64_t timestamp = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
    if (const auto given = line.value("timestamp")) {
      const auto parsed = hooks::date_time::parse(*given);
      if (!parsed || parsed->form() != hooks::time_form::epoch_seconds) {
        return hooks::error{
            hooks::error_code::invalid_configuration, "--timestamp takes Unix seconds", {}};
      }
      timestamp = parsed->milliseconds_since_epoch() / 1000;
    }
    auto signed_headers = hooks::sign_standard_webhooks(secret, id, timestamp, body);
    if (!signed_headers) return signed_headers.error();
    return std::vector<std::string>{
        fmt::format("{}: {}", hooks::standard_webhooks_id_header, signed_headers->id),
        fmt::format("{}: {}", hooks::standard_webhooks_timestamp_header, signed_headers->timestamp),
        fmt::format("{}: {}", hooks::standard_webhooks_signature_header,
                    signed_headers->signature)};
  }
  return hooks::error{hooks::error_code::invalid_configuration,
                      fmt::format("unknown scheme '{}': use alm_hmac or standard_webhooks", scheme),
                      {}};
}

inline int run_sign(const command_line& line) {
  const auto secrets = secrets_of(line);
  if (secrets.size() != 1 || line.positional().size() > 1) {
    fmt::print(stderr, "{}", sign_help);
    return usage_error;
  }
  const auto body = read_body(line.positional().empty() ? "-" : line.positional()[0]);
  if (!body) return 1;
  const auto headers = signature_headers(line, secrets[0], *body);
  if (!headers) {
    fmt::print(stderr, "alm-webhooks: {}\n", headers.error());
    return 1;
  }
  for (const auto& h : *headers)
    fmt::print("{}\n", h);
  return 0;
}

}  // namespace alm_webhooks_cli
