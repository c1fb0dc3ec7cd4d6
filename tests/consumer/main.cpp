// A consumer of the packaged SDK: reads a sample webhook body, verifies its signature and parses
// it, the way a service does. Exits non-zero on any failure; prints the SDK version it was built
// with so the packaging tests can check which headers it saw.
// Usage: consumer <path to legacy-course-enrollment-batch.json>
#include <fmt/core.h>
#include <simdjson.h>

#include <alm/webhooks.hpp>
#include <string>
#include <string_view>
#include <variant>

namespace {

// The alm_hmac test vector: the signature ALM sends for the sample body with this secret.
constexpr std::string_view secret = "alm-shared-secret-2f8c1e";
constexpr std::string_view signature =
    "19233af20123057ce2c4da2f258aecbcc18980597510c9f5891ae4fc8e6a8bf2";

bool verified(std::string_view body) {
  alm::webhooks::verifier_options options;
  options.alm_hmac.secrets = {std::string(secret)};
  auto verifier = alm::webhooks::make_verifier(options);
  if (!verifier) {
    fmt::print(stderr, "verifier: {}\n", verifier.error().message);
    return false;
  }
  const alm::webhooks::http_header headers[] = {
      {alm::webhooks::default_signature_header, signature}};
  const auto checked = verifier->verify(alm::webhooks::header_list(headers, 1), body);
  if (!checked) fmt::print(stderr, "signature: {}\n", checked.error().message);
  return static_cast<bool>(checked);
}

// The sample carries one course enrollment of user 4279332 in course:7374992. The padded body is
// parsed in place, the zero-copy path a service takes.
bool parsed(simdjson::padded_string_view body) {
  alm::webhooks::parser parser;
  const auto delivery = parser.parse(body);
  if (!delivery) {
    fmt::print(stderr, "parse: {} at {}\n", delivery.error().message, delivery.error().path);
    return false;
  }
  if (delivery->format != alm::webhooks::body_format::batch || delivery->events.size() != 1) {
    fmt::print(stderr, "expected a batch of one event, got {} events\n", delivery->events.size());
    return false;
  }
  const auto* enrollment = std::get_if<alm::webhooks::batch_enrollment>(&delivery->events[0]);
  if (enrollment == nullptr || enrollment->data.user_id.as_int64() != 4279332 ||
      enrollment->data.lo_id != "course:7374992" || !enrollment->timestamp) {
    fmt::print(stderr, "the event is not the sample's course enrollment\n");
    return false;
  }
  fmt::print("account {}: {} of user {} in {} at {}\n", delivery->account_id.text,
             enrollment->event_name.text, enrollment->data.user_id.text, enrollment->data.lo_id,
             enrollment->timestamp->to_iso8601());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: consumer <body.json>\n");
    return 2;
  }
  fmt::print("alm-webhooks {}\n", ALM_WEBHOOKS_VERSION_STRING);

  simdjson::padded_string body;
  if (simdjson::padded_string::load(argv[1]).get(body) != simdjson::SUCCESS) {
    fmt::print(stderr, "cannot read {}\n", argv[1]);
    return 1;
  }
  if (!verified(std::string_view(body.data(), body.size())) || !parsed(body)) return 1;
  fmt::print("verified and parsed\n");
  return 0;
}
