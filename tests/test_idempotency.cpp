#include "alm/webhooks/idempotency.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "receiving_support.hpp"

using namespace alm::webhooks;
using namespace receiving_test;
using namespace std::chrono_literals;

namespace {

// A clock the test moves by hand.
struct manual_clock {
  std::shared_ptr<std::chrono::steady_clock::time_point> now =
      std::make_shared<std::chrono::steady_clock::time_point>();
  void advance(std::chrono::milliseconds d) { *now += d; }
  std::function<std::chrono::steady_clock::time_point()> function() const {
    auto shared = now;
    return [shared] { return *shared; };
  }
};

memory_idempotency_store make_store(const manual_clock& clock, std::size_t max_entries = 100) {
  memory_idempotency_options options;
  options.max_entries = max_entries;
  options.lease = 10s;
  options.ttl = 1h;
  options.clock = clock.function();
  return memory_idempotency_store(options);
}

claim_status claim(idempotency_store& store, std::string_view key) {
  const result<claim_status> r = store.claim(key);
  REQUIRE(r);
  return *r;
}

// A store whose every call fails, as a shared store does when its connection is lost.
struct unreachable_store final : idempotency_store {
  int calls = 0;
  result<claim_status> claim(std::string_view) noexcept override {
    ++calls;
    return result<claim_status>(error_code::store_unavailable, "connection refused");
  }
  result<void> commit(std::string_view) noexcept override {
    ++calls;
    return result<void>(error_code::store_unavailable, "connection refused");
  }
  result<void> release(std::string_view) noexcept override {
    ++calls;
    return result<void>(error_code::store_unavailable, "connection refused");
  }
};

// Counts handler runs per event id; fails the ids listed in `failing`.
struct counting_visitor {
  std::map<std::string, int> runs;
  std::vector<std::string> failing;
  void on_unhandled(const event& e) {
    const std::string id(event_id_of(e));
    ++runs[id];
    for (const std::string& f : failing) {
      if (f == id) throw std::runtime_error("handler failed for " + id);
    }
  }
};

owned_delivery three_events() {
  owned_delivery d;
  d.events.emplace_back(enrollment("ev-1", "1", "course:1_1"));
  d.events.emplace_back(enrollment("ev-2", "2", "course:1_1"));
  d.events.emplace_back(enrollment("ev-3", "3", "course:1_1"));
  return d;
}

}  // namespace

TEST_CASE("claim, commit and release follow the protocol", "[idempotency]") {
  manual_clock clock;
  memory_idempotency_store store = make_store(clock);
  CHECK(claim(store, "a") == claim_status::claimed);
  CHECK(claim(store, "a") == claim_status::in_progress);
  REQUIRE(store.release("a"));
  CHECK(claim(store, "a") == claim_status::claimed);
  REQUIRE(store.commit("a"));
  CHECK(claim(store, "a") == claim_status::processed);
  REQUIRE(store.release("a"));  // a committed key stays committed
  CHECK(claim(store, "a") == claim_status::processed);
  REQUIRE(store.commit("b"));  // commit without a claim
  CHECK(claim(store, "b") == claim_status::processed);
  REQUIRE(store.release("never-seen"));
  CHECK(store.size() == 2);
  store.clear();
  CHECK(store.size() == 0);
  CHECK(claim(store, "a") == claim_status::claimed);
  CHECK(to_string(claim_status::in_progress) == "in_progress");
}

TEST_CASE("a claim's lease and a commit's time to live expire", "[idempotency]") {
  manual_clock clock;
  memory_idempotency_store store = make_store(clock);
  CHECK(claim(store, "lease") == claim_status::claimed);
  clock.advance(9999ms);
  CHECK(claim(store, "lease") == claim_status::in_progress);
  clock.advance(1ms);
  CHECK(claim(store, "lease") == claim_status::claimed);  // the first claimant is presumed dead

  REQUIRE(store.commit("done"));
  clock.advance(1h - 1ms);
  CHECK(claim(store, "done") == claim_status::processed);
  clock.advance(1ms);
  CHECK(claim(store, "done") == claim_status::claimed);
}

