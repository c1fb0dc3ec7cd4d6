// The endpoint's whole request handling: method, target and query, headers and body all come
// from the fuzz input (FuzzedDataProvider). Four endpoints: no authentication (bodies reach the
// parser), alm_hmac with the harness signing the body, alm_hmac with only fuzzed headers (and a
// small body limit and a JSON challenge form), and hand-off to a sink that refuses some
// deliveries. Handlers throw for event ids starting with "fail".
//
// Properties: no crash, leak or undefined behaviour; only the statuses the endpoint documents;
// 500 exactly when a handler threw; 503 only from the sink's refusal; every error reply is JSON
// whose code maps to its status; header values never carry CR, LF or NUL; a challenge echoed as
// text holds no control character; the secret never appears unless the request carried it; a
// correctly signed POST of JSON within the limit is never refused authentication.
//
// Input layout (the seeds in the build directory are made this way): the choices below are
// read from the end of the input; from the front come the target, then each header's value
// (and name, when not one of the usual ones), each ended by a backslash and another byte; the
// rest of the input is the body.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "alm/webhooks/endpoint.hpp"
#include "alm/webhooks/signing.hpp"
#include "endpoint_support.hpp"
#include "fuzz_support.hpp"

namespace aw = alm::webhooks;

namespace {

constexpr std::string_view secret = "fuzz-endpoint-secret";

enum class setup : std::uint8_t { open, signed_by_harness, signature_fuzzed, hand_off };
constexpr std::uint8_t setup_count = 4;

constexpr std::array<std::string_view, 6> methods = {"POST", "GET",     "PUT",
                                                     "HEAD", "OPTIONS", "DELETE"};
constexpr std::array<std::string_view, 6> header_names = {
    "Content-Type", "Accept",       "X-ALM-Webhook-Signature",
    "webhook-id",   "content-type", "Content-Length"};

/// Counts handler calls; throws for event ids starting with "fail".
struct visitor {
  bool threw{false};
  std::size_t calls{0};

  void on_unhandled(const aw::event& e, const aw::event_context&) {
    ++calls;
    const std::string_view id = aw::event_id_of(e);
    if (id.substr(0, 4) == "fail") {
      threw = true;
      throw std::runtime_error("handler failed on purpose");
    }
  }
};

/// Takes deliveries of an even body size, refuses the others as a full queue would.
struct sink final : aw::delivery_sink {
  bool refused{false};

  aw::result<void> accept(std::string_view body, const aw::delivery&,
                          std::string_view) noexcept override {
    if (body.size() % 2 == 0) return {};
    refused = true;
    return aw::result<void>(aw::error_code::queue_full, "the queue is full");
  }
};

aw::verifier make(aw::auth_scheme scheme) {
  aw::verifier_options o;
  o.scheme = scheme;
  o.alm_hmac.secrets = {std::string(secret)};
  aw::result<aw::verifier> v = aw::make_verifier(o);
  alm_fuzz::check(v.has_value(), "the fuzz verifier configuration is refused");
  return *v;
}

aw::endpoint_options small_limits() {
  aw::endpoint_options o;
  o.max_body_size = 1024;
  o.challenge.form = aw::challenge_form::json;
  o.challenge.max_length = 64;
  o.require_json_content_type = false;
  return o;
}

struct fixture {
  visitor handlers;
  sink queue;
  aw::endpoint open{handlers, make(aw::auth_scheme::none)};
  aw::endpoint signed_by_harness{handlers, make(aw::auth_scheme::alm_hmac)};
  aw::endpoint signature_fuzzed{handlers, make(aw::auth_scheme::alm_hmac), small_limits()};
  aw::endpoint hand_off{queue, make(aw::auth_scheme::none)};

