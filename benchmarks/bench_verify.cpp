// Signature verification: the SDK's verifier against the least any HMAC-SHA256 can cost (a
// hand-written loop over precomputed inner and outer SHA-256 states, "floor") and against the
// ways OpenSSL 3 is commonly called (one-shot HMAC(), EVP_MAC contexts), on realistic bodies of
// 360 B, 3.4 KB and 34 KB. Also the SDK's other schemes, for sizing, and the SDK and the floor
// paired in alternating slices (paired.hpp), which gives the judged ratio.
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release
//   -DALM_WEBHOOKS_BUILD_BENCHMARKS=ON cmake --build build-bench --target bench_verify
//   build-bench/benchmarks/bench_verify --benchmark_repetitions=10
//       --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true

// The floor (hmac_floor.hpp, first: it allows OpenSSL's deprecated functions) uses the low-level
// SHA256_* functions, and the baseline is the one-shot HMAC() that applications call; both are
// deprecated in OpenSSL 3 but are exactly what is being compared.
#include "hmac_floor.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include "alm/webhooks/signature.hpp"
#include "alm/webhooks/signing.hpp"
#include "bench_main.hpp"
#include "bodies.hpp"
#include "paired.hpp"

namespace {

namespace hooks = alm::webhooks;

const std::string secret = "alm-shared-secret-2f8c1e";

/// One body per size, with its hex signature.
struct request {
  std::string body;
  std::string signature;
  std::string length;

  explicit request(std::size_t size)
      : body(alm_bench::batch_body(size)),
        signature(hooks::sign_alm_hmac(secret, body).value()),
        length(std::to_string(body.size())) {}
};

const request& request_of(std::size_t size) {
  static const std::vector<std::unique_ptr<request>> all = [] {
    std::vector<std::unique_ptr<request>> out;
    for (std::size_t s : alm_bench::body_sizes)
      out.push_back(std::make_unique<request>(s));
    return out;
  }();
  for (const auto& r : all) {
    if (r->body.size() == size) return *r;
  }
  std::fprintf(stderr, "no request of %zu bytes\n", size);
  std::abort();
}

/// The headers ALM would send with `r`, carrying `signature`.
std::array<hooks::http_header, 5> alm_headers(const request& r, std::string_view signature) {
  return {{{"Host", "hooks.example.com"},
           {"User-Agent", "Adobe Learning Manager"},
           {"Content-Type", "application/json"},
           {"Content-Length", r.length},
           {"X-ALM-Webhook-Signature", signature}}};
}

void count_bytes(benchmark::State& state, std::size_t size) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}

/// The SDK's verifier on a request signed in `encoding` (hex, as the vectors list first, or
/// base64), as a `() -> bool` call (false when it refuses the request).
class sdk_verify {
 public:
  sdk_verify(const request& r, hooks::signature_encoding encoding)
      : request_(r),
        signature_(hooks::sign_alm_hmac(secret, r.body, encoding).value()),
        headers_(alm_headers(r, signature_)),
        verifier_(make()) {}
  sdk_verify(const sdk_verify&) = delete;
  sdk_verify& operator=(const sdk_verify&) = delete;

  bool operator()() const {
    const hooks::verification_result result =
        verifier_.verify(hooks::header_list(headers_.data(), headers_.size()), request_.body);
    benchmark::DoNotOptimize(result.has_value());
    return result.has_value();
  }

 private:
  static hooks::verifier make() {
    hooks::verifier_options options;
    options.alm_hmac.secrets = {secret};
    return hooks::make_verifier(options).value();
  }

  const request& request_;
  std::string signature_;
  std::array<hooks::http_header, 5> headers_;
  hooks::verifier verifier_;
};

/// The floor, as a `() -> bool` call; matches() tells whether its last MAC was the right one.
class floor_verify {
 public:
  explicit floor_verify(const request& r) : request_(r), key_(secret) {}

