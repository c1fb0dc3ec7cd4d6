// alm-webhooks send URL --secret S [FILE|EVENT]
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <httplib.h>

#include <alm/webhooks.hpp>

#include "../command_line.hpp"
#include "../input.hpp"
#include "../samples.hpp"
#include "sign.hpp"

namespace alm_webhooks_cli {

inline constexpr std::string_view send_help =
    R"(usage: alm-webhooks send URL --secret S [--scheme alm_hmac|standard_webhooks]
                         [--encoding hex|base64] [--format asyncapi|batch] [FILE|-|EVENT]

POSTs a signed body to a receiver, as ALM would, and prints the response status, the time it
took and the response body. The body is FILE, standard input (-), or a fresh sample of EVENT
(see: alm-webhooks sample --list); default: a COURSE_ENROLLMENT_BATCH sample.

  URL        http://host:port/path (plain HTTP)
  --secret   the shared secret; default: $ALM_WEBHOOK_SECRET

Exit status: 0 a 2xx answer; 1 any other answer or no answer; 64 bad command line.
)";

/// "http://host:port/path" split into the client's base and the path.
struct http_url {
  std::string base;  ///< "http://host:port"
  std::string path;  ///< "/path?query", "/" when absent
};

inline std::optional<http_url> split_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, scheme.size()) != scheme) return std::nullopt;
  const auto slash = url.find('/', scheme.size());
  http_url parts{std::string(url.substr(0, slash)),
                 slash == std::string_view::npos ? "/" : std::string(url.substr(slash))};
  if (parts.base.size() == scheme.size()) return std::nullopt;
  return parts;
}

/// The body to send: a file, standard input, or a fresh sample of an event name.
inline std::optional<std::string> body_to_send(const command_line& line, std::string_view what) {
  std::error_code ignored;
  if (what == "-" || std::filesystem::is_regular_file(std::string(what), ignored)) {
    return read_body(what);
  }
  const std::string_view format = line.value("format").value_or("");
  auto body = format == "batch" ? std::nullopt : sample_body(what, hooks::body_format::asyncapi);
  if (!body && format != "asyncapi") body = sample_body(what, hooks::body_format::batch);
  if (!body) fmt::print(stderr, "alm-webhooks: {} is neither a file nor a known event\n", what);
  return body;
}

inline int run_send(const command_line& line) {
  const auto secrets = secrets_of(line);
  if (secrets.size() != 1 || line.positional().empty() || line.positional().size() > 2) {
    fmt::print(stderr, "{}", send_help);
    return usage_error;
  }
  const auto url = split_url(line.positional()[0]);
  if (!url) {
    fmt::print(stderr, "alm-webhooks: the URL must look like http://host:port/path\n");
    return usage_error;
  }
  const auto body = body_to_send(
      line, line.positional().size() == 2 ? line.positional()[1] : "COURSE_ENROLLMENT_BATCH");
  if (!body) return 1;
  const auto signature = signature_headers(line, secrets[0], *body);
  if (!signature) {
    fmt::print(stderr, "alm-webhooks: {}\n", signature.error());
    return 1;
  }
  httplib::Headers headers;
  for (const auto& h : *signature) {
    const auto colon = h.find(": ");
    headers.emplace(h.substr(0, colon), h.substr(colon + 2));
  }
  httplib::Client client(url->base);
  client.set_connection_timeout(10);
  client.set_read_timeout(10);
  const auto start = std::chrono::steady_clock::now();
  const auto answer = client.Post(url->path, headers, *body, "application/json");
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  if (!answer) {
    fmt::print(stderr, "alm-webhooks: POST {}{} failed: {}\n", url->base, url->path,
               httplib::to_string(answer.error()));
    return 1;
  }
  fmt::print("POST {}{} -> {} in {:.2f} ms\n{}\n", url->base, url->path, answer->status,
             took.count(), answer->body);
  return answer->status >= 200 && answer->status < 300 ? 0 : 1;
}

}  // namespace alm_webhooks_cli
