#include "alm/webhooks/endpoint.hpp"

#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "allocation_counter.hpp"
#include "catch.hpp"
#include "endpoint_support.hpp"

using namespace alm::webhooks;
using namespace endpoint_test;

// ---- Counting allocations (operator new) on this thread, to check the steady state ----------

using test_support::allocations;
using test_support::counting;

namespace {

std::string header_value(const response& r, std::string_view name) {
  std::string found;
  r.for_each_header([&](std::string_view n, std::string_view v) {
    if (n == name) found = std::string(v);
  });
  return found;
}

/// An endpoint over a counting visitor, with a store the test can reach.
struct fixture {
  counting_visitor visitor;
  std::shared_ptr<memory_idempotency_store> store = std::make_shared<memory_idempotency_store>();
  std::vector<error> logged;  // written under logged_mutex: on_error runs on the server's threads
  std::mutex logged_mutex;
  endpoint ep;

  explicit fixture(endpoint_options options = {})
      : ep(visitor, hmac_verifier(), with_store(std::move(options))) {}

  endpoint_options with_store(endpoint_options options) {
    options.idempotency = store;
    options.on_error = [this](const error& e) {
      const std::lock_guard<std::mutex> lock(logged_mutex);
      logged.push_back(e);
    };
    return options;
  }

  response send(owned_request request) { return ep.handle(request.view()); }
};

owned_request get(std::string target) {
  owned_request r;
  r.method = "GET";
  r.target = std::move(target);
  return r;
}

}  // namespace

TEST_CASE("GET ?challenge=X echoes X as text, or as JSON when asked", "[endpoint][challenge]") {
  fixture f;
  response r = f.send(get("/alm?challenge=abc-123"));
  CHECK(r.status == 200);
  CHECK(r.content_type == "text/plain; charset=utf-8");
  CHECK(r.body() == "abc-123");
  CHECK(header_value(r, "X-Content-Type-Options") == "nosniff");

  r = f.send(get("/alm?x=1&challenge=a%20b+c%2B&y=2"));
  CHECK(r.body() == "a b c+");

  owned_request json = get("/alm?challenge=abc");
  json.header("Accept", "text/html, Application/JSON;q=0.9");
  r = f.send(json);
  CHECK(r.status == 200);
  CHECK(r.content_type == "application/json");
  CHECK(r.body() == R"({"challenge":"abc"})");

  // Quotes are escaped in the JSON form.
  json.target = "/alm?challenge=a%22b%5C";
  CHECK(f.send(json).body() == R"({"challenge":"a\"b\\"})");
  CHECK(f.visitor.runs().empty());
}

TEST_CASE("POST {\"challenge\":\"X\"} echoes X as JSON without authentication",
          "[endpoint][challenge]") {
  fixture f;
  owned_request post;
  post.header("Content-Type", "application/json");
  post.body = R"( { "challenge" : "xyz\"1" } )";
  const response r = f.send(post);
  CHECK(r.status == 200);
  CHECK(r.content_type == "application/json");
  CHECK(r.body() == R"({"challenge":"xyz\"1"})");

  // Whatever else the request gets wrong or right, a challenge is answered first.
  owned_request plain;
  plain.header("Content-Type", "text/plain");
  plain.body = R"({"challenge":"p"})";
  CHECK(f.send(plain).body() == R"({"challenge":"p"})");
  plain.headers.clear();
  CHECK(f.send(plain).body() == R"({"challenge":"p"})");
  const response signed_echo = f.send(signed_post(R"({"challenge":"s"})"));
  CHECK(signed_echo.status == 200);
  CHECK(signed_echo.body() == R"({"challenge":"s"})");
  CHECK(f.logged.empty());

  // A webhook body that merely mentions "challenge" is no challenge: it must authenticate.
  owned_request events;
  events.header("Content-Type", "application/json");
  events.body = R"({"challenge":"x","events":[]})";
  CHECK(f.send(events).status == 401);
  events.body = R"({"eventType":"USER_CREATED","challenge":"x"})";
  CHECK(f.send(events).status == 401);
  events.body = R"({"challenge":7})";
  CHECK(f.send(events).status == 401);
  events.body = R"({"challenge":"x"} trailing)";
  CHECK(f.send(events).status == 401);
  // ... and a signed delivery carrying a "challenge" member is dispatched as a delivery.
  const response delivered = f.send(signed_post(
      R"({"accountId":1010,"challenge":"x","events":[{"eventId":"ch-1","eventName":"CI_STATS"}]})"));
  CHECK(delivered.status == 200);
  CHECK(f.visitor.runs() == std::map<std::string, int>{{"ch-1", 1}});
}