  bool operator()() {
    key_.compute(request_.body, mac_);
    benchmark::DoNotOptimize(mac_.data());
    benchmark::ClobberMemory();
    return true;
  }
  bool matches() const {
    return hooks::detail::to_hex(mac_.data(), mac_.size()) == request_.signature;
  }

 private:
  const request& request_;
  alm_bench::precomputed_hmac key_;
  std::array<unsigned char, 32> mac_{};
};

template <hooks::signature_encoding encoding>
void bench_sdk(benchmark::State& state) {
  const request& r = request_of(static_cast<std::size_t>(state.range(0)));
  const sdk_verify verify(r, encoding);
  if (!verify()) state.SkipWithError("the SDK rejected a valid signature");
  for (auto _ : state)
    verify();
  count_bytes(state, r.body.size());
}

void bench_floor(benchmark::State& state) {
  const request& r = request_of(static_cast<std::size_t>(state.range(0)));
  floor_verify floor(r);
  for (auto _ : state)
    floor();
  if (!floor.matches()) state.SkipWithError("the floor computed a different MAC");
  count_bytes(state, r.body.size());
}

/// The SDK and the floor in alternating slices (paired.hpp): the judged ratio.
void bench_sdk_vs_floor(benchmark::State& state) {
  const request& r = request_of(static_cast<std::size_t>(state.range(0)));
  const sdk_verify verify(r, hooks::signature_encoding::hex);
  floor_verify floor(r);
  if (!verify() || !floor() || !floor.matches()) {
    state.SkipWithError("the SDK or the floor disagrees with the signature");
    return;
  }
  alm_bench::run_paired(state, verify, floor);
}

/// One-shot HMAC() over the body (the MAC only: no decoding or comparison), as a `() -> bool`
/// call.
class hmac_oneshot {
 public:
  explicit hmac_oneshot(const request& r) : request_(r) {}
  bool operator()() {
    unsigned int size = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(request_.body.data()), request_.body.size(),
         mac_.data(), &size);
    benchmark::DoNotOptimize(mac_.data());
    benchmark::ClobberMemory();
    return size == 32;
  }

 private:
  const request& request_;
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac_{};
};

void bench_hmac_oneshot(benchmark::State& state) {
  const request& r = request_of(static_cast<std::size_t>(state.range(0)));
  hmac_oneshot mac(r);
  for (auto _ : state)
    mac();
  count_bytes(state, r.body.size());
}

/// HMAC() and the SDK in alternating slices: the judged "faster than HMAC()" ratio.
void bench_hmac_oneshot_vs_sdk(benchmark::State& state) {
  const request& r = request_of(static_cast<std::size_t>(state.range(0)));
  hmac_oneshot mac(r);
  const sdk_verify verify(r, hooks::signature_encoding::hex);
  if (!mac() || !verify()) {
    state.SkipWithError("HMAC() or the SDK failed");
    return;
  }
  alm_bench::run_paired(state, mac, verify);
}

/// EVP_MAC with the key set once; per request either a duplicate of the keyed context or the
/// same context re-initialised (key NULL keeps the key).
template <bool duplicate>
void bench_evp_mac(benchmark::State& state) {
  const request& r = request_of(static_cast<std::size_t>(state.range(0)));
  EVP_MAC* mac_algorithm = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* keyed = EVP_MAC_CTX_new(mac_algorithm);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_END};
  EVP_MAC_init(keyed, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), params);
  std::array<unsigned char, 32> mac{};
  std::size_t size = 0;
  for (auto _ : state) {
    EVP_MAC_CTX* ctx = duplicate ? EVP_MAC_CTX_dup(keyed) : keyed;
    if (!duplicate) EVP_MAC_init(ctx, nullptr, 0, nullptr);
    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(r.body.data()), r.body.size());
    EVP_MAC_final(ctx, mac.data(), &size, mac.size());
    if (duplicate) EVP_MAC_CTX_free(ctx);
    benchmark::DoNotOptimize(mac.data());
    benchmark::ClobberMemory();
  }
  EVP_MAC_CTX_free(keyed);
  EVP_MAC_free(mac_algorithm);
  if (hooks::detail::to_hex(mac.data(), mac.size()) != r.signature) {
    state.SkipWithError("EVP_MAC computed a different MAC");
  }
  count_bytes(state, r.body.size());
}