  const aw::endpoint& of(setup s) const {
    switch (s) {
      case setup::open:
        return open;
      case setup::signed_by_harness:
        return signed_by_harness;
      case setup::signature_fuzzed:
        return signature_fuzzed;
      case setup::hand_off:
        break;
    }
    return hand_off;
  }
};

bool has_byte(std::string_view text, std::string_view bytes) {
  return text.find_first_of(bytes) != std::string_view::npos;
}

void check_error_body(const aw::response& r) {
  alm_fuzz::check(r.content_type == aw::json_content_type, "an error reply that is not JSON");
  simdjson::dom::parser json;
  simdjson::dom::element root;
  alm_fuzz::check(!json.parse(simdjson::padded_string(r.body())).get(root),
                  "an error body that does not parse");
  std::string_view code;
  std::string_view message;
  alm_fuzz::check(!root["error"].get_string().get(code), "an error body without its code");
  alm_fuzz::check(!root["message"].get_string().get(message) || r.status == 500,
                  "an error body without a message");
  bool known = false;
  for (int c = 0; c <= static_cast<int>(aw::error_code::in_progress); ++c) {
    const auto e = static_cast<aw::error_code>(c);
    if (aw::to_string(e) == code) {
      known = true;
      alm_fuzz::check(aw::http_status(e) == r.status, "an error code that maps to another status");
    }
  }
  alm_fuzz::check(known, "an error body with an unknown code");
}

void check_success_body(const aw::response& r) {
  if (r.content_type == aw::text_content_type) {
    // A challenge echoed as text: never a control character (no header or line injection).
    for (const char c : r.body()) {
      const auto u = static_cast<unsigned char>(c);
      alm_fuzz::check(u >= 0x20 && u != 0x7F, "a control character echoed");
    }
    alm_fuzz::check(simdjson::validate_utf8(r.body().data(), r.body().size()),
                    "invalid UTF-8 echoed");
    return;
  }
  simdjson::dom::parser json;
  simdjson::dom::element root;
  alm_fuzz::check(!json.parse(simdjson::padded_string(r.body())).get(root),
                  "a success body that does not parse");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fixture f;
  FuzzedDataProvider in(data, size);
  const auto s = static_cast<setup>(in.ConsumeIntegralInRange<std::uint8_t>(0, setup_count - 1));
  endpoint_test::owned_request owned;
  owned.method = methods[in.ConsumeIntegralInRange<std::size_t>(0, methods.size() - 1)];
  const std::size_t count = in.ConsumeIntegralInRange<std::size_t>(0, 8);

  owned.target = in.ConsumeRandomLengthString(512);
  bool fuzzed_signature = false;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t pick = in.ConsumeIntegralInRange<std::size_t>(0, header_names.size());
    std::string value = in.ConsumeRandomLengthString(1024);
    std::string name = pick < header_names.size() ? std::string(header_names[pick])
                                                  : in.ConsumeRandomLengthString(64);
    fuzzed_signature |= aw::iequals(name, aw::default_signature_header);
    owned.header(std::move(name), std::move(value));
  }
  const bool padded = in.ConsumeBool();
  owned.body = in.ConsumeRemainingBytesAsString();
  if (padded) owned.body.reserve(owned.body.size() + simdjson::SIMDJSON_PADDING);

  if (s == setup::signed_by_harness) {
    owned.header(std::string(aw::default_signature_header), *aw::sign_alm_hmac(secret, owned.body));
  }
  const std::string& method = owned.method;
  const std::string& target = owned.target;
  const std::string& body = owned.body;
  const auto& headers = owned.headers;
  const aw::request_view request = owned.view();

  f.handlers.threw = false;
  f.queue.refused = false;
  const aw::endpoint& ep = f.of(s);
  const aw::response r = ep.handle(request);

  switch (r.status) {
    case 200:
    case 202:
    case 400:
    case 401:
    case 405:
    case 413:
    case 415:
    case 500:
    case 503:
      break;
    default:
      alm_fuzz::check(false, "an undocumented status");
  }
  alm_fuzz::check((r.status == 500) == f.handlers.threw, "500 without a handler failure or back");
  alm_fuzz::check(r.status != 503 || f.queue.refused, "503 without the sink refusing");
  alm_fuzz::check(r.status != 202 || s == setup::hand_off, "202 from an inline endpoint");
  alm_fuzz::check(r.status != 401 || s == setup::signed_by_harness || s == setup::signature_fuzzed,
                  "401 without authentication configured");
  r.for_each_header([](std::string_view name, std::string_view value) {
    alm_fuzz::check(!has_byte(name, std::string_view("\r\n\0", 3)) &&
                        !has_byte(value, std::string_view("\r\n\0", 3)),
                    "a header carries CR, LF or NUL");
  });
  // Unless the request itself carried it (an error path may quote a key of the body).
  bool sent_secret =
      target.find(secret) != std::string::npos || body.find(secret) != std::string::npos;
  for (const auto& [name, value] : headers) {
    sent_secret |=
        name.find(secret) != std::string::npos || value.find(secret) != std::string::npos;
  }
  alm_fuzz::check(sent_secret || r.body().find(secret) == std::string_view::npos,
                  "the secret appears");
  if (r.status >= 400) {
    check_error_body(r);
  } else {
    check_success_body(r);
  }

  // A correctly signed POST of JSON within the limit passes authentication.
  const std::optional<std::string_view> type = request.headers.find("Content-Type");
  if (s == setup::signed_by_harness && method == "POST" && !fuzzed_signature && type &&
      aw::detail::is_json_media_type(*type) && body.size() <= ep.options().max_body_size) {
    alm_fuzz::check(r.status != 401, "a correctly signed request was refused");
  }
  return 0;
}
