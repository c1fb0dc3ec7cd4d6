// Hostile bodies and requests, as anyone on the internet can send them: each gets a clear error
// (a code, a message, the path where one applies) and the right HTTP status, and nothing else:
// no crash, no exception, no handler run, nothing unsafe echoed. Checked on the parser alone and
// through the endpoint.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "alm/webhooks/endpoint.hpp"
#include "alm/webhooks/parser.hpp"
#include "catch.hpp"
#include "endpoint_support.hpp"

namespace aw = alm::webhooks;
using aw::error_code;
using endpoint_test::counting_visitor;
using endpoint_test::owned_request;
using endpoint_test::signed_post;

namespace {

std::string read_fixture(const std::string& relative) {
  std::ifstream in(std::string(ALM_WEBHOOKS_TEST_DATA) + "/" + relative, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const std::vector<std::string>& fixture_names() {
  static const std::vector<std::string> names = {"batch/enrollment.json",
                                                 "batch/completion.json",
                                                 "batch/progress.json",
                                                 "batch/unenrollment.json",
                                                 "batch/ci_stats.json",
                                                 "batch/learning_object.json",
                                                 "batch/learning_object_instance.json",
                                                 "batch/user_group_response.json",
                                                 "batch/unknown_event.json",
                                                 "asyncapi/learner_enrollment.json",
                                                 "asyncapi/learner_progress.json",
                                                 "asyncapi/course_created.json",
                                                 "asyncapi/badge_awarded.json",
                                                 "asyncapi/user_deleted.json",
                                                 "legacy-course-enrollment-batch.json"};
  return names;
}

/// The parser's verdict on `body`, which must be an error with a message.
aw::error parse_error(std::string_view body, aw::parser_options options = {}) {
  aw::parser p(options);
  const aw::result<aw::delivery> r = p.parse(body);
  REQUIRE_FALSE(r.has_value());
  CHECK_FALSE(r.error().message.empty());
  return r.error();
}

void expect_error(std::string_view body, error_code code, std::string_view path = {},
                  aw::parser_options options = {}) {
  INFO("body: " << std::string(body.substr(0, 160)));
  const aw::error e = parse_error(body, options);
  INFO("error: " << e.to_string());
  CHECK(e.code == code);
  CHECK(e.path == path);
  CHECK(aw::http_status(e.code) == (code == error_code::body_too_large ? 413 : 400));
}

std::string repeated(std::string_view piece, std::size_t count) {
  std::string out;
  out.reserve(piece.size() * count);
  for (std::size_t i = 0; i < count; ++i)
    out.append(piece);
  return out;
}

/// A batch of one event named `name`, with `data` spliced in as raw JSON text.
std::string batch_with_data(std::string_view name, std::string_view data) {
  return std::string(R"({"accountId":1010,"events":[{"eventId":"e-1","eventName":")")
      .append(name)
      .append(R"(","timestamp":1727414643000,"data":)")
      .append(data)
      .append("}]}");
}

/// A batch of one COURSE_ENROLLMENT whose entry ends with `member` ("key":value).
std::string batch_with_member(std::string_view member) {
  return std::string(R"({"accountId":1010,"events":[{"eventId":"e-1","eventName":")"
                     R"(COURSE_ENROLLMENT","timestamp":1727414643000,)")
      .append(member)
      .append("}]}");
}

/// An AsyncAPI learner progress event whose object ends with `member`.
std::string asyncapi_with_member(std::string_view member) {
  return std::string(R"({"eventType":"LEARNER_PROGRESS","eventId":"a-1","accountId":"1010",)"
                     R"("timestamp":"2024-11-08T03:49:52.000Z",)")
      .append(member)
      .append("}");
}

// ---- The endpoint ----------------------------------------------------------------------------

/// An endpoint over a counting visitor, every error it answers recorded.
struct receiver {
  counting_visitor visitor;
  std::vector<aw::error> logged;
  aw::endpoint ep;

  explicit receiver(aw::endpoint_options options = {})
      : ep(visitor, endpoint_test::hmac_verifier(), logging(std::move(options))) {}

  aw::endpoint_options logging(aw::endpoint_options options) {
    options.on_error = [this](const aw::error& e) { logged.push_back(e); };
    return options;
  }
  aw::response send(owned_request request) { return ep.handle(request.view()); }
};

struct error_reply {
  std::string code;
  std::string message;
};

/// Checks that `r` is a JSON error reply with `status` and `code`, and returns its fields.
error_reply expect_reply(const aw::response& r, int status, error_code code) {
  INFO("status " << r.status << ", body " << std::string(r.body().substr(0, 300)));
  CHECK(r.status == status);
  CHECK(r.content_type == aw::json_content_type);
  CHECK(r.body().size() < 1024);  // short: nothing of the request is reflected in bulk
  simdjson::dom::parser json;
  simdjson::dom::element root;
  REQUIRE_FALSE(json.parse(simdjson::padded_string(r.body())).get(root));
  std::string_view text;
  error_reply reply;
  REQUIRE_FALSE(root["error"].get_string().get(text));
  reply.code = std::string(text);
  REQUIRE_FALSE(root["message"].get_string().get(text));
  reply.message = std::string(text);
  CHECK(reply.code == aw::to_string(code));
  CHECK_FALSE(reply.message.empty());
  return reply;
}

/// A signed POST of `body` must get 400 with `code`, and reach no handler.
void expect_refused_body(receiver& rx, std::string body, error_code code) {
  expect_reply(rx.send(signed_post(std::move(body))), 400, code);
  CHECK(rx.visitor.runs().empty());
}

owned_request challenge_get(std::string query, std::string_view accept = {}) {
  owned_request r;
  r.method = "GET";
  r.target = "/alm?" + std::move(query);
  if (!accept.empty()) r.header("Accept", std::string(accept));
  return r;
}

owned_request challenge_post(std::string body) {
  owned_request r;
  r.header("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

/// Every header the response sets, as "name: value" lines.
std::string header_lines(const aw::response& r) {
  std::string out = "Content-Type: " + std::string(r.content_type) + "\n";
  r.for_each_header([&](std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\n");
  });
  return out;
}

/// The value of the JSON echo `{"challenge":"..."}`, which must be an object of that one member.
std::string json_echo_value(const aw::response& r) {
  simdjson::dom::parser json;
  simdjson::dom::object root;
  REQUIRE_FALSE(json.parse(simdjson::padded_string(r.body())).get(root));
  REQUIRE(root.size() == 1);
  std::string_view value;
  REQUIRE_FALSE(root["challenge"].get_string().get(value));
  return std::string(value);
}

}  // namespace

// ---- Nesting ----------------------------------------------------------------------------------

TEST_CASE("nesting 10,000 deep is too_deep wherever it hides", "[hostile][parser]") {
  const std::string open(10000, '[');
  const std::string close(10000, ']');
  const std::string arrays = open + close;
  std::string objects = repeated(R"({"a":)", 10000) + "1" + std::string(10000, '}');

  expect_error(arrays, error_code::too_deep);
  expect_error(open, error_code::too_deep);  // unclosed as well
  expect_error(objects, error_code::too_deep, "a");
  expect_error(batch_with_data("SOMETHING_NEW", arrays), error_code::too_deep, "events[0].data");
  expect_error(batch_with_data("COURSE_ENROLLMENT", R"({"userId":1,"extra":)" + arrays + "}"),
               error_code::too_deep, "events[0].data.extra");
  expect_error(batch_with_member(R"("unknown":)" + objects), error_code::too_deep,
               "events[0].unknown");
  expect_error(asyncapi_with_member(R"("learner":)" + arrays), error_code::too_deep, "learner");
  // An event that is an array, however deep, is not an event.
  expect_error(R"({"events":)" + arrays + "}", error_code::wrong_type, "events[0]");
  // A lower configured limit holds too.
  aw::parser_options shallow;
  shallow.max_depth = 4;
  expect_error(batch_with_data("SOMETHING_NEW", "[[[]]]"), error_code::too_deep, "events[0].data",
               shallow);
}

TEST_CASE("a 10,000-deep signed body gets 400 too_deep at the endpoint", "[hostile][endpoint]") {
  receiver rx;
  expect_refused_body(
      rx, batch_with_data("SOMETHING_NEW", std::string(10000, '[') + std::string(10000, ']')),
      error_code::too_deep);
}

// ---- Size -------------------------------------------------------------------------------------

TEST_CASE("a 100 MB body gets 413 without being authenticated or parsed", "[hostile][endpoint]") {
  receiver rx;
  // Unsigned and deeply nested: a 413 (not 401, not 400) shows that neither the verifier nor
  // the parser looked at it.
  owned_request huge;
  huge.header("Content-Type", "application/json");
  huge.body.assign(100u * 1024 * 1024, '[');
  const aw::response r = rx.send(std::move(huge));
  const error_reply reply = expect_reply(r, 413, error_code::body_too_large);
  CHECK(reply.message.find("1048576") != std::string::npos);  // names the limit
  REQUIRE(rx.logged.size() == 1);
  CHECK(rx.logged[0].code == error_code::body_too_large);
  CHECK(rx.visitor.runs().empty());

  // One byte over a configured limit is refused; the limit itself is not.
  aw::endpoint_options small;
  small.max_body_size = 64;
  receiver tight(small);
  std::string fits = endpoint_test::batch_body({});
  fits.append(64 - fits.size(), ' ');
  CHECK(tight.send(signed_post(fits)).status == 200);
  expect_reply(tight.send(signed_post(fits + " ")), 413, error_code::body_too_large);
}

TEST_CASE("more events than max_events is body_too_large", "[hostile][parser]") {
  aw::parser_options options;
  options.max_events = 3;
  std::vector<std::string> ids = {"1", "2", "3"};
  aw::parser p(options);
  CHECK(p.parse(endpoint_test::batch_body(ids)).has_value());
  ids.push_back("4");
  expect_error(endpoint_test::batch_body(ids), error_code::body_too_large, "events", options);
}

// ---- Strings ----------------------------------------------------------------------------------

TEST_CASE("a million escapes in a string are decoded, or refused at the first bad one",
          "[hostile][parser]") {
  constexpr std::size_t million = 1000000;
  aw::parser p;
  SECTION("in a known field: decoded in full") {
    const std::string body = R"({"accountId":1010,"events":[{"eventId":")" +
                             repeated("\\n", million) +
                             R"(","eventName":"COURSE_ENROLLMENT","data":{"userId":1,"loId":")" +
                             repeated("\\u00e9", million) + R"("}}]})";
    const aw::result<aw::delivery> d = p.parse(body);
    REQUIRE(d.has_value());
    REQUIRE(d->events.size() == 1);
    const std::string_view id = aw::event_id_of(d->events[0]);
    CHECK(id.size() == million);
    CHECK(id.find_first_not_of('\n') == std::string_view::npos);
    const auto& e = std::get<aw::batch_enrollment>(d->events[0]);
    CHECK(e.data.lo_id.size() == 2 * million);  // U+00E9 is two bytes of UTF-8
  }
  SECTION("in an unknown field: checked, then ignored") {
    CHECK(p.parse(batch_with_member(R"("note":")" + repeated("\\\"", million) + "\"")));
  }
  SECTION("a bad escape or lone surrogate at the end fails with the field's path") {
    const std::string many = repeated("\\t", million);
    expect_error(batch_with_member(R"("note":")" + many + R"(\x")"), error_code::invalid_json,
                 "events[0].note");
    expect_error(batch_with_member(R"("note":")" + many + R"(\ud800")"), error_code::invalid_json,
                 "events[0].note");
    expect_error(batch_with_data("SOMETHING_NEW", R"({"a":")" + many + R"(\q"})"),
                 error_code::invalid_json, "events[0].data");
    const aw::error e =
        parse_error(R"({"accountId":1010,"events":[{"eventId":")" + many + R"(\ud800"}]})");
    CHECK(e.code == error_code::invalid_json);
  }
}

