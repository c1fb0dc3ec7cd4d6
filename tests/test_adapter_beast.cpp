#include "alm/webhooks/adapters/beast.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>

#include "catch.hpp"
#include "endpoint_support.hpp"
#include "http_scenarios.hpp"

using namespace alm::webhooks;
using namespace endpoint_test;
using boost::asio::ip::tcp;

namespace {

/// A blocking accept loop on an ephemeral loopback port, one thread per connection, each
/// running adapters::serve_connection for the endpoint at /alm.
class beast_server final : public running_server {
 public:
  explicit beast_server(const endpoint& ep)
      : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this, &ep] {
      for (;;) {
        tcp::socket socket(io_);
        boost::beast::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec || stopping_) return;
        std::lock_guard<std::mutex> lock(mutex_);
        connections_.emplace_back([&ep, s = std::move(socket)]() mutable {
          (void)adapters::serve_connection(s, ep, "/alm");
        });
      }
    });
  }

  ~beast_server() override {
    // A blocked accept() does not notice a close from another thread: wake it with a
    // connection of our own.
    stopping_ = true;
    {
      tcp::socket waker(io_);
      boost::beast::error_code ec;
      waker.connect(acceptor_.local_endpoint(), ec);
    }
    accept_thread_.join();
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::thread& t : connections_)
      t.join();
  }

  int port() const override { return port_; }

 private:
  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<std::thread> connections_;
  std::thread accept_thread_;
  int port_{0};
};

std::unique_ptr<running_server> start(const endpoint& ep) {
  return std::make_unique<beast_server>(ep);
}

}  // namespace

TEST_CASE("Beast: every route of the endpoint over real HTTP", "[adapter][beast]") {
  check_inline_routes(start);
}

TEST_CASE("Beast: 202 when queued, 503 with Retry-After when full", "[adapter][beast]") {
  check_queued_routes(start);
}

TEST_CASE("Beast: a keep-alive connection serves several requests", "[adapter][beast]") {
  counting_visitor visitor;
  const endpoint ep(visitor, hmac_verifier());
  beast_server server(ep);
  httplib::Client client("127.0.0.1", server.port());
  client.set_keep_alive(true);
  for (int i = 0; i < 5; ++i) {
    const httplib::Result r = post_signed(client, batch_body({"ka-" + std::to_string(i)}));
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  client.stop();
  CHECK(visitor.runs().size() == 5);
}

TEST_CASE("Beast: the request view covers method, target, headers, body and padding",
          "[adapter][beast]") {
  adapters::beast_request req{adapters::beast_http::verb::post, "/alm?x=1", 11};
  req.set("Content-Type", "application/json");
  req.set("X-ALM-Webhook-Signature", "abc");
  req.body().reserve(2 + simdjson::SIMDJSON_PADDING);
  req.body() = "{}";
  std::vector<http_header> storage;
  const request_view view = adapters::to_request_view(req, storage);
  CHECK(view.method == "POST");
  CHECK(view.target == "/alm?x=1");
  CHECK(view.headers.find("x-alm-webhook-signature") == std::optional<std::string_view>("abc"));
  CHECK(view.body == "{}");
  CHECK(view.body_padding >= simdjson::SIMDJSON_PADDING);

  response r;
  r.status = 405;
  r.allow = "GET, POST";
  r.set_static_body(R"({"error":"method_not_allowed"})");
  const adapters::beast_response res = adapters::to_beast_response(r, 11, false);
  CHECK(res.result_int() == 405);
  CHECK(res[adapters::beast_http::field::allow] == "GET, POST");
  CHECK(res[adapters::beast_http::field::content_type] == "application/json");
  CHECK(res.body() == R"({"error":"method_not_allowed"})");
  CHECK_FALSE(res.keep_alive());
}
