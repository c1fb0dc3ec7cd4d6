// redis_idempotency_store against a real redis-server started by the test (redis_server.hpp).
#include "alm/webhooks/redis/idempotency_store.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "alm/webhooks/endpoint.hpp"
#include "alm/webhooks/redis/connection.hpp"
#include "catch.hpp"
#include "endpoint_support.hpp"
#include "redis_server.hpp"

using namespace alm::webhooks;
using namespace std::chrono_literals;
using redis_test::redis_server;

namespace {

claim_status claim(idempotency_store& store, std::string_view key) {
  const result<claim_status> r = store.claim(key);
  INFO((r ? std::string() : r.error().to_string()));
  REQUIRE(r);
  return *r;
}

redis::idempotency_options short_options() {
  redis::idempotency_options o;
  o.key_prefix = "test:idem:";
  o.lease = 30s;
  o.ttl = 1h;
  return o;
}

long long pttl(const redis_server& server, const std::string& key) {
  return std::stoll(server.query({"PTTL", key}));
}

}  // namespace

TEST_CASE("redis store: claim, commit and release follow the idempotency contract") {
  redis_server server;
  INFO(server.failure());
  REQUIRE(server.running());
  redis::connection_pool pool(server.options());
  redis::redis_idempotency_store store(pool, short_options());

  SECTION("a claim holds with a lease; a second claim is told in_progress") {
    CHECK(claim(store, "1010:e1") == claim_status::claimed);
    CHECK(server.query({"GET", "test:idem:1010:e1"}) == "claimed");
    const long long lease_left = pttl(server, "test:idem:1010:e1");
    CHECK(lease_left > 0);
    CHECK(lease_left <= 30'000);
    CHECK(claim(store, "1010:e1") == claim_status::in_progress);
  }

  SECTION("commit keeps the key for the full time to live; a claim then says processed") {
    REQUIRE(claim(store, "1010:e2") == claim_status::claimed);
    REQUIRE(store.commit("1010:e2"));
    CHECK(server.query({"GET", "test:idem:1010:e2"}) == "processed");
    CHECK(pttl(server, "test:idem:1010:e2") > 30'000);
    CHECK(claim(store, "1010:e2") == claim_status::processed);
  }

  SECTION("commit without a claim marks the key processed") {
    REQUIRE(store.commit("1010:e3"));
    CHECK(claim(store, "1010:e3") == claim_status::processed);
  }

  SECTION("release drops a claim, so the event can be claimed again") {
    REQUIRE(claim(store, "1010:e4") == claim_status::claimed);
    REQUIRE(store.release("1010:e4"));
    CHECK(server.query({"EXISTS", "test:idem:1010:e4"}) == "0");
    CHECK(claim(store, "1010:e4") == claim_status::claimed);
  }

  SECTION("release leaves a committed key committed") {
    REQUIRE(claim(store, "1010:e5") == claim_status::claimed);
    REQUIRE(store.commit("1010:e5"));
    REQUIRE(store.release("1010:e5"));
    CHECK(claim(store, "1010:e5") == claim_status::processed);
  }

  SECTION("release of an unknown key is a no-op") {
    REQUIRE(store.release("1010:never"));
    CHECK(server.query({"EXISTS", "test:idem:1010:never"}) == "0");
  }

  SECTION("keys are binary-safe and namespaced by the prefix") {
    const std::string key("1010:a b\r\n\0c", 12);
    REQUIRE(claim(store, key) == claim_status::claimed);
    REQUIRE(store.commit(key));
    CHECK(server.query({"GET", "test:idem:" + key}) == "processed");
    CHECK(store.redis_key(key) == "test:idem:" + key);

    redis::idempotency_options other = short_options();
    other.key_prefix = "other-app:";
    redis::redis_idempotency_store second(pool, other);
    CHECK(claim(second, key) == claim_status::claimed);
  }

  SECTION("a long key is stored whole") {
    const std::string key = "1010:" + std::string(1000, 'k');
    REQUIRE(claim(store, key) == claim_status::claimed);
    CHECK(server.query({"GET", "test:idem:" + key}) == "claimed");
  }
}

TEST_CASE("redis store: an expired lease lets another receiver take the event") {
  redis_server server;
  INFO(server.failure());
  REQUIRE(server.running());
  redis::connection_pool pool(server.options());
  redis::idempotency_options o = short_options();
  o.lease = 1ms;
  redis::redis_idempotency_store store(pool, o);

  REQUIRE(claim(store, "1010:slow") == claim_status::claimed);
  // Redis expires the key by itself; wait for that rather than for a duration.
  while (server.query({"EXISTS", "test:idem:1010:slow"}) != "0")
    std::this_thread::yield();
  CHECK(claim(store, "1010:slow") == claim_status::claimed);
}

TEST_CASE("redis store: concurrent claims of one key from many threads, one wins") {
  redis_server server;
  INFO(server.failure());
  REQUIRE(server.running());
  redis::connection_options options = server.options();
  options.max_connections = 4;  // fewer than the threads: they queue for connections
  redis::connection_pool pool(options);
  redis::redis_idempotency_store store(pool, short_options());

  constexpr int threads = 8;
  std::atomic<int> claimed{0}, in_progress{0}, errors{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> pool_threads;
  for (int t = 0; t < threads; ++t) {
    pool_threads.emplace_back([&] {
      while (!go.load())
        std::this_thread::yield();
      const result<claim_status> r = store.claim("1010:race");
      if (!r) {
        ++errors;
      } else if (*r == claim_status::claimed) {
        ++claimed;
      } else if (*r == claim_status::in_progress) {
        ++in_progress;
      }
    });
  }
  go = true;
  for (std::thread& t : pool_threads)
    t.join();
  CHECK(errors == 0);
  CHECK(claimed == 1);
  CHECK(in_progress == threads - 1);
  CHECK(pool.open_connections() <= 4);
}

TEST_CASE("redis store: Redis unreachable gives store_unavailable, and it recovers on restart") {
  redis_server server;
  INFO(server.failure());
  REQUIRE(server.running());
  redis::connection_pool pool(server.options());
  redis::redis_idempotency_store store(pool, short_options());
  REQUIRE(claim(store, "1010:before") == claim_status::claimed);
  REQUIRE(store.commit("1010:before"));

  server.kill();
  for (const auto& call : {+[](idempotency_store& s) { return s.claim("1010:x").has_value(); },
                           +[](idempotency_store& s) { return s.commit("1010:x").has_value(); },
                           +[](idempotency_store& s) { return s.release("1010:x").has_value(); }}) {
    CHECK_FALSE(call(store));
  }
  const result<claim_status> down = store.claim("1010:x");
  REQUIRE_FALSE(down);
  CHECK(down.code() == error_code::store_unavailable);
  CHECK(http_status(down.code()) == 503);
  CHECK(down.error().message.find("127.0.0.1:" + std::to_string(server.port())) !=
        std::string::npos);

  // Same port, fresh (non-persistent) server: the pool reconnects by itself.
  REQUIRE(server.start());
  CHECK(claim(store, "1010:after") == claim_status::claimed);
}

TEST_CASE("redis store: a Redis that stops answering times out; the next call reconnects") {
  redis_server server;
  INFO(server.failure());
  REQUIRE(server.running());
  redis::connection_options options = server.options();
  options.command_timeout = 50ms;
  redis::connection_pool pool(options);
  redis::redis_idempotency_store store(pool, short_options());
  REQUIRE(claim(store, "1010:t-1") == claim_status::claimed);

  server.suspend();
  const result<claim_status> r = store.claim("1010:t-2");
  server.resume();
  REQUIRE_FALSE(r);
  CHECK(r.code() == error_code::store_unavailable);
  CHECK(r.error().message.find("no reply within the command timeout") != std::string::npos);
  // The timed-out connection was dropped (a late reply must not be read as the next one's).
  CHECK(claim(store, "1010:t-3") == claim_status::claimed);
  CHECK(claim(store, "1010:t-1") == claim_status::in_progress);
}

TEST_CASE("redis store: a stale pooled connection is replaced transparently") {
  redis_server server;
  INFO(server.failure());
  REQUIRE(server.running());
  redis::connection_pool pool(server.options());
  redis::redis_idempotency_store store(pool, short_options());
  REQUIRE(claim(store, "1010:a") == claim_status::claimed);
  REQUIRE(pool.open_connections() == 1);
  // The server closes every client connection (as on a restart or an idle timeout).
  REQUIRE(server.query({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"}) == "1");
  CHECK(claim(store, "1010:b") == claim_status::claimed);
  CHECK(pool.open_connections() == 1);
}

TEST_CASE("redis store: AUTH with a password, which never shows in an error") {
  redis_server server;
  INFO(server.failure());
  REQUIRE(server.running());
  const std::string secret = "s3cret-Redis-pass";
  REQUIRE(server.query({"CONFIG", "SET", "requirepass", secret}) == "OK");

  redis::connection_options options = server.options();
  SECTION("no password: the server's refusal is store_unavailable") {
    redis::connection_pool pool(options);
    redis::redis_idempotency_store store(pool, short_options());
    const result<claim_status> r = store.claim("1010:e");
    REQUIRE_FALSE(r);
    CHECK(r.code() == error_code::store_unavailable);
    CHECK(r.error().message.find("NOAUTH") != std::string::npos);
  }
  SECTION("a wrong password is refused without echoing either password") {
    options.password = "wrong-" + secret;
    redis::connection_pool pool(options);
    redis::redis_idempotency_store store(pool, short_options());
    const result<claim_status> r = store.claim("1010:e");
    REQUIRE_FALSE(r);
    CHECK(r.code() == error_code::store_unavailable);
    CHECK(r.error().message.find("AUTH") != std::string::npos);
    CHECK(r.error().message.find(secret) == std::string::npos);
  }
  SECTION("the right password and a database number") {
    options.password = secret;
    options.database = 3;
    redis::connection_pool pool(options);
    redis::redis_idempotency_store store(pool, short_options());
    CHECK(claim(store, "1010:e") == claim_status::claimed);
  }
}

TEST_CASE("redis store: every connection in use and none given back in time") {
  redis_server server;
  INFO(server.failure());
  REQUIRE(server.running());
  redis::connection_options options = server.options();
  options.max_connections = 1;
  options.acquire_timeout = 1ms;
  redis::connection_pool pool(options);
  result<redis::connection_pool::lease> held = pool.acquire();
  REQUIRE(held);
  redis::redis_idempotency_store store(pool, short_options());
  const result<claim_status> r = store.claim("1010:e");
  REQUIRE_FALSE(r);
  CHECK(r.code() == error_code::store_unavailable);
  CHECK(r.error().message.find("no free Redis connection") != std::string::npos);
}

// ---- Endpoints sharing one Redis ----------------------------------------------------------------

namespace {

using endpoint_test::counting_visitor;
using endpoint_test::signed_post;

// One receiver: its own pool and store (as a separate process would have), the shared visitor.
struct receiver {
  redis::connection_pool pool;
  std::shared_ptr<redis::redis_idempotency_store> store;
  endpoint ep;

  receiver(const redis_server& server, counting_visitor& visitor,
           store_failure_policy policy = store_failure_policy::fail_closed)
      : pool(server.options()),
        store(std::make_shared<redis::redis_idempotency_store>(pool)),
        ep(visitor, endpoint_test::hmac_verifier(), options(store, policy)) {}

  static endpoint_options options(std::shared_ptr<idempotency_store> store,
                                  store_failure_policy policy) {
    endpoint_options o;
    o.idempotency = std::move(store);
    o.on_store_failure = policy;
    return o;
  }

  response send(const std::string& body) {
    endpoint_test::owned_request request = signed_post(body);
    return ep.handle(request.view());
  }
};

std::string retry_after(const response& r) {
  std::string value;
  r.for_each_header([&](std::string_view name, std::string_view v) {
    if (name == "Retry-After") value = std::string(v);
  });
  return value;
}

}  // namespace

TEST_CASE("redis store: two receivers get the same delivery at once; it is handled once") {
  redis_server server;
  INFO(server.failure());
  REQUIRE(server.running());
  counting_visitor visitor;
  receiver first(server, visitor);
  receiver second(server, visitor);
  const std::string body = endpoint_test::batch_body({"dup-1"});

  SECTION("one holds the claim while its handler runs; the other answers 503, then skips") {
    visitor.hold();
    std::atomic<int> status_a{0}, status_b{0};
    std::thread a([&] { status_a = first.send(body).status; });
    std::thread b([&] { status_b = second.send(body).status; });
    visitor.wait_started(1);
    // The request that did not get the claim answers without waiting for the handler.
    while (status_a == 0 && status_b == 0)
      std::this_thread::yield();
    const bool a_first = status_a != 0;
    CHECK((a_first ? status_a : status_b) == 503);
    visitor.release();
    a.join();
    b.join();
    CHECK((a_first ? status_b : status_a) == 200);
    // ALM retries the 503: the event was processed meanwhile, so it is skipped.
    CHECK((a_first ? first : second).send(body).status == 200);
    CHECK(visitor.runs().at("dup-1") == 1);
    CHECK(server.query({"GET", "alm:webhooks:idem:1010:dup-1"}) == "processed");
  }

  SECTION("many deliveries raced to both receivers, retried until 200: each event runs once") {
    constexpr int deliveries = 20;
    std::vector<std::string> bodies;
    for (int i = 0; i < deliveries; ++i) {
      bodies.push_back(endpoint_test::batch_body(
          {"race-" + std::to_string(i) + "-a", "race-" + std::to_string(i) + "-b"}));
    }
    auto deliver_all = [&](receiver& r) {
      for (const std::string& b : bodies) {
        // As ALM does: send again until a 2xx.
        while (r.send(b).status != 200)
          std::this_thread::yield();
      }
    };
    std::thread a([&] { deliver_all(first); });
    std::thread b([&] { deliver_all(second); });
    a.join();
    b.join();
    const std::map<std::string, int> runs = visitor.runs();
    CHECK(runs.size() == 2 * deliveries);
    for (const auto& [id, count] : runs) {
      INFO(id);
      CHECK(count == 1);
    }
  }
}

TEST_CASE("redis store: a failed handler releases its claim, and the retry handles the event") {
  redis_server server;
  INFO(server.failure());
  REQUIRE(server.running());
  counting_visitor visitor;
  receiver first(server, visitor);
  receiver second(server, visitor);
  const std::string body = endpoint_test::batch_body({"r-1", "r-2", "r-3"});

  visitor.fail("r-2");
  CHECK(first.send(body).status == 500);
  CHECK(server.query({"GET", "alm:webhooks:idem:1010:r-1"}) == "processed");
  CHECK(server.query({"EXISTS", "alm:webhooks:idem:1010:r-2"}) == "0");  // released
  CHECK(server.query({"GET", "alm:webhooks:idem:1010:r-3"}) == "processed");

  // ALM's retry lands on the other receiver: only the failed event runs again.
  visitor.heal();
  CHECK(second.send(body).status == 200);
  const std::map<std::string, int> runs = visitor.runs();
  CHECK(runs.at("r-1") == 1);
  CHECK(runs.at("r-2") == 2);
  CHECK(runs.at("r-3") == 1);
  CHECK(server.query({"GET", "alm:webhooks:idem:1010:r-2"}) == "processed");
}

TEST_CASE("redis store: Redis stopped mid-run gives the configured failure status") {
  redis_server server;
  INFO(server.failure());
  REQUIRE(server.running());
  counting_visitor visitor;
  receiver closed(server, visitor, store_failure_policy::fail_closed);
  receiver open(server, visitor, store_failure_policy::fail_open);
  REQUIRE(closed.send(endpoint_test::batch_body({"m-1"})).status == 200);
  REQUIRE(open.send(endpoint_test::batch_body({"m-2"})).status == 200);

  server.kill();

  SECTION("fail closed: 503 with Retry-After, the handler does not run, ALM retries later") {
    const response r = closed.send(endpoint_test::batch_body({"m-3"}));
    CHECK(r.status == 503);
    CHECK(retry_after(r) == "10");
    CHECK(r.body().find("store_unavailable") != std::string_view::npos);
    CHECK(visitor.runs().count("m-3") == 0);

    // Redis is back (empty: no persistence here): the retry is processed.
    REQUIRE(server.start());
    CHECK(closed.send(endpoint_test::batch_body({"m-3"})).status == 200);
    CHECK(visitor.runs().at("m-3") == 1);
  }

  SECTION("fail open: processing continues without de-duplication") {
    const std::string body = endpoint_test::batch_body({"m-4"});
    CHECK(open.send(body).status == 200);
    CHECK(open.send(body).status == 200);
    CHECK(visitor.runs().at("m-4") == 2);  // the price of failing open: a redelivery runs again
  }
}
