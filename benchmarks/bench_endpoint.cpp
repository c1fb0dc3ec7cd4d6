// End to end in memory: the endpoint handling a signed request (content type, signature over
// the raw body, parse, idempotency claim and commit in a memory store, dispatch to an empty
// visitor) against the sum of the two floors (the precomputed-state HMAC of hmac_floor.hpp, then
// the hand-written simdjson parse of floor_parser.hpp) and against what most services do
// (one-shot HMAC(), hex, compare; nlohmann::json into owning structs), on batch envelopes of 1,
// 10 and 100 events. Heap allocations per request are counted (allocation_counter.hpp). The SDK
// and the floors also run paired in alternating slices (paired.hpp), which gives the judged ratio.
//
// Idempotency: a redelivered eventId is skipped, so every request of a run must be new to the
// store. Each size has a ring of distinct signed bodies (same size, different eventIds) that the
// contenders cycle through, and the store holds half as many keys as the ring has events: it is
// full, and every claim is of a key it has never seen or has already evicted, so every event is
// claimed, dispatched and committed, and every claim evicts the oldest entry (the steady state
// of a long-running receiver). The visitor counts the events it sees to prove it.
//
//   build-bench/benchmarks/bench_endpoint --benchmark_repetitions=10
//       --benchmark_report_aggregates_only=true

#include "e2e_contenders.hpp"  // first: it allows OpenSSL's deprecated functions

#include <array>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "allocation_counter.hpp"
#include "alm/webhooks/endpoint.hpp"
#include "bench_main.hpp"
#include "nlohmann_parser.hpp"
#include "paired.hpp"

namespace {

using namespace e2e_bench;

/// The frame of every contender but the pair: a warm-up pass over the ring, the allocation
/// counter and the rates around the timed calls of `once(request)` (false on failure).
template <class Once>
void run(benchmark::State& state, const request_ring& ring, Once&& once) {
  ring_contender<Once> contender(ring, once);
  if (!contender.warm()) {
    state.SkipWithError("the warm-up pass failed");
    return;
  }
  const bench::allocation_meter meter;
  for (auto _ : state) {
    if (!contender()) {
      state.SkipWithError("a request failed");
      break;
    }
  }
  meter.report(state);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * ring[0].body.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * ring.events_per_request));
}

void bench_sdk(benchmark::State& state) {
  const request_ring& ring = ring_of(static_cast<std::size_t>(state.range(0)));
  const sdk_endpoint sdk(ring);
  run(state, ring, sdk);
  const std::size_t requests = static_cast<std::size_t>(state.iterations()) + ring.size();
  if (!sdk.dispatched_all(requests, ring)) {
    state.SkipWithError("some events were not dispatched (skipped as duplicates?)");
  }
}

void bench_floors(benchmark::State& state) {
  const request_ring& ring = ring_of(static_cast<std::size_t>(state.range(0)));
  floors f(ring);
  run(state, ring, f);
}

/// The SDK and `Other` in alternating slices (paired.hpp), the SDK's time over Other's or, with
/// `sdk_first` false, Other's over the SDK's.
template <class Other>
void run_sdk_pair(benchmark::State& state, bool sdk_first) {
  const request_ring& ring = ring_of(static_cast<std::size_t>(state.range(0)));
  const sdk_endpoint sdk(ring);
  Other other(ring);
  ring_contender<const sdk_endpoint> sdk_calls(ring, sdk);
  ring_contender<Other> other_calls(ring, other);
  if (!sdk_calls.warm() || !other_calls.warm()) {
    state.SkipWithError("the warm-up pass failed");
    return;
  }
  if (sdk_first) {
    alm_bench::run_paired(state, sdk_calls, other_calls);
  } else {
    alm_bench::run_paired(state, other_calls, sdk_calls);
  }
  if (!sdk.dispatched_all(sdk_calls.calls(), ring)) {
    state.SkipWithError("some events were not dispatched (skipped as duplicates?)");
  }
}

/// The SDK over the floors: the judged ratio.
void bench_sdk_vs_floors(benchmark::State& state) {
  run_sdk_pair<floors>(state, true);
}

/// The usual hand-rolled check: one-shot HMAC(), lowercase hex, string comparison.
bool hmac_oneshot_matches(std::string_view body, std::string_view expected) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac.data(), &size);
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += digits[mac[i] >> 4];
    hex += digits[mac[i] & 0xF];
  }
  return hex == expected;
}

/// What most services do: HMAC() compared in hex, then nlohmann::json into owning structs.
class nlohmann_hmac {
 public:
  explicit nlohmann_hmac(const request_ring& ring) : ring_(ring) {}
  bool operator()(const signed_request& r) const {
    const hooks::request_view request = r.view();
    const auto signature = request.headers.find(signature_header);
    if (!signature || !hmac_oneshot_matches(request.body, *signature)) return false;
    try {
      const auto batch = bench::nlohmann_path::parse_batch(request.body);
      benchmark::DoNotOptimize(batch);
      return batch.events.size() == ring_.events_per_request;
    } catch (const std::exception&) {
      return false;
    }
  }

 private:
  const request_ring& ring_;
};

void bench_nlohmann_hmac(benchmark::State& state) {
  const request_ring& ring = ring_of(static_cast<std::size_t>(state.range(0)));
  run(state, ring, nlohmann_hmac(ring));
}

/// nlohmann + HMAC() over the SDK: the judged "faster than" ratio.
void bench_nlohmann_hmac_vs_sdk(benchmark::State& state) {
  run_sdk_pair<const nlohmann_hmac>(state, false);
}

void register_all() {
  const std::pair<const char*, alm_bench::benchmark_function> contenders[] = {
      {"e2e/sdk", bench_sdk},
      {"e2e/floors", bench_floors},
      {"e2e/sdk_vs_floors", bench_sdk_vs_floors},
      {"e2e/nlohmann_hmac", bench_nlohmann_hmac},
      {"e2e/nlohmann_hmac_vs_sdk", bench_nlohmann_hmac_vs_sdk},
  };
  alm_bench::register_per_body_size(contenders);
}

}  // namespace

int main(int argc, char** argv) {
  return alm_bench::run_benchmarks(argc, argv, register_all,
                                   {
                                       {"e2e", "sdk", "floors", "target <= 1.3 at 360 B"},
                                       {"e2e", "nlohmann_hmac", "sdk", "target >= 6 at 360 B"},
                                   });
}
