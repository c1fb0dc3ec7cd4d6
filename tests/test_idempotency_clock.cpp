// The memory store's internals that the behavioural tests (test_idempotency.cpp, which inject
// their own clock) cannot see: the default coarse clock and the key hash.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>

#include "alm/webhooks/idempotency.hpp"
#include "catch.hpp"

namespace detail = alm::webhooks::detail;

TEST_CASE("the default clock reads steady_clock's time, never going back", "[idempotency]") {
  using std::chrono::steady_clock;
  steady_clock::time_point previous = detail::coarse_steady_now();
  for (int i = 0; i < 1000; ++i) {
    const steady_clock::time_point coarse = detail::coarse_steady_now();
    const steady_clock::time_point fine = steady_clock::now();
    CHECK(coarse >= previous);
    // The same clock at a coarser resolution: never ahead, and behind by a tick at most (one
    // second leaves room for a descheduled test thread).
    CHECK(coarse <= fine);
    CHECK(fine - coarse < std::chrono::seconds(1));
    previous = coarse;
  }
}

TEST_CASE("the key hash tells apart keys that differ in one byte, at any length", "[idempotency]") {
  for (std::size_t length = 0; length <= 72; ++length) {
    const std::string key(length, 'k');
    const std::uint64_t hash = detail::hash_bytes(key, 42);
    CHECK(detail::hash_bytes(key, 42) == hash);  // deterministic
    CHECK(detail::hash_bytes(key, 43) != hash);  // seeded
    std::unordered_set<std::uint64_t> seen{hash};
    for (std::size_t at = 0; at < length; ++at) {
      std::string changed = key;
      changed[at] = 'K';
      INFO("length " << length << ", byte " << at);
      CHECK(seen.insert(detail::hash_bytes(changed, 42)).second);
    }
    // Same bytes, different length (a shorter key padded with zero bytes must not collide).
    CHECK(detail::hash_bytes(key + std::string(1, '\0'), 42) != hash);
  }
}
