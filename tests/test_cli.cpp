// Runs every command of the alm-webhooks tool as a user would: as a process.
#include <simdjson.h>

#include <chrono>
#include <csignal>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "process.hpp"

using test_support::read_file;
using test_support::run;

namespace {

const std::string tool = ALM_WEBHOOKS_TOOL;
const std::string data = ALM_WEBHOOKS_TEST_DATA;
const std::string enrollment_sample = data + "/legacy-course-enrollment-batch.json";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

struct sample_name {
  std::string name;
  std::string format;
};

std::vector<sample_name> all_samples() {
  std::vector<sample_name> names;
  for (const auto& line : lines_of(run({tool, "sample", "--list"}).out)) {
    const auto space = line.find(' ');
    names.push_back({line.substr(0, space), line.substr(space + 1)});
  }
  return names;
}

}  // namespace

TEST_CASE("every command answers --help", "[cli]") {
  for (const char* command : {"parse", "sign", "verify", "sample", "send", "listen"}) {
    CAPTURE(command);
    const auto r = run({tool, command, "--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("usage: alm-webhooks") != std::string::npos);
  }
  CHECK(run({tool, "--help"}).code == 0);
  CHECK(run({tool}).code == 64);
  CHECK(run({tool, "frobnicate"}).code == 64);
  CHECK(run({tool, "parse", "--no-such-option"}).code == 64);
}

TEST_CASE("parse prints the normalized line of the seed sample", "[cli]") {
  const auto r = run({tool, "parse", enrollment_sample});
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  CHECK(
      r.out ==
      R"({"format":"batch","eventId":"d5fb7071-10a9-46b2-9f9e-79dde346c052",)"
      R"("eventName":"COURSE_ENROLLMENT_BATCH","accountId":"1010","timestampMs":1727414643000,)"
      R"("group":"enrollment","eventInfo":"1727414643000-047210-84242-0","data":{"userId":4279332,)"
      R"("loId":"course:7374992","loInstanceId":"course:7376092_10250977","loType":"course",)"
      R"("enrollmentSource":"ADMIN_ENROLL","dateEnrolled":1727414643,)"
      R"("dateEnrolledMs":1727414643000}})"
      "\n");
  // The same from standard input, and a readable summary with --pretty.
  CHECK(run({tool, "parse", "-"}, read_file(enrollment_sample)).out == r.out);
  const auto pretty = run({tool, "parse", "--pretty", enrollment_sample});
  CHECK(pretty.code == 0);
  CHECK(pretty.out.find("COURSE_ENROLLMENT_BATCH d5fb7071") == 0);
}

TEST_CASE("every sample of both formats parses into its group", "[cli]") {
  const auto samples = all_samples();
  REQUIRE(samples.size() == 13 + 33);
  simdjson::dom::parser json;
  for (const auto& s : samples) {
    CAPTURE(s.name, s.format);
    const auto body = run({tool, "sample", s.name, "--format", s.format});
    REQUIRE(body.code == 0);
    const auto parsed = run({tool, "parse"}, body.out);
    REQUIRE(parsed.code == 0);
    const auto lines = lines_of(parsed.out);
    REQUIRE(lines.size() == 1);
    simdjson::dom::element line;
    REQUIRE(json.parse(lines[0]).get(line) == simdjson::SUCCESS);
    CHECK(std::string(line["format"].get_string().value()) == s.format);
    CHECK(std::string(line["eventName"].get_string().value()) == s.name);
    CHECK(std::string(line["accountId"].get_string().value()) == "1010");
    CHECK(line["timestampMs"].get_int64().value() > 1'700'000'000'000);
    const std::string group(line["group"].get_string().value());
    CHECK(group != "unknown");
    if (s.format == "asyncapi") {
      std::string expected = s.name;
      for (char& c : expected)
        c = static_cast<char>(std::tolower(c));
      CHECK(group == expected);
    }
    // Every date comes with its milliseconds beside it.
    simdjson::dom::object fields;
    REQUIRE(line["data"].get_object().get(fields) == simdjson::SUCCESS);
    CHECK(fields.size() > 0);
    for (const auto field : fields) {
      const std::string key(field.key);
      if (key.rfind("date", 0) == 0 && key.size() > 2 && key.substr(key.size() - 2) != "Ms") {
        CHECK(fields[key + "Ms"].get_int64().error() == simdjson::SUCCESS);
      }
    }
  }
}

TEST_CASE("parse rejects malformed bodies with exit 2 and the path", "[cli]") {
  const std::string bad_type =
      R"({"accountId":1,"events":[{"eventId":"a","eventName":"COURSE_ENROLLMENT",)"
      R"("data":{"userId":{"x":1}}}]})";
  const auto r = run({tool, "parse"}, bad_type);
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("events[0].data.userId") != std::string::npos);
  for (const std::string body : {"", "not json", R"({"events":[)", R"({"events":{}})", "[1,2]"}) {
    CAPTURE(body);
    const auto bad = run({tool, "parse"}, body);
    CHECK(bad.code == 2);
    CHECK(bad.out.empty());
    CHECK_FALSE(bad.err.empty());
  }
  CHECK(run({tool, "parse", data + "/no-such-file.json"}).code == 1);
}

TEST_CASE("sign and verify round-trip with both schemes", "[cli]") {
  const std::string secret = "alm-shared-secret-2f8c1e";
  // The shared vector: the hex signature of the seed sample.
  const auto hex = run({tool, "sign", "--secret", secret, enrollment_sample});
  REQUIRE(hex.code == 0);
  CHECK(hex.out ==
        "X-ALM-Webhook-Signature: "
        "19233af20123057ce2c4da2f258aecbcc18980597510c9f5891ae4fc8e6a8bf2\n");
  const auto b64 =
      run({tool, "sign", "--secret", secret, "--encoding", "base64", enrollment_sample});
  CHECK(b64.out == "X-ALM-Webhook-Signature: GSM68gEjBXzixNovJYrsvMGJgFl1EMn1iRrk/I5qi/I=\n");
  for (const auto& header : {hex.out, b64.out}) {
    const std::string line = header.substr(0, header.size() - 1);
    CHECK(run({tool, "verify", "--secret", secret, "--header", line, enrollment_sample}).code == 0);
    // Rotation: the right secret second.
    CHECK(run({tool, "verify", "--secret", "old", "--secret", secret, "--header", line,
               enrollment_sample})
              .code == 0);
    const auto wrong =
        run({tool, "verify", "--secret", "other", "--header", line, enrollment_sample});
    CHECK(wrong.code == 1);
    CHECK(wrong.err.find("signature_mismatch") != std::string::npos);
    CHECK(wrong.err.find(secret) == std::string::npos);
  }
  CHECK(run({tool, "verify", "--secret", secret, enrollment_sample}).code == 1);  // no header

  // Standard Webhooks, with the shared vector's id, timestamp and secret.
  const std::string whsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const std::string payload = R"({"test": 2432232314})";
  const auto sw = run({tool, "sign", "--scheme", "standard_webhooks", "--secret", whsec, "--id",
                       "msg_p5jXN8AQM9LWM0D4loKWxJek", "--timestamp", "1614265330"},
                      payload);
  REQUIRE(sw.code == 0);
  const auto headers = lines_of(sw.out);
  REQUIRE(headers.size() == 3);
  CHECK(headers[2] == "webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  std::vector<std::string> verify = {tool,       "verify", "--scheme", "standard_webhooks",
                                     "--secret", whsec,    "--now",    "1614265330"};
  for (const auto& h : headers) {
    verify.push_back("--header");
    verify.push_back(h);
  }
  CHECK(run(verify, payload).code == 0);
  CHECK(run(verify, payload + " ").code == 1);  // a changed body
  verify[7] = "1614265931";                     // 601 s later: outside the tolerance
  const auto late = run(verify, payload);
  CHECK(late.code == 1);
  CHECK(late.err.find("timestamp_out_of_tolerance") != std::string::npos);
}

TEST_CASE("secrets come from ALM_WEBHOOK_SECRET", "[cli]") {
  ::setenv("ALM_WEBHOOK_SECRET", "alm-shared-secret-2f8c1e", 1);
  const auto r = run({tool, "sign", enrollment_sample});
  ::unsetenv("ALM_WEBHOOK_SECRET");
  CHECK(r.code == 0);
  CHECK(r.out.find("19233af2") != std::string::npos);
  CHECK(run({tool, "sign", enrollment_sample}).code == 64);  // no secret at all
}

TEST_CASE("send delivers signed samples to listen on loopback", "[cli]") {
  test_support::child_process listener(
      {tool, "listen", "--port", "0", "--secret", "s3cret", "--path", "/alm"});
  REQUIRE(listener.started());
  REQUIRE(listener.wait_for_output("listening on http://127.0.0.1:", std::chrono::seconds(10)));
  const std::string banner = listener.out();
  const auto start = banner.find("http://");
  const std::string url = banner.substr(start, banner.find(' ', start) - start);
  CAPTURE(url);

  std::vector<std::string> sent_ids;
  for (const auto& s : all_samples()) {
    CAPTURE(s.name);
    const auto r = run({tool, "send", url, "--secret", "s3cret", "--format", s.format, s.name});
    CHECK(r.code == 0);
    CHECK(r.out.find("-> 200") != std::string::npos);
  }
  // A wrong secret is refused; the seed sample sent twice is handled once.
  const auto refused = run({tool, "send", url, "--secret", "wrong", enrollment_sample});
  CHECK(refused.code == 1);
  CHECK(refused.out.find("-> 401") != std::string::npos);
  CHECK(run({tool, "send", url, "--secret", "s3cret", enrollment_sample}).code == 0);
  CHECK(run({tool, "send", url, "--secret", "s3cret", enrollment_sample}).code == 0);

  listener.signal(SIGINT);
  CHECK(listener.wait() == 0);
  const std::string log = listener.out();
  CHECK(log.find("stopped") != std::string::npos);
  std::size_t handled = 0;
  for (std::size_t at = log.find("[1/1]"); at != std::string::npos;
       at = log.find("[1/1]", at + 1)) {
    ++handled;
  }
  CHECK(handled == all_samples().size() + 1);
  std::size_t seed_seen = 0;
  for (std::size_t at = log.find("  [1/1] COURSE_ENROLLMENT_BATCH d5fb7071");
       at != std::string::npos; at = log.find("  [1/1] COURSE_ENROLLMENT_BATCH d5fb7071", at + 1)) {
    ++seed_seen;
  }
  CHECK(seed_seen == 1);
  CHECK(log.find("-> 401") != std::string::npos);
}
