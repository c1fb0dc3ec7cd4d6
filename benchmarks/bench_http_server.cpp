// The HTTP half of the benchmarks: a cpp-httplib server on 127.0.0.1 that serves the SDK's
// endpoint through the httplib adapter, answers 200 without the SDK (the bare server), or does
// at the floors' cost what any receiver must (the floors server), for wrk to load with the
// signed bodies this program also writes out. http_bench.sh drives it.
//
//   bench_http_server requests SIZE COUNT FILE   write COUNT signed bodies of SIZE bytes (distinct
//                                                eventIds) as a Lua table for http_post.lua
//   bench_http_server sdk SIZE COUNT [PORT]      serve the endpoint at /alm/webhooks
//   bench_http_server bare SIZE COUNT [PORT]     serve a fixed 200 at /alm/webhooks
//   bench_http_server floors SIZE COUNT [PORT]   check the signature with the floor HMAC, parse
//                                                with the floor parser, then answer 200
//
// The servers print "listening PORT" once bound (PORT 0, the default, picks a free one), serve
// until SIGINT or SIGTERM, then print what they served. As in the in-memory benchmark, the SDK's
// idempotency store holds half as many keys as the COUNT bodies carry events, so every request
// is new to it while wrk cycles through them; the server checks that every event was dispatched.

#include "hmac_floor.hpp"  // first: it allows OpenSSL's deprecated functions

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include <httplib.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <simdjson.h>

#include "alm/webhooks/adapters/httplib.hpp"
#include "alm/webhooks/endpoint.hpp"
#include "alm/webhooks/parser.hpp"
#include "alm/webhooks/signing.hpp"
#include "bodies.hpp"
#include "floor_parser.hpp"

namespace {

namespace hooks = alm::webhooks;

const std::string secret = "alm-shared-secret-2f8c1e";
constexpr const char* path = "/alm/webhooks";
const std::string signature_header = "X-ALM-Webhook-Signature";

enum class mode { sdk, bare, floors };

int usage() {
  std::fprintf(stderr,
               "usage: bench_http_server requests SIZE COUNT FILE\n"
               "       bench_http_server sdk|bare|floors SIZE COUNT [PORT]\n");
  return 2;
}

/// Writes the bodies and their signatures as a Lua chunk returning {{body=..., signature=...}}.
int write_requests(std::size_t size, std::size_t count, const char* file) {
  std::ofstream out(file, std::ios::binary);
  out << "return {\n";
  for (std::size_t i = 0; i < count; ++i) {
    const std::string body = alm_bench::batch_body(size, i);
    // A long bracket: JSON bodies never contain "]=]".
    out << "{body=[=[" << body << "]=], signature=\"" << hooks::sign_alm_hmac(secret, body).value()
        << "\"},\n";
  }
  out << "}\n";
  return out.good() ? 0 : 1;
}

/// The events each body of this size carries.
std::size_t events_per_body(std::size_t size) {
  hooks::parser p;
  const auto d = p.parse(std::string_view(alm_bench::batch_body(size)));
  return d ? d->events.size() : 0;
}

/// Counts what the SDK dispatched; handle() runs on every server thread at once.
struct counting_visitor {
  std::atomic<std::size_t> events{0};
  template <class Event>
  void on(const Event&) noexcept {
    events.fetch_add(1, std::memory_order_relaxed);
  }
};

/// What any receiver must do with a delivery, each step at its floor: the signature header found,
/// the body's HMAC computed from precomputed states and compared in constant time with it, the
/// body parsed by the hand-written simdjson loop (in place when the string's spare capacity
/// covers simdjson's padding, else copied once, as the SDK's adapter does). No idempotency, no
/// dispatch: the bound for a server that authenticates and reads what it receives.
class floors_receiver {
 public:
  explicit floors_receiver(std::size_t events) : key_(secret), events_(events) {}

