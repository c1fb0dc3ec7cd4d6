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

#include "hmac_floor.hpp"  // first: it allows OpenSSL's deprecated functions

#include <algorithm>
#include <array>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <simdjson.h>

#include "allocation_counter.hpp"
#include "alm/webhooks/endpoint.hpp"
#include "alm/webhooks/signing.hpp"
#include "bench_main.hpp"
#include "bodies.hpp"
#include "floor_parser.hpp"
#include "nlohmann_parser.hpp"
#include "paired.hpp"

namespace {

namespace hooks = alm::webhooks;

const std::string secret = "alm-shared-secret-2f8c1e";
constexpr std::string_view signature_header = "X-ALM-Webhook-Signature";

/// One delivery as ALM would send it, laid out as a server receives it: the request line, the
/// headers and the body in one buffer (the body followed by simdjson's padding, so the SDK may
/// parse it in place, as it can from a server buffer with spare capacity), the header views
/// pointing into that buffer. Headers and body are thus as close together as on arrival.
struct signed_request {
  std::string bytes;
  std::array<hooks::http_header, 5> headers;
  std::string_view body;

  explicit signed_request(const std::string& text) {
    const std::string signature = hooks::sign_alm_hmac(secret, text).value();
    const std::array<std::pair<std::string_view, std::string>, 5> fields{{
        {"Host", "hooks.example.com"},
        {"User-Agent", "Adobe Learning Manager"},
        {"Content-Type", "application/json"},
        {"Content-Length", std::to_string(text.size())},
        {signature_header, signature},
    }};
    bytes = "POST /alm/webhooks HTTP/1.1\r\n";
    std::array<std::pair<std::size_t, std::size_t>, 5> at{};  // offsets of name and value
    for (std::size_t i = 0; i < fields.size(); ++i) {
      at[i].first = bytes.size();
      bytes.append(fields[i].first).append(": ");
      at[i].second = bytes.size();
      bytes.append(fields[i].second).append("\r\n");
    }
    bytes.append("\r\n");
    const std::size_t body_at = bytes.size();
    bytes.append(text).append(simdjson::SIMDJSON_PADDING, '\0');
    for (std::size_t i = 0; i < fields.size(); ++i) {
      headers[i] = {std::string_view(bytes).substr(at[i].first, fields[i].first.size()),
                    std::string_view(bytes).substr(at[i].second, fields[i].second.size())};
    }
    body = std::string_view(bytes).substr(body_at, text.size());
  }
  signed_request(const signed_request&) = delete;
  signed_request& operator=(const signed_request&) = delete;

  std::string_view text() const { return body; }
  simdjson::padded_string_view padded() const {
    return simdjson::padded_string_view(body.data(), body.size(),
                                        body.size() + simdjson::SIMDJSON_PADDING);
  }
  hooks::request_view view() const {
    hooks::request_view v;
    v.method = "POST";
    v.target = "/alm/webhooks";
    v.headers = hooks::header_list(headers.data(), headers.size());
    v.body = body;
    v.body_padding = simdjson::SIMDJSON_PADDING;
    return v;
  }
};

/// The distinct requests of one body size, and how many events each carries.
struct request_ring {
  std::vector<std::unique_ptr<signed_request>> requests;
  std::size_t events_per_request{0};

  /// About 256 KiB of bodies (at least 8, at most 512): the ring stays in the L2 cache, as a
  /// body just received from the network would be.
  explicit request_ring(std::size_t size) {
    const std::size_t count = std::clamp<std::size_t>((256 * 1024) / size, 8, 512);
    for (std::size_t i = 0; i < count; ++i) {
      requests.push_back(std::make_unique<signed_request>(alm_bench::batch_body(size, i)));
    }
    bench::floor_parser counter;
    bench::floor_parser::view_batch out;
    if (counter.parse_batch(requests[0]->padded(), out) == 0) {
      events_per_request = out.events.size();
    }
  }

  std::size_t size() const { return requests.size(); }
  const signed_request& operator[](std::size_t i) const { return *requests[i]; }
  /// A store this small has evicted every key of the ring by the time it comes round again.
  std::size_t store_entries() const {
    return std::max<std::size_t>(1, size() * events_per_request / 2);
  }
};

const request_ring& ring_of(std::size_t size) {
  static std::vector<std::pair<std::size_t, std::unique_ptr<request_ring>>> rings;
  for (const auto& [s, ring] : rings) {
    if (s == size) return *ring;
  }
  rings.emplace_back(size, std::make_unique<request_ring>(size));
  return *rings.back().second;
}

/// A contender over a ring: `once(request)` (false on failure) applied to the ring's requests in
/// turn, as a `() -> bool` call.
template <class Once>
class ring_contender {
 public:
  ring_contender(const request_ring& ring, Once& once) : ring_(ring), once_(once) {}

  bool operator()() {
    const bool ok = once_(ring_[next_]);
    next_ = next_ + 1 == ring_.size() ? 0 : next_ + 1;
    ++calls_;
    return ok;
  }
  /// One pass over the ring (buffers sized, every key seen once); false when a request fails.
  bool warm() {
    for (std::size_t i = 0; i < ring_.size(); ++i) {
      if (!(*this)()) return false;
    }
    return true;
  }
  std::size_t calls() const { return calls_; }

 private:
  const request_ring& ring_;
  Once& once_;
  std::size_t next_{0};
  std::size_t calls_{0};
};

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

/// The visitor: a catch-all that only counts, so that the run can prove every event reached it.
struct counting_visitor {
  std::size_t events{0};
  template <class Event>
  void on(const Event&) noexcept {
    ++events;
  }
};

/// The SDK: the endpoint with a full memory store (see the top of this file) and the counting
/// visitor, answering 200 to each request of `ring`.
class sdk_endpoint {
 public:
  explicit sdk_endpoint(const request_ring& ring)
      : endpoint_(visitor_, make_verifier(), options(ring)) {}

  bool operator()(const signed_request& r) const {
    return endpoint_.handle(r.view()).status == 200;
  }
  /// Whether every one of `requests` requests had all its events dispatched (none skipped as a
  /// duplicate).
  bool dispatched_all(std::size_t requests, const request_ring& ring) const {
    return visitor_.events == requests * ring.events_per_request;
  }

 private:
  static hooks::verifier make_verifier() {
    hooks::verifier_options auth;
    auth.alm_hmac.secrets = {secret};
    return hooks::make_verifier(auth).value();
  }
  static hooks::endpoint_options options(const request_ring& ring) {
    hooks::memory_idempotency_options store;
    store.max_entries = ring.store_entries();
    hooks::endpoint_options options;
    options.idempotency = std::make_shared<hooks::memory_idempotency_store>(store);
    return options;
  }

  counting_visitor visitor_;
  hooks::endpoint endpoint_;
};

/// The sum of the floors: the precomputed-state HMAC, then the hand-written parse.
class floors {
 public:
  explicit floors(const request_ring& ring) : ring_(ring), key_(secret) {}

  bool operator()(const signed_request& r) {
    key_.compute(r.text(), mac_);
    benchmark::DoNotOptimize(mac_.data());
    const auto e = parser_.parse_batch(r.padded(), batch_);
    benchmark::DoNotOptimize(batch_);
    return e == simdjson::SUCCESS && batch_.events.size() == ring_.events_per_request;
  }

 private:
  const request_ring& ring_;
  alm_bench::precomputed_hmac key_;
  bench::floor_parser parser_;
  bench::floor_parser::view_batch batch_;
  std::array<unsigned char, 32> mac_{};
};

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