TEST_CASE("a million escapes reach the endpoint's size limit first", "[hostile][endpoint]") {
  const std::string body =
      endpoint_test::batch_body({"a" + repeated("\\n", 1000000)});  // two million bytes
  receiver rx;
  expect_reply(rx.send(signed_post(body)), 413, error_code::body_too_large);
  aw::endpoint_options roomy;
  roomy.max_body_size = 4u * 1024 * 1024;
  receiver large(roomy);
  CHECK(large.send(signed_post(body)).status == 200);
  CHECK(large.visitor.runs().size() == 1);
}

// ---- Numbers ----------------------------------------------------------------------------------

TEST_CASE("numbers beyond 64 bits: out of range where a number is read, kept as text in ids",
          "[hostile][parser]") {
  const std::string head = R"({"accountId":1010,"events":[{"eventId":"e-1","eventName":")";
  expect_error(head + R"(X","timestamp":18446744073709551616}]})", error_code::number_out_of_range,
               "events[0].timestamp");
  expect_error(head + R"(X","timestamp":-9223372036854775809}]})", error_code::number_out_of_range,
               "events[0].timestamp");
  expect_error(
      batch_with_data("LEARNER_PROGRESS", R"({"userId":1,"progressPercent":99999999999999999999})"),
      error_code::number_out_of_range, "events[0].data.progressPercent");
  expect_error(batch_with_data("LEARNER_PROGRESS", R"({"userId":1,"progressPercent":101})"),
               error_code::number_out_of_range, "events[0].data.progressPercent");
  expect_error(batch_with_data("LEARNER_PROGRESS", R"({"userId":1,"progressPercent":1e400})"),
               error_code::wrong_type, "events[0].data.progressPercent");

  // Identifiers are opaque: a long number is kept exactly as sent, never rounded.
  const std::string big = "123456789012345678901234567890";
  aw::parser p;
  const aw::result<aw::delivery> d = p.parse(
      R"({"accountId":)" + big + R"(,"events":[{"eventId":)" + big + R"(,"eventName":"X"}]})");
  REQUIRE(d.has_value());
  CHECK(d->account_id.text == big);
  CHECK(d->account_id.is_number);
  CHECK_FALSE(d->account_id.as_int64().has_value());
  CHECK(aw::event_id_of(d->events[0]) == big);
}