TEST_CASE("an unsafe challenge value is refused with 400", "[endpoint][challenge]") {
  fixture f;
  const std::string too_long(257, 'a');
  struct probe {
    std::string target;
    std::string message;
  };
  for (const probe& p : {
           probe{"/alm?challenge=a%0D%0ASet-Cookie:%20x",
                 "the challenge contains control characters"},
           probe{"/alm?challenge=%00", "the challenge contains control characters"},
           probe{"/alm?challenge=%FF%FE", "the challenge is not valid UTF-8"},
           probe{"/alm?challenge=%G1", "the challenge is not validly URL-encoded"},
           probe{"/alm?challenge=%4", "the challenge is not validly URL-encoded"},
           probe{"/alm?challenge=", "the challenge is empty"},
           probe{"/alm?challenge", "the challenge is empty"},
           probe{"/alm?challenge=" + too_long, "the challenge is longer than 256 bytes"},
       }) {
    INFO(p.target);
    const response r = f.send(get(p.target));
    CHECK(r.status == 400);
    CHECK(r.body() == R"({"error":"invalid_value","message":")" + p.message + "\"}");
    CHECK(r.body().find('\r') == std::string_view::npos);
  }
  CHECK(f.send(get("/alm?challenge=" + std::string(256, 'a'))).status == 200);
  CHECK(f.logged.size() == 8);
}

TEST_CASE("the challenge is configurable", "[endpoint][challenge]") {
  SECTION("disabled: GET is not allowed") {
    endpoint_options options;
    options.challenge.enabled = false;
    fixture f(options);
    const response r = f.send(get("/alm?challenge=abc"));
    CHECK(r.status == 405);
    CHECK(header_value(r, "Allow") == "POST");
  }
  SECTION("always text, another name, a shorter limit") {
    endpoint_options options;
    options.challenge.form = challenge_form::text;
    options.challenge.name = "token";
    options.challenge.max_length = 4;
    fixture f(options);
    owned_request post;
    post.body = R"({"token":"abcd"})";
    const response r = f.send(post);
    CHECK(r.content_type == "text/plain; charset=utf-8");
    CHECK(r.body() == "abcd");
    CHECK(f.send(get("/alm?token=abcde")).status == 400);
    CHECK(f.send(get("/alm?challenge=abc")).status == 405);
  }
  SECTION("always JSON") {
    endpoint_options options;
    options.challenge.form = challenge_form::json;
    fixture f(options);
    CHECK(f.send(get("/alm?challenge=q")).body() == R"({"challenge":"q"})");
  }
}