  /// True when the signature matches and the body holds the expected events.
  bool accept(const httplib::Request& req) const {
    thread_local bench::floor_parser parser;
    thread_local bench::floor_parser::view_batch batch;
    thread_local std::string copy;
    const auto header = req.headers.find(signature_header);
    if (header == req.headers.end() || header->second.size() != 64) return false;
    std::array<unsigned char, 32> mac{};
    key_.compute(req.body, mac);
    std::array<char, 64> hex{};
    for (std::size_t i = 0; i < mac.size(); ++i) {
      hex[2 * i] = "0123456789abcdef"[mac[i] >> 4];
      hex[2 * i + 1] = "0123456789abcdef"[mac[i] & 15];
    }
    if (CRYPTO_memcmp(hex.data(), header->second.data(), hex.size()) != 0) return false;
    const std::string* body = &req.body;
    if (body->capacity() - body->size() < simdjson::SIMDJSON_PADDING) {
      copy.reserve(body->size() + simdjson::SIMDJSON_PADDING);
      copy.assign(*body);
      body = &copy;
    }
    const simdjson::padded_string_view view(body->data(), body->size(), body->capacity());
    return parser.parse_batch(view, batch) == simdjson::SUCCESS && batch.events.size() == events_;
  }

 private:
  alm_bench::precomputed_hmac key_;
  std::size_t events_;
};

/// Blocks SIGINT and SIGTERM in every thread (call before starting any), then stops `server`
/// from a thread of its own when one arrives.
std::thread stop_on_signal(httplib::Server& server) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return std::thread([&server, signals] {
    int received = 0;
    sigwait(&signals, &received);
    server.stop();
  });
}

int serve(mode kind, std::size_t size, std::size_t count, int port) {
  httplib::Server server;
  // As production servers do: without it, Nagle's algorithm and delayed ACKs hold every
  // response that httplib writes in two parts for tens of milliseconds.
  server.set_tcp_nodelay(true);
  std::thread stopper = stop_on_signal(server);
  std::atomic<std::size_t> requests{0};
  std::atomic<std::size_t> failures{0};
  counting_visitor visitor;
  std::unique_ptr<hooks::endpoint> ep;
  const std::size_t events = events_per_body(size);
  const floors_receiver floors(events);
  if (kind == mode::sdk) {
    hooks::verifier_options auth;
    auth.alm_hmac.secrets = {secret};
    hooks::memory_idempotency_options store;
    store.max_entries = std::max<std::size_t>(1, count * events / 2);
    hooks::endpoint_options options;
    options.idempotency = std::make_shared<hooks::memory_idempotency_store>(store);
    ep = std::make_unique<hooks::endpoint>(visitor, hooks::make_verifier(auth).value(), options);
    server.Post(path, [&](const httplib::Request& req, httplib::Response& res) {
      hooks::adapters::handle(*ep, req, res);
      requests.fetch_add(1, std::memory_order_relaxed);
      if (res.status != 200) failures.fetch_add(1, std::memory_order_relaxed);
    });
  } else {
    server.Post(path, [&](const httplib::Request& req, httplib::Response& res) {
      if (kind == mode::floors && !floors.accept(req)) {
        res.status = 400;
        failures.fetch_add(1, std::memory_order_relaxed);
      }
      res.set_content(R"({"status":"ok"})", "application/json");
      requests.fetch_add(1, std::memory_order_relaxed);
    });
  }
  const int bound = port == 0 ? server.bind_to_any_port("127.0.0.1")
                              : (server.bind_to_port("127.0.0.1", port) ? port : -1);
  if (bound < 0) {
    std::fprintf(stderr, "cannot bind 127.0.0.1:%d\n", port);
    std::raise(SIGTERM);
    stopper.join();
    return 1;
  }
  std::printf("listening %d\n", bound);
  std::fflush(stdout);
  server.listen_after_bind();
  stopper.join();
  const std::size_t served = requests.load();
  std::printf("served %zu requests, %zu failed", served, failures.load());
  if (kind == mode::sdk) {
    std::printf(", dispatched %zu of %zu events", visitor.events.load(), served * events);
  }
  std::printf("\n");
  const bool complete =
      failures.load() == 0 && (kind != mode::sdk || visitor.events.load() == served * events);
  return complete ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return usage();
  const std::string_view name = argv[1];
  const auto size = static_cast<std::size_t>(std::strtoull(argv[2], nullptr, 10));
  const auto count = static_cast<std::size_t>(std::strtoull(argv[3], nullptr, 10));
  if (size == 0 || count == 0) return usage();
  if (name == "requests") return argc == 5 ? write_requests(size, count, argv[4]) : usage();
  const int port = argc > 4 ? std::atoi(argv[4]) : 0;
  if (name == "sdk") return serve(mode::sdk, size, count, port);
  if (name == "bare") return serve(mode::bare, size, count, port);
  if (name == "floors") return serve(mode::floors, size, count, port);
  return usage();
}