void bench_sdk_standard_webhooks(benchmark::State& state) {
  const request& r = request_of(static_cast<std::size_t>(state.range(0)));
  const std::string sw_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const std::int64_t now = 1614265330;
  const auto signed_headers =
      hooks::sign_standard_webhooks(sw_secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", now, r.body).value();
  const std::array<hooks::http_header, 4> headers{
      {{"Content-Type", "application/json"},
       {"webhook-id", signed_headers.id},
       {"webhook-timestamp", signed_headers.timestamp},
       {"webhook-signature", signed_headers.signature}}};
  hooks::verifier_options options;
  options.scheme = hooks::auth_scheme::standard_webhooks;
  options.standard_webhooks.secrets = {sw_secret};
  options.clock = [now] { return now; };
  const hooks::verifier v = hooks::make_verifier(options).value();
  const hooks::header_list list(headers.data(), headers.size());
  if (!v.verify(list, r.body)) state.SkipWithError("the SDK rejected a valid signature");
  for (auto _ : state)
    benchmark::DoNotOptimize(v.verify(list, r.body).has_value());
  count_bytes(state, r.body.size());
}

void bench_sdk_adobe_io(benchmark::State& state) {
  const request& r = request_of(static_cast<std::size_t>(state.range(0)));
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> pub(BIO_new(BIO_s_mem()), &BIO_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> priv(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PUBKEY(pub.get(), key.get());
  PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  auto text = [](BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
  };
  const std::string signature =
      hooks::adobe_io_signer::make(text(priv.get())).value().sign(r.body).value();
  const std::array<hooks::http_header, 2> headers{
      {{"Content-Type", "application/json"}, {"x-adobe-digital-signature-1", signature}}};
  hooks::verifier_options options;
  options.scheme = hooks::auth_scheme::adobe_io;
  options.adobe_io.public_keys_pem = {text(pub.get())};
  const hooks::verifier v = hooks::make_verifier(options).value();
  const hooks::header_list list(headers.data(), headers.size());
  if (!v.verify(list, r.body)) state.SkipWithError("the SDK rejected a valid signature");
  for (auto _ : state)
    benchmark::DoNotOptimize(v.verify(list, r.body).has_value());
  count_bytes(state, r.body.size());
}

void register_all() {
  const std::pair<const char*, alm_bench::benchmark_function> benchmarks[] = {
      {"verify/sdk", bench_sdk<hooks::signature_encoding::hex>},
      {"verify/sdk_base64", bench_sdk<hooks::signature_encoding::base64>},
      {"verify/floor", bench_floor},
      {"verify/sdk_vs_floor", bench_sdk_vs_floor},
      {"verify/hmac_oneshot", bench_hmac_oneshot},
      {"verify/hmac_oneshot_vs_sdk", bench_hmac_oneshot_vs_sdk},
      {"verify/evp_mac_dup", bench_evp_mac<true>},
      {"verify/evp_mac_reinit", bench_evp_mac<false>},
      {"verify/sdk_standard_webhooks", bench_sdk_standard_webhooks},
      {"verify/sdk_adobe_io", bench_sdk_adobe_io},
  };
  alm_bench::register_per_body_size(benchmarks);
}

}  // namespace

int main(int argc, char** argv) {
  return alm_bench::run_benchmarks(argc, argv, register_all,
                                   {
                                       {"verify", "sdk", "floor", "target <= 1.15"},
                                       {"verify", "sdk_base64", "floor", ""},
                                       {"verify", "hmac_oneshot", "sdk", "target >= 4 at 360 B"},
                                       {"verify", "evp_mac_dup", "sdk", ""},
                                       {"verify", "evp_mac_reinit", "sdk", ""},
                                       {"verify", "sdk_standard_webhooks", "floor", ""},
                                   });
}