TEST_CASE("a method other than POST gets 405 with Allow", "[endpoint]") {
  fixture f;
  for (const char* method : {"GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "post"}) {
    INFO(method);
    owned_request r = signed_post(batch_body({"m-1"}));
    r.method = method;
    const response answer = f.send(r);
    CHECK(answer.status == 405);
    CHECK(header_value(answer, "Allow") == "GET, POST");
    CHECK(answer.body().find(R"("error":"method_not_allowed")") != std::string_view::npos);
  }
  CHECK(f.visitor.runs().empty());
}

TEST_CASE("a content type other than JSON gets 415", "[endpoint]") {
  fixture f;
  for (const char* type :
       {"text/plain", "application/x-www-form-urlencoded", "application/jsonp", "json", ""}) {
    INFO(type);
    owned_request r = signed_post(batch_body({"t-1"}));
    r.headers[0].second = type;
    const response answer = f.send(r);
    CHECK(answer.status == 415);
    CHECK(
        answer.body() ==
        R"({"error":"unsupported_media_type","message":"the Content-Type must be application/json"})");
  }
  owned_request missing = signed_post(batch_body({"t-2"}));
  missing.headers.erase(missing.headers.begin());
  CHECK(f.send(missing).status == 415);

  int id = 0;
  for (const char* type : {"application/json", "Application/JSON; charset=UTF-8",
                           " application/json ;charset=utf-8", "application/cloudevents+json"}) {
    INFO(type);
    owned_request r = signed_post(batch_body({"ok-" + std::to_string(id++)}));
    r.headers[0].second = type;
    CHECK(f.send(r).status == 200);
  }

  endpoint_options lenient;
  lenient.require_json_content_type = false;
  fixture g(lenient);
  CHECK(g.send(missing).status == 200);
}

TEST_CASE("a body over the limit gets 413", "[endpoint]") {
  endpoint_options options;
  options.max_body_size = 64;
  fixture f(options);
  owned_request small = signed_post(std::string(64, ' '));
  CHECK(f.send(small).status == 400);  // at the limit: on to parsing (empty_body)
  const response r = f.send(signed_post(std::string(65, ' ')));
  CHECK(r.status == 413);
  CHECK(r.body() ==
        R"({"error":"body_too_large","message":"the body has 65 bytes; the limit is 64"})");
  CHECK(endpoint_options{}.max_body_size == 1024 * 1024);
  CHECK(f.ep.reject(error{error_code::body_too_large, "early", {}}).status == 413);
}

TEST_CASE("a missing or bad signature gets 401 with a short reason", "[endpoint][auth]") {
  fixture f;
  owned_request unsigned_request = signed_post(batch_body({"a-1"}));
  unsigned_request.headers.pop_back();
  response r = f.send(unsigned_request);
  CHECK(r.status == 401);
  CHECK(r.body().find(R"("error":"missing_header")") != std::string_view::npos);
  CHECK(r.body().find("X-ALM-Webhook-Signature") != std::string_view::npos);

  owned_request wrong = signed_post(batch_body({"a-1"}));
  wrong.headers.back().second = sign(wrong.body, "another-secret");
  r = f.send(wrong);
  CHECK(r.status == 401);
  CHECK(r.body().find(R"("error":"signature_mismatch")") != std::string_view::npos);
  CHECK(r.body().find(secret) == std::string_view::npos);
  CHECK(r.body().find(sign(wrong.body)) == std::string_view::npos);
  CHECK(header_value(r, "WWW-Authenticate").empty());

  owned_request tampered = signed_post(batch_body({"a-1"}));
  tampered.body += ' ';
  CHECK(f.send(tampered).status == 401);
  CHECK(f.visitor.runs().empty());
  REQUIRE(f.logged.size() == 3);
  CHECK(f.logged[1].code == error_code::signature_mismatch);
}

TEST_CASE("the Basic scheme's 401 names the scheme", "[endpoint][auth]") {
  verifier_options auth;
  auth.scheme = auth_scheme::basic;
  auth.basic.credentials = {{"alm", "pa55word"}};
  counting_visitor visitor;
  endpoint ep(visitor, *make_verifier(auth));
  owned_request r = signed_post(batch_body({"b-1"}));
  response answer = ep.handle(r.view());
  CHECK(answer.status == 401);
  CHECK(header_value(answer, "WWW-Authenticate") ==
        R"(Basic realm="alm-webhooks", charset="UTF-8")");
  r.header("Authorization", *basic_authorization("alm", "pa55word"));
  answer = ep.handle(r.view());
  CHECK(answer.status == 200);
  CHECK(answer.body().find("pa55word") == std::string_view::npos);
}

TEST_CASE("a body that does not parse gets 400 with message and path", "[endpoint]") {
  fixture f;
  response r = f.send(signed_post(R"({"accountId":1010,"events":[)"));
  CHECK(r.status == 400);
  CHECK(r.body().find(R"("error":"truncated")") != std::string_view::npos);

  r = f.send(signed_post(
      R"({"accountId":1010,"events":[{"eventId":"x","eventName":"COURSE_ENROLLMENT","data":{"userId":{}}}]})"));
  CHECK(r.status == 400);
  CHECK(r.body().find(R"("error":"wrong_type")") != std::string_view::npos);
  CHECK(r.body().find(R"("path":"events[0].data.userId")") != std::string_view::npos);

  r = f.send(signed_post(R"({"hello":"world"})"));
  CHECK(r.status == 400);
  CHECK(r.body().find(R"("error":"unknown_format")") != std::string_view::npos);
  CHECK(f.visitor.runs().empty());
}

TEST_CASE("every event is dispatched once; a duplicate delivery is skipped", "[endpoint]") {
  fixture f;
  owned_request r = signed_post(batch_body({"d-1", "d-2", "d-3"}));
  r.header("webhook-id", "msg_1");
  response answer = f.send(r);
  CHECK(answer.status == 200);
  CHECK(answer.body() == R"({"status":"ok"})");
  CHECK(answer.content_type == "application/json");
  CHECK(f.visitor.runs() == std::map<std::string, int>{{"d-1", 1}, {"d-2", 1}, {"d-3", 1}});
  CHECK(f.visitor.delivery_ids() == std::vector<std::string>{"msg_1", "msg_1", "msg_1"});

  answer = f.send(r);  // ALM did not see the first answer and sends the same body again
  CHECK(answer.status == 200);
  CHECK(f.visitor.runs() == std::map<std::string, int>{{"d-1", 1}, {"d-2", 1}, {"d-3", 1}});

  // An empty batch is fine.
  CHECK(f.send(signed_post(batch_body({}))).status == 200);
}

TEST_CASE("a failing handler gives 500; the retry runs only the failed event", "[endpoint]") {
  fixture f;
  f.visitor.fail("r-2");
  const owned_request r = signed_post(batch_body({"r-1", "r-2", "r-3"}));
  response answer = f.send(r);
  CHECK(answer.status == 500);
  CHECK(answer.body() ==
        R"({"error":"handler_failed","message":"1 of 3 events failed in their handler; they stay )"
        R"(unprocessed and run again when the request is retried"})");
  CHECK(answer.body().find("handler failed for") == std::string_view::npos);
  REQUIRE(f.logged.size() == 1);
  CHECK(f.logged[0].message == "the handler threw: handler failed for r-2");

  f.visitor.heal();
  answer = f.send(r);
  CHECK(answer.status == 200);
  CHECK(f.visitor.runs() == std::map<std::string, int>{{"r-1", 1}, {"r-2", 2}, {"r-3", 1}});
}