TEST_CASE("the defaults are ALM's retention and a one-minute lease", "[idempotency]") {
  const memory_idempotency_store store;
  CHECK(store.options().ttl == std::chrono::hours(24 * 7));
  CHECK(store.options().lease == 60s);
  CHECK(store.options().max_entries == 100'000);
}

TEST_CASE("the store is bounded and evicts the oldest keys", "[idempotency]") {
  manual_clock clock;
  memory_idempotency_store store = make_store(clock, 3);
  for (const char* key : {"k1", "k2", "k3", "k4"})
    REQUIRE(store.commit(key));
  CHECK(store.size() == 3);
  CHECK(claim(store, "k2") == claim_status::processed);
  CHECK(claim(store, "k3") == claim_status::processed);
  CHECK(claim(store, "k4") == claim_status::processed);
  CHECK(claim(store, "k1") == claim_status::claimed);  // evicted k2
  CHECK(claim(store, "k2") == claim_status::claimed);  // evicted k3
  CHECK(store.size() == 3);
}

TEST_CASE("long keys and many keys are stored exactly", "[idempotency]") {
  manual_clock clock;
  memory_idempotency_store store = make_store(clock, 5000);
  const std::string long_a(300, 'a');
  std::string long_b = long_a;
  long_b.back() = 'b';
  REQUIRE(store.commit(long_a));
  CHECK(claim(store, long_a) == claim_status::processed);
  CHECK(claim(store, long_b) == claim_status::claimed);
  for (int i = 0; i < 4000; ++i)
    REQUIRE(store.commit("1010:event-" + std::to_string(i)));
  for (int i = 0; i < 4000; ++i) {
    REQUIRE(claim(store, "1010:event-" + std::to_string(i)) == claim_status::processed);
  }
  CHECK(claim(store, "1010:event-4000") == claim_status::claimed);
}

TEST_CASE("keys either side of the inline size, and a slot passed from long keys to short",
          "[idempotency]") {
  manual_clock clock;
  memory_idempotency_store store = make_store(clock, 2);
  const std::string inline_max(46, 'k');  // the most an entry holds itself
  const std::string first_long(47, 'k');
  REQUIRE(store.commit(inline_max));
  REQUIRE(store.commit(first_long));
  CHECK(claim(store, inline_max) == claim_status::processed);
  CHECK(claim(store, first_long) == claim_status::processed);
  CHECK(claim(store, std::string(45, 'k')) == claim_status::claimed);  // evicts inline_max
  CHECK(claim(store, std::string(48, 'k')) == claim_status::claimed);  // evicts first_long
  CHECK(claim(store, first_long) == claim_status::claimed);            // a long key's slot, reused
  CHECK(claim(store, std::string(48, 'k')) == claim_status::in_progress);
  CHECK(store.size() == 2);
}

TEST_CASE("random operations agree with a reference model", "[idempotency]") {
  // The model is the documented behaviour, searched linearly: a ring of `capacity` slots
  // written in order (a new key overwrites the slot it lands on), releases leaving holes. It
  // checks the store's hash index through growth, deletion and eviction; the small capacities
  // fill a few buckets to the brim, so that keys overflow into the next bucket and are deleted
  // from there, thousands of times per run.
  manual_clock clock;
  const std::size_t capacity = GENERATE(as<std::size_t>{}, 3, 12, 21, 64);
  CAPTURE(capacity);
  memory_idempotency_store store = make_store(clock, capacity);
  std::vector<std::optional<std::pair<std::string, claim_status>>> ring(capacity);
  std::size_t cursor = 0;
  auto find = [&](const std::string& key) -> std::optional<std::pair<std::string, claim_status>>* {
    for (auto& slot : ring) {
      if (slot && slot->first == key) return &slot;
    }
    return nullptr;
  };
  auto insert = [&](const std::string& key, claim_status state) {
    ring[cursor] = std::make_pair(key, state);
    cursor = (cursor + 1) % capacity;
  };
  std::uint64_t seed = 12345;
  for (int step = 0; step < 60000; ++step) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto draw = static_cast<unsigned>(seed >> 33);
    const std::string key = "key-" + std::to_string(draw % 150);
    const unsigned op = (draw / 150) % 3;
    auto* found = find(key);
    INFO("step " << step << " op " << op << " key " << key);
    if (op == 0) {
      const claim_status got = claim(store, key);
      if (found == nullptr) {
        REQUIRE(got == claim_status::claimed);
        insert(key, claim_status::claimed);
      } else {
        REQUIRE(got == ((*found)->second == claim_status::processed ? claim_status::processed
                                                                    : claim_status::in_progress));
      }
    } else if (op == 1) {
      REQUIRE(store.commit(key));
      if (found == nullptr) {
        insert(key, claim_status::processed);
      } else {
        (*found)->second = claim_status::processed;
      }
    } else {
      REQUIRE(store.release(key));
      if (found != nullptr && (*found)->second == claim_status::claimed) found->reset();
    }
    std::size_t live = 0;
    for (const auto& slot : ring)
      live += slot ? 1 : 0;
    REQUIRE(store.size() == live);
  }
}