TEST_CASE("NaN and Infinity are not JSON, wherever they appear", "[hostile][parser]") {
  for (const std::string literal : {"NaN", "Infinity", "-Infinity", "nan", "inf", "+1", "0x10"}) {
    INFO(literal);
    expect_error(batch_with_member(R"("timestamp2":)" + literal), error_code::invalid_json,
                 "events[0].timestamp2");
    expect_error(asyncapi_with_member(R"("progressPercent":)" + literal), error_code::invalid_json,
                 "progressPercent");
    expect_error(batch_with_member(R"("unknown":{"nested":[1,)" + literal + "]}"),
                 error_code::invalid_json, "events[0].unknown");
    expect_error(batch_with_data("SOMETHING_NEW", R"({"value":)" + literal + "}"),
                 error_code::invalid_json, "events[0].data");
    expect_error(asyncapi_with_member(R"("extra":[)" + literal + "]"), error_code::invalid_json,
                 "extra");
  }
  receiver rx;
  expect_refused_body(rx, batch_with_data("SOMETHING_NEW", R"({"value":NaN})"),
                      error_code::invalid_json);
}

TEST_CASE("JSON that On-Demand would skip unchecked is refused", "[hostile][parser]") {
  // Malformed content inside values the parser does not read: each was accepted before the
  // grammar check (fuzz_parser found the unknown-key escape and the colon after a value).
  for (const std::string data :
       {R"({"a":1,})", R"([1 2])", R"({"a" 1})", R"({"a":tru})", R"({"a":[1}])", R"({"a":"\q"})",
        R"(["\u12"])", R"([01])", R"({1:2})", R"({"a":1}})"}) {
    INFO(data);
    const aw::error e = parse_error(batch_with_data("SOMETHING_NEW", data));
    CHECK((e.code == error_code::invalid_json || e.code == error_code::trailing_content));
  }
  expect_error(R"({"accountId":1010,"events":[],"\q":1})", error_code::invalid_json, "\\q");
  const aw::error colon = parse_error(
      R"({"events":[{"eventId":"1","eventName":"X","t":"a":"b"}},{"eventId":"2","eventName":"X"}]})");
  CHECK((colon.code == error_code::invalid_json || colon.code == error_code::trailing_content));
  expect_error(R"({"eventType":0505,"events":[]})", error_code::invalid_json, "eventType");
}