TEST_CASE("an event claimed by another request gives 503 with Retry-After", "[endpoint]") {
  endpoint_options options;
  options.retry_after = std::chrono::seconds(7);
  fixture f(options);
  REQUIRE(f.store->claim("1010:c-2"));
  const response answer = f.send(signed_post(batch_body({"c-1", "c-2"})));
  CHECK(answer.status == 503);
  CHECK(header_value(answer, "Retry-After") == "7");
  CHECK(answer.body().find(R"("error":"in_progress")") != std::string_view::npos);
  CHECK(f.visitor.runs() == std::map<std::string, int>{{"c-1", 1}});
}

namespace {
struct broken_store final : idempotency_store {
  result<claim_status> claim(std::string_view) noexcept override {
    return result<claim_status>(error_code::store_unavailable, "the store is unreachable");
  }
  result<void> commit(std::string_view) noexcept override {
    return result<void>(error_code::store_unavailable, "the store is unreachable");
  }
  result<void> release(std::string_view) noexcept override { return {}; }
};
}  // namespace

TEST_CASE("an unreachable store fails closed (503) or open, as configured", "[endpoint]") {
  counting_visitor visitor;
  endpoint_options options;
  options.idempotency = std::make_shared<broken_store>();
  endpoint closed(visitor, hmac_verifier(), options);
  owned_request r = signed_post(batch_body({"s-1"}));
  const response answer = closed.handle(r.view());
  CHECK(answer.status == 503);
  CHECK(header_value(answer, "Retry-After") == "10");
  CHECK(answer.body().find(R"("error":"store_unavailable")") != std::string_view::npos);
  CHECK(visitor.runs().empty());

  options.on_store_failure = store_failure_policy::fail_open;
  endpoint open(visitor, hmac_verifier(), options);
  CHECK(open.handle(r.view()).status == 200);
  CHECK(visitor.runs() == std::map<std::string, int>{{"s-1", 1}});
}

