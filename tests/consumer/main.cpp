// A consumer of the installed SDK: reads a sample webhook body, verifies its signature and parses
// it, the way a service does. Exits non-zero on any failure; prints the SDK version it was built
// with so the packaging tests can check which headers it saw.
// Usage: consumer <path to legacy-course-enrollment-batch.json>
#include <fmt/core.h>
#include <simdjson.h>
#include <alm/webhooks.hpp>
#include <alm/webhooks/signature.hpp>
#include <cstdio>
#include <string>
#include <string_view>

namespace {

// The alm_hmac test vector: the signature ALM sends for the sample body with this secret.
constexpr std::string_view secret = "alm-shared-secret-2f8c1e";
constexpr std::string_view signature =
    "19233af20123057ce2c4da2f258aecbcc18980597510c9f5891ae4fc8e6a8bf2";

bool signature_matches(std::string_view body) {
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

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: consumer <body.json>\n");
    return 2;
  }
  fmt::print("alm-webhooks {}\n", ALM_WEBHOOKS_VERSION_STRING);

  simdjson::padded_string body;
  if (simdjson::padded_string::load(argv[1]).get(body) != simdjson::SUCCESS) {
    fmt::print(stderr, "cannot read {}\n", argv[1]);
    return 1;
  }
  if (!signature_matches(std::string_view(body.data(), body.size()))) return 1;

  simdjson::ondemand::parser parser;
  simdjson::ondemand::document document;
  simdjson::ondemand::array events;
  if (parser.iterate(body).get(document) != simdjson::SUCCESS ||
      document["events"].get_array().get(events) != simdjson::SUCCESS) {
    fmt::print(stderr, "body is not a batch\n");
    return 1;
  }
  int count = 0;
  for (auto event : events) {
    std::string_view name;
    std::int64_t timestamp = 0;
    if (event["eventName"].get_string().get(name) != simdjson::SUCCESS ||
        event["timestamp"].get_int64().get(timestamp) != simdjson::SUCCESS) {
      fmt::print(stderr, "event {} lacks eventName or timestamp\n", count);
      return 1;
    }
    using alm::webhooks::batch_event_name;
    const auto kind = alm::webhooks::enum_from_string<batch_event_name>(name);
    if (kind != batch_event_name::course_enrollment_batch) {
      fmt::print(stderr, "unexpected event {}\n", name);
      return 1;
    }
    const auto when = alm::webhooks::date_time::from_epoch_number(timestamp);
    fmt::print("{} at {}\n", alm::webhooks::to_string(kind), when.to_iso8601());
    ++count;
  }
  if (count != 1) {
    fmt::print(stderr, "expected 1 event, got {}\n", count);
    return 1;
  }
  fmt::print("verified and parsed {} event\n", count);
  return 0;
}