// ---- Bytes ------------------------------------------------------------------------------------

TEST_CASE("invalid and overlong UTF-8 is invalid_utf8", "[hostile][parser]") {
  const std::vector<std::string> sequences = {
      "\xC0\xAF",              // overlong '/'
      "\xE0\x80\xAF",          // overlong '/', three bytes
      "\xF0\x80\x80\xAF",      // overlong '/', four bytes
      "\xED\xA0\x80",          // a UTF-16 surrogate encoded as UTF-8
      "\xF4\x90\x80\x80",      // beyond U+10FFFF
      "\xF8\x88\x80\x80\x80",  // a five-byte form
      "\xFF",                  // never valid
      "\xE2\x82",              // cut short
      "\x80",                  // a lone continuation byte
  };
  for (const std::string& bad : sequences) {
    INFO("bytes of size " << bad.size());
    expect_error(batch_with_member(R"("eventInfo2":")" + bad + "\""), error_code::invalid_utf8);
    expect_error(R"({"accountId":")" + bad + R"(","events":[]})", error_code::invalid_utf8);
    expect_error(batch_with_data("SOMETHING_NEW", "{\"" + bad + "\":1}"), error_code::invalid_utf8);
  }
  receiver rx;
  expect_refused_body(rx, batch_with_member("\"x\":\"\xC0\xAF\""), error_code::invalid_utf8);
}