TEST_CASE("a handlers registry and an AsyncAPI body work through the endpoint", "[endpoint]") {
  std::vector<std::string> seen;
  handlers h;
  h.on<user_created>([&](const user_created& e, const event_context& ctx) {
    seen.push_back(std::string(e.event_id) + "@" + std::string(ctx.account_id.text));
  });
  endpoint_options options;
  options.idempotency = nullptr;  // no de-duplication: every delivery runs
  endpoint ep(h, hmac_verifier(), options);
  owned_request r = signed_post(
      R"({"eventType":"USER_CREATED","eventId":"u-1","accountId":"acct","timestamp":"2024-11-08T03:49:52.000Z"})");
  CHECK(ep.handle(r.view()).status == 200);
  CHECK(ep.handle(r.view()).status == 200);
  CHECK(seen == std::vector<std::string>{"u-1@acct", "u-1@acct"});
}

TEST_CASE("hand-off mode answers 202 once queued, 503 when the queue is full", "[endpoint]") {
  counting_visitor visitor;
  queue_options qo;
  qo.capacity = 1;
  work_queue<counting_visitor> queue(visitor, qo);
  endpoint ep(queue, hmac_verifier());

  visitor.hold();
  owned_request first = signed_post(batch_body({"q-1"}));
  response answer = ep.handle(first.view());
  CHECK(answer.status == 202);
  CHECK(answer.body() == R"({"status":"accepted"})");
  visitor.wait_started(1);  // the worker holds q-1; the queue is empty again

  owned_request second = signed_post(batch_body({"q-2"}));
  CHECK(ep.handle(second.view()).status == 202);  // waits in the queue
  owned_request third = signed_post(batch_body({"q-3"}));
  answer = ep.handle(third.view());
  CHECK(answer.status == 503);
  CHECK(header_value(answer, "Retry-After") == "10");
  CHECK(answer.body().find(R"("error":"queue_full")") != std::string_view::npos);

  // Bad requests are still refused before the queue.
  owned_request bad = signed_post("{");
  CHECK(ep.handle(bad.view()).status == 400);

  visitor.release();
  queue.wait_idle();
  CHECK(ep.handle(third.view()).status == 202);
  queue.shutdown();
  CHECK(visitor.runs() == std::map<std::string, int>{{"q-1", 1}, {"q-2", 1}, {"q-3", 1}});
  CHECK(ep.handle(first.view()).status == 503);  // shut down
}

