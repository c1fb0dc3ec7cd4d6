// The end-to-end contenders, shared by bench_endpoint.cpp and the revision comparison
// (ab/ab_side.cpp): signed requests laid out as a server receives them, rings of distinct ones,
// the SDK's endpoint with a full memory store, and the sum of the two floors. See
// bench_endpoint.cpp for what is measured and why the store is full.
#pragma once

#include "hmac_floor.hpp"  // first: it allows OpenSSL's deprecated functions

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <simdjson.h>

#include "alm/webhooks/endpoint.hpp"
#include "alm/webhooks/signing.hpp"
#include "bodies.hpp"
#include "floor_parser.hpp"

namespace e2e_bench {

namespace hooks = alm::webhooks;

inline const std::string secret = "alm-shared-secret-2f8c1e";
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

inline const request_ring& ring_of(std::size_t size) {
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

/// The visitor: a catch-all that only counts, so that the run can prove every event reached it.
struct counting_visitor {
  std::size_t events{0};
  template <class Event>
  void on(const Event&) noexcept {
    ++events;
  }
};

/// The SDK: the endpoint with a full memory store (see bench_endpoint.cpp) and the counting
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

}  // namespace e2e_bench