TEST_CASE("NUL bytes are refused unless escaped", "[hostile][parser]") {
  using namespace std::string_literals;
  expect_error(R"({"accountId":"a)"s + '\0' + R"(b","events":[]})", error_code::invalid_json);
  expect_error(batch_with_data("SOMETHING_NEW", "{\"a\":\"\0\"}"s), error_code::invalid_json);
  expect_error("{\"events\":[]\0}"s, error_code::invalid_json);
  expect_error("{\"events\":[]}\0"s, error_code::trailing_content);
  expect_error(std::string(16, '\0'), error_code::invalid_json);
  // Escaped, a NUL is an ordinary character of the string.
  aw::parser p;
  const aw::result<aw::delivery> d = p.parse(R"({"accountId":"a\u0000b","events":[]})");
  REQUIRE(d.has_value());
  CHECK(d->account_id.text == "a\0b"s);
}

TEST_CASE("a byte order mark is refused with a message that says so", "[hostile][parser]") {
  const aw::error e = parse_error("\xEF\xBB\xBF" + endpoint_test::batch_body({"1"}));
  CHECK(e.code == error_code::invalid_json);
  CHECK(e.message.find("byte order mark") != std::string::npos);
  receiver rx;
  expect_refused_body(rx, "\xEF\xBB\xBF" + endpoint_test::batch_body({"1"}),
                      error_code::invalid_json);
}

// ---- Keys -------------------------------------------------------------------------------------

TEST_CASE("a known key twice, with conflicting types, is duplicate_key", "[hostile][parser]") {
  const std::string event = R"({"accountId":1010,"events":[{"eventName":"COURSE_ENROLLMENT",)";
  expect_error(event + R"("eventId":"a","eventId":5}]})", error_code::duplicate_key,
               "events[0].eventId");
  expect_error(event + R"("eventId":"a","timestamp":1,"timestamp":"2024-01-01T00:00:00Z"}]})",
               error_code::duplicate_key, "events[0].timestamp");
  expect_error(event + R"("eventId":"a","timestamp":1,"eventTime":{}}]})",
               error_code::duplicate_key, "events[0].eventTime");
  expect_error(event + R"("eventId":"a","data":{},"eventData":[]}]})", error_code::duplicate_key,
               "events[0].eventData");
  expect_error(R"({"events":[],"events":{}})", error_code::duplicate_key, "events");
  expect_error(R"({"accountId":1,"accountId":"1","events":[]})", error_code::duplicate_key,
               "accountId");
  expect_error(R"({"eventType":"COURSE_CREATED","eventId":"1","eventId":[1],"accountId":"1",)"
               R"("timestamp":1})",
               error_code::duplicate_key, "eventId");
  expect_error(batch_with_data("COURSE_ENROLLMENT", R"({"userId":1,"userId":"u-1"})"),
               error_code::duplicate_key, "events[0].data.userId");
  // A duplicate that is also malformed is reported as malformed.
  expect_error(R"({"accountId":1,"accountId":[1 2],"events":[]})", error_code::invalid_json,
               "accountId");
  // Unknown keys may repeat: they are ignored.
  aw::parser p;
  CHECK(p.parse(batch_with_member(R"("x":1,"x":"one","x":{})")));
}