TEST_CASE("concurrent claims of the same keys hand each key to exactly one caller",
          "[idempotency]") {
  memory_idempotency_store store;
  std::atomic<int> claimed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = "k" + std::to_string(i);
        const result<claim_status> r = store.claim(key);
        if (r && *r == claim_status::claimed) {
          ++claimed;
          (void)store.commit(key);
        }
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  CHECK(claimed == 2000);
  CHECK(store.size() == 2000);
}

TEST_CASE("dispatch_idempotent marks only succeeded events processed", "[idempotency]") {
  const owned_delivery d = three_events();
  memory_idempotency_store store;
  std::string key;
  counting_visitor v;
  v.failing = {"ev-2"};

  const dispatch_report first = dispatch_idempotent(v, d.view(), "delivery-1", &store, key);
  CHECK(first.handled == 2);
  CHECK(first.failed == 1);
  CHECK_FALSE(first.ok());
  CHECK(first.first_error.code == error_code::handler_failed);
  CHECK(first.first_error.message == "the handler threw: handler failed for ev-2");

  // ALM's retry: only the failed event runs again.
  v.failing.clear();
  const dispatch_report retry = dispatch_idempotent(v, d.view(), "delivery-1", &store, key);
  CHECK(retry.ok());
  CHECK(retry.handled == 1);
  CHECK(retry.skipped == 2);
  CHECK(v.runs == std::map<std::string, int>{{"ev-1", 1}, {"ev-2", 2}, {"ev-3", 1}});

  // A duplicate delivery runs nothing.
  const dispatch_report duplicate = dispatch_idempotent(v, d.view(), "delivery-1", &store, key);
  CHECK(duplicate.ok());
  CHECK(duplicate.skipped == 3);
  CHECK(v.runs == std::map<std::string, int>{{"ev-1", 1}, {"ev-2", 2}, {"ev-3", 1}});
}

TEST_CASE("keys combine account and event id", "[idempotency]") {
  owned_delivery a = three_events();
  owned_delivery b = three_events();
  b.account = "2020";
  memory_idempotency_store store;
  std::string key;
  counting_visitor v;
  CHECK(dispatch_idempotent(v, a.view(), {}, &store, key).handled == 3);
  CHECK(dispatch_idempotent(v, b.view(), {}, &store, key).handled == 3);
  CHECK(claim(store, "1010:ev-1") == claim_status::processed);
  CHECK(claim(store, "2020:ev-3") == claim_status::processed);
}

TEST_CASE("an event claimed elsewhere is deferred, not run", "[idempotency]") {
  const owned_delivery d = three_events();
  memory_idempotency_store store;
  REQUIRE(store.claim("1010:ev-3"));
  std::string key;
  counting_visitor v;
  const dispatch_report r = dispatch_idempotent(v, d.view(), {}, &store, key);
  CHECK(r.handled == 2);
  CHECK(r.deferred == 1);
  CHECK(r.first_error.code == error_code::in_progress);
  CHECK(r.first_error.message == "event ev-3 is being processed by another request; retry later");
  CHECK(http_status(r.first_error.code) == 503);
  CHECK(v.runs.count("ev-3") == 0);
}

TEST_CASE("an unreachable store fails closed or open as configured", "[idempotency]") {
  const owned_delivery d = three_events();
  unreachable_store store;
  std::string key;
  counting_visitor v;
  const dispatch_report closed = dispatch_idempotent(v, d.view(), {}, &store, key);
  CHECK(closed.deferred == 3);
  CHECK(closed.handled == 0);
  CHECK(closed.first_error.code == error_code::store_unavailable);
  CHECK(closed.first_error.message == "connection refused");
  CHECK(v.runs.empty());

  const dispatch_report open =
      dispatch_idempotent(v, d.view(), {}, &store, key, store_failure_policy::fail_open);
  CHECK(open.ok());
  CHECK(open.handled == 3);
  CHECK(v.runs.size() == 3);
}

TEST_CASE("events without an id, or without a store, are always dispatched", "[idempotency]") {
  owned_delivery d;
  d.events.emplace_back(enrollment("", "1", "course:1_1"));
  memory_idempotency_store store;
  std::string key;
  counting_visitor v;
  CHECK(dispatch_idempotent(v, d.view(), {}, &store, key).handled == 1);
  CHECK(dispatch_idempotent(v, d.view(), {}, &store, key).handled == 1);
  CHECK(store.size() == 0);
  const owned_delivery three = three_events();
  CHECK(dispatch_idempotent(v, three.view(), {}, nullptr, key).handled == 3);
  CHECK(dispatch_idempotent(v, three.view(), {}, nullptr, key).handled == 3);
  CHECK(v.runs["ev-1"] == 2);
}
