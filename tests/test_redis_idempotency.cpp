// redis_idempotency_store against a real redis-server started by the test (redis_server.hpp).
#include "alm/webhooks/redis/idempotency_store.hpp"

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "alm/webhooks/redis/connection.hpp"
#include "catch.hpp"
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