TEST_CASE("a required field sent empty is invalid_value", "[hostile][parser]") {
  // fuzz_parser: an empty eventName parsed, but to_json left it out and the result did not parse.
  expect_error(R"({"events":[{"eventId":"1","eventName":""}]})", error_code::invalid_value,
               "events[0].eventName");
  expect_error(R"({"events":[{"eventId":"","eventName":"X"}]})", error_code::invalid_value,
               "events[0].eventId");
  expect_error(R"({"eventType":"COURSE_CREATED","eventId":"","accountId":"1","timestamp":1})",
               error_code::invalid_value, "eventId");
  expect_error(R"({"eventType":"SOMETHING_NEW","eventId":"1","accountId":"","timestamp":1})",
               error_code::invalid_value, "accountId");
}

// ---- Truncation -------------------------------------------------------------------------------

TEST_CASE("every truncation of a valid body is truncated (or empty), never accepted",
          "[hostile][parser]") {
  aw::parser p;
  std::size_t checked = 0;
  for (const std::string& name : fixture_names()) {
    const std::string body = read_fixture(name);
    REQUIRE(p.parse(body).has_value());
    const std::size_t end = body.find_last_of('}');
    for (std::size_t n = 0; n <= end; ++n) {
      const aw::result<aw::delivery> r = p.parse(std::string_view(body).substr(0, n));
      if (r || r.code() != (n == 0 ? error_code::empty_body : error_code::truncated)) {
        INFO(name << " cut to " << n << " bytes");
        CHECK_FALSE(r.has_value());
        CHECK(r.code() == (n == 0 ? error_code::empty_body : error_code::truncated));
      }
      ++checked;
    }
  }
  CHECK(checked > 5000);
}

TEST_CASE("every truncation of a signed body fails authentication at the endpoint",
          "[hostile][endpoint]") {
  receiver rx;
  const std::string body = read_fixture("batch/enrollment.json");
  const std::string signature = endpoint_test::sign(body);
  std::size_t refused = 0;
  for (std::size_t n = 0; n < body.size(); ++n) {
    owned_request r;
    r.header("Content-Type", "application/json").header("X-ALM-Webhook-Signature", signature);
    r.body = body.substr(0, n);
    const aw::response answer = rx.send(std::move(r));
    refused += answer.status == 401 ? 1 : 0;
  }
  CHECK(refused == body.size());
  CHECK(rx.visitor.runs().empty());
  // Signed as cut (a sender that cuts, then signs), each is a 400 truncated.
  for (std::size_t n = 1; n + 1 < body.find_last_of('}'); n += 7) {
    expect_refused_body(rx, body.substr(0, n), error_code::truncated);
  }
}

// ---- Headers ----------------------------------------------------------------------------------

TEST_CASE("authentication headers of 1 MB are refused on their length", "[hostile][endpoint]") {
  const std::string mega(1024 * 1024, 'a');
  const std::string body = endpoint_test::batch_body({"1"});
  receiver rx;
  for (const std::string& value :
       {mega, "sha256=" + mega, repeated(", ", 512 * 1024), repeated("sha256=00 ", 100000)}) {
    owned_request r;
    r.header("Content-Type", "application/json").header("X-ALM-Webhook-Signature", value);
    r.body = body;
    const error_reply reply =
        expect_reply(rx.send(std::move(r)), 401, error_code::malformed_header);
    CHECK(reply.message.find("8192") != std::string::npos);
  }
  // Many signatures within the limit cost one HMAC each at most, and still fail cleanly.
  owned_request many;
  many.header("Content-Type", "application/json")
      .header("X-ALM-Webhook-Signature", repeated("sha256=" + std::string(64, '0') + " ", 110));
  many.body = body;
  expect_reply(rx.send(std::move(many)), 401, error_code::signature_mismatch);
  CHECK(rx.visitor.runs().empty());

  // The other schemes refuse the same way.
  for (const auto scheme : {aw::auth_scheme::standard_webhooks, aw::auth_scheme::basic}) {
    aw::verifier_options o;
    o.scheme = scheme;
    o.standard_webhooks.secrets = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"};
    o.basic.credentials = {{"alm", "a-password"}};
    aw::result<aw::verifier> v = aw::make_verifier(o);
    REQUIRE(v.has_value());
    counting_visitor visitor;
    aw::endpoint ep(visitor, *v);
    owned_request r;
    r.header("Content-Type", "application/json")
        .header("Authorization", "Basic " + mega)
        .header("webhook-id", mega)
        .header("webhook-timestamp", "1700000000")
        .header("webhook-signature", "v1," + mega);
    r.body = body;
    expect_reply(ep.handle(r.view()), 401, error_code::malformed_header);
  }
}

