#include "alm/webhooks/adapters/httplib.hpp"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "endpoint_support.hpp"
#include "http_scenarios.hpp"

using namespace alm::webhooks;
using namespace endpoint_test;

namespace {

/// An httplib::Server on an ephemeral loopback port, the endpoint mounted at `path`.
class httplib_server final : public running_server {
 public:
  httplib_server(const endpoint& ep, const std::string& path) {
    adapters::mount(server_, path, ep);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // The socket already listens; wait for the accept loop so that stop() finds it running.
    while (!server_.is_running())
      std::this_thread::yield();
  }
  ~httplib_server() override {
    server_.stop();
    thread_.join();
  }
  int port() const override { return port_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_{0};
};

std::unique_ptr<running_server> start(const endpoint& ep) {
  return std::make_unique<httplib_server>(ep, "/alm");
}

}  // namespace

TEST_CASE("httplib: every route of the endpoint over real HTTP", "[adapter][httplib]") {
  check_inline_routes(start);
}

TEST_CASE("httplib: 202 when queued, 503 with Retry-After when full", "[adapter][httplib]") {
  check_queued_routes(start);
}

TEST_CASE("httplib: the mounted path is exact, regex characters included", "[adapter][httplib]") {
  counting_visitor visitor;
  const endpoint ep(visitor, hmac_verifier());
  httplib_server server(ep, "/hooks/alm.v1+(x)");
  httplib::Client client("127.0.0.1", server.port());
  httplib::Result r = client.Get("/hooks/alm.v1+(x)?challenge=ok");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "ok");
  r = client.Get("/hooks/almXv1+(x)?challenge=ok");
  REQUIRE(r);
  CHECK(r->status == 404);
  r = client.Get("/hooks/alm.v1x?challenge=ok");
  REQUIRE(r);
  CHECK(r->status == 404);
}

TEST_CASE("httplib: the request view covers method, target, headers, body and padding",
          "[adapter][httplib]") {
  httplib::Request req;
  req.method = "POST";
  req.target = "/alm?x=1";
  req.headers.emplace("Content-Type", "application/json");
  req.headers.emplace("X-Alm-Webhook-Signature", "abc");
  req.body.reserve(100);
  req.body = "{}";
  std::vector<http_header> storage;
  const request_view view = adapters::to_request_view(req, storage);
  CHECK(view.method == "POST");
  CHECK(view.target == "/alm?x=1");
  CHECK(view.headers.find("x-alm-webhook-signature") == std::optional<std::string_view>("abc"));
  CHECK(view.body == "{}");
  CHECK(view.body_padding >= 98);

  response r;
  r.status = 503;
  r.retry_after_seconds = 30;
  r.set_static_body(R"({"error":"queue_full"})");
  httplib::Response res;
  adapters::write_response(r, res);
  CHECK(res.status == 503);
  CHECK(res.get_header_value("Retry-After") == "30");
  CHECK(res.get_header_value("Content-Type") == "application/json");
  CHECK(res.body == R"({"error":"queue_full"})");
}