TEST_CASE("one endpoint serves many threads; each event runs exactly once", "[endpoint]") {
  fixture f;
  std::vector<owned_request> requests;
  for (int i = 0; i < 40; ++i) {
    requests.push_back(
        signed_post(batch_body({"p-" + std::to_string(i), "p-" + std::to_string(i + 1000)})));
  }
  std::atomic<int> not_ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      // Every thread sends every request: three of each four are duplicates. A duplicate that
      // meets the first still running gets 503, as ALM's retry would.
      for (owned_request& r : requests) {
        owned_request copy = r;
        const int status = f.ep.handle(copy.view()).status;
        if (status != 200 && status != 503) ++not_ok;
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  CHECK(not_ok == 0);
  const auto runs = f.visitor.runs();
  CHECK(runs.size() == 80);
  for (const auto& [id, count] : runs) {
    INFO(id);
    CHECK(count == 1);
  }
}

namespace {
/// Handles a second request from inside its handler, then reads its own event again: the outer
/// parse must not share the inner one's parser.
struct nesting_visitor {
  const endpoint* inner = nullptr;
  owned_request* inner_request = nullptr;
  std::vector<std::string> seen;
  int inner_status = 0;

  void on_unhandled(const event& e) {
    const std::string before(event_id_of(e));
    if (inner != nullptr && before == "outer-1")
      inner_status = inner->handle(inner_request->view()).status;
    seen.push_back(before + "/" + std::string(event_id_of(e)));
  }
};
}  // namespace

TEST_CASE("a handler may call handle() again; endpoints with other parser options share a thread",
          "[endpoint]") {
  nesting_visitor visitor;
  endpoint_options options;
  options.idempotency = nullptr;
  const endpoint ep(visitor, hmac_verifier(), options);
  owned_request inner = signed_post(batch_body({"inner-1", "inner-2"}));
  visitor.inner = &ep;
  visitor.inner_request = &inner;
  owned_request outer = signed_post(batch_body({"outer-1", "outer-2"}));
  CHECK(ep.handle(outer.view()).status == 200);
  CHECK(visitor.inner_status == 200);
  CHECK(visitor.seen == std::vector<std::string>{"inner-1/inner-1", "inner-2/inner-2",
                                                 "outer-1/outer-1", "outer-2/outer-2"});

  // Another endpoint on this thread whose parser allows less nesting: it must not borrow the
  // thread's parser, built for the defaults, and must enforce its own limit.
  endpoint_options shallow = options;
  shallow.parsing.max_depth = 2;
  nesting_visitor plain;
  const endpoint strict(plain, hmac_verifier(), shallow);
  owned_request again = signed_post(batch_body({"outer-1"}));
  const response refused = strict.handle(again.view());
  CHECK(refused.status == 400);
  CHECK(refused.body().find("too_deep") != std::string_view::npos);
  CHECK(ep.handle(again.view()).status == 200);  // the defaults still apply here
  CHECK(plain.seen.empty());
}

namespace {
struct empty_visitor {
  std::size_t events = 0;
  void on_unhandled(const event&) { ++events; }
};
}  // namespace

TEST_CASE("a warm endpoint allocates nothing per request", "[endpoint][allocation]") {
  empty_visitor visitor;
  memory_idempotency_options store_options;
  store_options.max_entries = 8;  // fills quickly: the steady state of a long-running store
  endpoint_options options;
  options.idempotency = std::make_shared<memory_idempotency_store>(store_options);
  endpoint ep(visitor, hmac_verifier(), options);

  std::vector<owned_request> requests;
  std::vector<request_view> views;
  for (int i = 0; i < 64; ++i) {
    requests.push_back(signed_post(batch_body({"event-" + std::to_string(100 + i)})));
    requests.back().header("webhook-id", "msg_" + std::to_string(100 + i));
  }
  for (owned_request& r : requests)
    views.push_back(r.view());
  // The first request builds the pooled parser: the counter sees it.
  allocations = 0;
  counting = true;
  REQUIRE(ep.handle(views[0]).status == 200);
  counting = false;
  CHECK(allocations > 0);
  for (int i = 1; i < 16; ++i)
    REQUIRE(ep.handle(views[i]).status == 200);

  allocations = 0;
  counting = true;
  int ok = 0;
  for (std::size_t i = 16; i < views.size(); ++i)
    ok += ep.handle(views[i]).status == 200;
  counting = false;
  CHECK(ok == 48);
  CHECK(allocations == 0);
  CHECK(visitor.events == 64);
}