// ---- The challenge echo -----------------------------------------------------------------------

TEST_CASE("CR, LF and other control characters in a challenge are refused, never echoed",
          "[hostile][endpoint][challenge]") {
  receiver rx;
  for (const std::string query :
       {"challenge=a%0D%0ASet-Cookie:%20session=1", "challenge=a%0ALocation:%20http://evil",
        "challenge=a%0D%0A%0D%0A<html>", "challenge=%00", "challenge=a%09b", "challenge=a%7F",
        "challenge=a\r\nSet-Cookie: x"}) {
    INFO(query);
    for (const std::string_view accept : {"", "application/json"}) {
      const aw::response r = rx.send(challenge_get(query, accept));
      const error_reply reply = expect_reply(r, 400, error_code::invalid_value);
      CHECK(reply.message.find("control") != std::string::npos);
      CHECK(r.body().find("Set-Cookie") == std::string_view::npos);
      CHECK(r.body().find("Location") == std::string_view::npos);
      CHECK(header_lines(r).find("Set-Cookie") == std::string::npos);
    }
  }
  // The same through a POST challenge, the JSON escapes decoding to CR and LF.
  const aw::response posted =
      rx.send(challenge_post(R"({"challenge":"a\r\nSet-Cookie: session=1"})"));
  expect_reply(posted, 400, error_code::invalid_value);
  CHECK(posted.body().find("Set-Cookie") == std::string_view::npos);
  // Invalid UTF-8, malformed escapes and oversized values get 400 as well.
  expect_reply(rx.send(challenge_get("challenge=%C0%AF")), 400, error_code::invalid_value);
  expect_reply(rx.send(challenge_get("challenge=%ZZ")), 400, error_code::invalid_value);
  expect_reply(rx.send(challenge_get("challenge=" + std::string(100000, 'a'))), 400,
               error_code::invalid_value);
  CHECK(rx.visitor.runs().empty());
}

TEST_CASE("a reflected challenge cannot inject HTML or JSON", "[hostile][endpoint][challenge]") {
  receiver rx;
  const std::vector<std::string> values = {
      R"(<script>alert(1)</script>)", R"(<img src=x onerror=alert(1)>)", R"(x","admin":true,"y":")",
      R"(x"}{"challenge":"y)",        R"(\u0022}, "injected": {)",       R"(</script><!--)",
      "\xE2\x80\xA8line separator",
  };
  for (const std::string& value : values) {
    INFO(value);
    std::string encoded;
    for (const char c : value)
      encoded += fmt::format("%{:02X}", static_cast<unsigned char>(c));

    // Plain text: served as text/plain with nosniff, so a browser never renders it as HTML.
    const aw::response text = rx.send(challenge_get("challenge=" + encoded));
    REQUIRE(text.status == 200);
    CHECK(text.content_type == aw::text_content_type);
    CHECK(text.body() == value);
    CHECK(header_lines(text).find("X-Content-Type-Options: nosniff") != std::string::npos);

    // JSON: one member whose value is exactly the challenge, whatever it holds.
    const aw::response json = rx.send(challenge_get("challenge=" + encoded, "application/json"));
    REQUIRE(json.status == 200);
    CHECK(json.content_type == aw::json_content_type);
    CHECK(json_echo_value(json) == value);

    // The POST form: the value travels JSON-escaped and comes back the same way.
    fmt::memory_buffer request;
    aw::detail::append(request, R"({"challenge":)");
    aw::detail::append_json_string(request, value);
    aw::detail::append(request, "}");
    const aw::response posted = rx.send(challenge_post(fmt::to_string(request)));
    REQUIRE(posted.status == 200);
    CHECK(json_echo_value(posted) == value);
  }
  CHECK(rx.visitor.runs().empty());
}
