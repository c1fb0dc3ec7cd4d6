// The routes every server adapter must serve, checked over real HTTP on 127.0.0.1 with
// httplib::Client. An adapter test starts its server around an endpoint and runs these.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <httplib.h>

#include "alm/webhooks/endpoint.hpp"
#include "alm/webhooks/queue.hpp"
#include "catch.hpp"
#include "endpoint_support.hpp"

namespace endpoint_test {

/// A server listening on 127.0.0.1:port() that serves an endpoint at /alm until destroyed.
class running_server {
 public:
  virtual ~running_server() = default;
  virtual int port() const = 0;
};

using server_factory = std::function<std::unique_ptr<running_server>(const aw::endpoint&)>;

inline constexpr std::size_t scenario_body_limit = 64 * 1024;

/// Signed POST of `body` to /alm.
inline httplib::Result post_signed(httplib::Client& client, const std::string& body,
                                   const std::string& content_type = "application/json") {
  return client.Post("/alm", httplib::Headers{{"X-ALM-Webhook-Signature", sign(body)}}, body,
                     content_type);
}

inline std::string error_code_of(const httplib::Result& r) {
  const std::string marker = R"("error":")";
  const std::size_t at = r->body.find(marker);
  if (at == std::string::npos) return {};
  const std::size_t start = at + marker.size();
  return r->body.substr(start, r->body.find('"', start) - start);
}

/// Inline dispatch: every route of the pipeline, and every event handled exactly once.
inline void check_inline_routes(const server_factory& start) {
  counting_visitor visitor;
  aw::endpoint_options options;
  options.max_body_size = scenario_body_limit;
  const aw::endpoint ep(visitor, hmac_verifier(), options);
  const std::unique_ptr<running_server> server = start(ep);
  httplib::Client client("127.0.0.1", server->port());

  // The verification challenge, both forms.
  httplib::Result r = client.Get("/alm?challenge=hello-42");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "hello-42");
  CHECK(r->get_header_value("Content-Type") == "text/plain; charset=utf-8");
  CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
  r = client.Get("/alm?challenge=hello-42", httplib::Headers{{"Accept", "application/json"}});
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == R"({"challenge":"hello-42"})");
  CHECK(r->get_header_value("Content-Type") == "application/json");
  r = client.Post("/alm", R"({"challenge":"post-7"})", "application/json");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == R"({"challenge":"post-7"})");
  r = client.Get("/alm?challenge=bad%0Avalue");
  REQUIRE(r);
  CHECK(r->status == 400);

  const std::string body = batch_body({"h-1", "h-2", "h-3"});

  // Wrong method, wrong content type, oversize body.
  r = client.Put("/alm", body, "application/json");
  REQUIRE(r);
  CHECK(r->status == 405);
  CHECK(r->get_header_value("Allow") == "GET, POST");
  CHECK(error_code_of(r) == "method_not_allowed");
  r = client.Delete("/alm");
  REQUIRE(r);
  CHECK(r->status == 405);
  r = client.Get("/alm");
  REQUIRE(r);
  CHECK(r->status == 405);
  r = post_signed(client, body, "text/plain");
  REQUIRE(r);
  CHECK(r->status == 415);
  CHECK(error_code_of(r) == "unsupported_media_type");
  r = post_signed(client, std::string(scenario_body_limit + 1, ' '));
  REQUIRE(r);
  CHECK(r->status == 413);
  CHECK(error_code_of(r) == "body_too_large");

  // Missing and bad signatures.
  r = client.Post("/alm", body, "application/json");
  REQUIRE(r);
  CHECK(r->status == 401);
  CHECK(error_code_of(r) == "missing_header");
  r = client.Post("/alm", httplib::Headers{{"X-ALM-Webhook-Signature", sign(body, "wrong")}}, body,
                  "application/json");
  REQUIRE(r);
  CHECK(r->status == 401);
  CHECK(error_code_of(r) == "signature_mismatch");
  CHECK(r->body.find(secret) == std::string::npos);

  // Malformed JSON, correctly signed.
  r = post_signed(client, R"({"accountId":1010,"events":[{"eventId":)");
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(error_code_of(r) == "truncated");
  CHECK(visitor.runs().empty());

  // Delivered, then delivered again: the duplicate runs nothing.
  r = post_signed(client, body);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == R"({"status":"ok"})");
  r = post_signed(client, body);
  REQUIRE(r);
  CHECK(r->status == 200);

  // The second of three handlers throws: 500; ALM's retry runs only that one.
  visitor.fail("k-2");
  const std::string batch = batch_body({"k-1", "k-2", "k-3"});
  r = post_signed(client, batch);
  REQUIRE(r);
  CHECK(r->status == 500);
  CHECK(error_code_of(r) == "handler_failed");
  visitor.heal();
  r = post_signed(client, batch);
  REQUIRE(r);
  CHECK(r->status == 200);

  // Not the mounted path.
  r = client.Post("/elsewhere", body, "application/json");
  REQUIRE(r);
  CHECK(r->status == 404);

  CHECK(visitor.runs() ==
        std::map<std::string, int>{
            {"h-1", 1}, {"h-2", 1}, {"h-3", 1}, {"k-1", 1}, {"k-2", 2}, {"k-3", 1}});
}

/// Hand-off to a work queue: 202 once queued, 503 with Retry-After when full.
inline void check_queued_routes(const server_factory& start) {
  counting_visitor visitor;
  aw::queue_options queue_options;
  queue_options.capacity = 1;
  aw::work_queue<counting_visitor> queue(visitor, queue_options);
  const aw::endpoint ep(queue, hmac_verifier());
  const std::unique_ptr<running_server> server = start(ep);
  httplib::Client client("127.0.0.1", server->port());

  visitor.hold();
  httplib::Result r = post_signed(client, batch_body({"q-1"}));
  REQUIRE(r);
  CHECK(r->status == 202);
  CHECK(r->body == R"({"status":"accepted"})");
  visitor.wait_started(1);  // the worker holds q-1
  r = post_signed(client, batch_body({"q-2"}));
  REQUIRE(r);
  CHECK(r->status == 202);  // waits in the queue
  r = post_signed(client, batch_body({"q-3"}));
  REQUIRE(r);
  CHECK(r->status == 503);
  CHECK(r->get_header_value("Retry-After") == "10");
  CHECK(error_code_of(r) == "queue_full");

  visitor.release();
  queue.wait_idle();
  r = post_signed(client, batch_body({"q-3"}));  // ALM's retry
  REQUIRE(r);
  CHECK(r->status == 202);
  r = post_signed(client, batch_body({"q-1"}));  // a duplicate: queued, then skipped
  REQUIRE(r);
  CHECK(r->status == 202);
  queue.shutdown();
  CHECK(visitor.runs() == std::map<std::string, int>{{"q-1", 1}, {"q-2", 1}, {"q-3", 1}});
}

}  // namespace endpoint_test
