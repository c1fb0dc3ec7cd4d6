// Scale-out with Redis: two receivers (as behind a load balancer) verify webhooks and queue their
// events in a Redis stream, answering 202 as soon as Redis holds them; two workers share the
// stream through a consumer group and run the handlers, with a Redis idempotency store so that a
// delivery ALM sends twice is handled once.
//
//     redis-server --port 6379 &
//     redis_scale_out [host:port]          (default 127.0.0.1:6379)
//
// The receivers are endpoints called in process here; in a service each sits behind its HTTP
// server (see the adapters). Everything this run writes to Redis is removed at the end.
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include <alm/webhooks.hpp>
#include <alm/webhooks/endpoint.hpp>
#include <alm/webhooks/redis/idempotency_store.hpp>
#include <alm/webhooks/redis/stream_sink.hpp>
#include <alm/webhooks/redis/stream_worker.hpp>
#include <alm/webhooks/signing.hpp>

namespace hooks = alm::webhooks;
namespace redis = alm::webhooks::redis;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view secret = "example-shared-secret";

// The user's handlers: one visitor per worker, so each can say who ran the event.
struct worker_visitor {
  std::string name;
  std::mutex* print_mutex;

  void on(const hooks::batch_enrollment& e, const hooks::event_context& ctx) {
    std::lock_guard<std::mutex> lock(*print_mutex);
    fmt::print("  {} enrolls user {} in {} (event {}, account {}, delivery {})\n", name,
               e.data.user_id.text, e.data.lo_instance_id, e.event_id, ctx.account_id.text,
               ctx.delivery_id);
  }
  void on_unhandled(const hooks::event& e, const hooks::event_context&) {
    std::lock_guard<std::mutex> lock(*print_mutex);
    fmt::print("  {} handles {}\n", name, e);
  }
};

std::string enrollment_body(const std::vector<std::string>& event_ids) {
  std::string body = R"({"accountId":1010,"events":[)";
  for (std::size_t i = 0; i < event_ids.size(); ++i) {
    if (i != 0) body += ',';
    body += fmt::format(
        R"({{"eventId":"{}","eventName":"COURSE_ENROLLMENT_BATCH","timestamp":1727414643000,)"
        R"("data":{{"userId":{},"loId":"course:7374992","loInstanceId":"course:7376092_{}",)"
        R"("loType":"course","enrollmentSource":"ADMIN_ENROLL"}}}})",
        event_ids[i], 4279330 + i, i);
  }
  return body + "]}";
}

// What ALM sends: a signed POST. Returns the receiver's status.
int deliver(const hooks::endpoint& receiver, const std::string& body, const std::string& id) {
  const hooks::result<std::string> signature = hooks::sign_alm_hmac(secret, body);
  if (!signature) return 0;
  const hooks::http_header headers[] = {
      {"Content-Type", "application/json"},
      {"X-ALM-Webhook-Signature", *signature},
      {"webhook-id", id},
  };
  hooks::request_view request;
  request.method = "POST";
  request.target = "/alm/webhooks";
  request.headers = hooks::header_list(headers, std::size(headers));
  request.body = body;
  return receiver.handle(request).status;
}

// "host:port" (or "host") as connection options; nullopt when the port is not a number.
std::optional<redis::connection_options> address(std::string_view text) {
  redis::connection_options o;
  const std::size_t colon = text.rfind(':');
  o.host = std::string(text.substr(0, colon));
  if (colon != std::string_view::npos) {
    const std::string_view port = text.substr(colon + 1);
    const auto [end, fault] = std::from_chars(port.data(), port.data() + port.size(), o.port);
    if (fault != std::errc() || end != port.data() + port.size()) return std::nullopt;
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<redis::connection_options> parsed =
      address(argc > 1 ? argv[1] : "127.0.0.1:6379");
  if (!parsed) {
    fmt::print(stderr, "usage: redis_scale_out [host:port]\n");
    return 2;
  }
  const redis::connection_options& where = *parsed;
  // Names of this run only, so that the example never touches anyone else's data.
  const std::string run = fmt::format("alm:webhooks:example:{}", static_cast<long>(::getpid()));
  redis::stream_options stream;
  stream.stream = run + ":events";
  redis::idempotency_options dedup;
  dedup.key_prefix = run + ":idem:";
  dedup.ttl = 1h;  // a real service keeps the default 7 days

  hooks::result<hooks::verifier> verifier = [] {
    hooks::verifier_options o;
    o.alm_hmac.secrets = {std::string(secret)};
    return hooks::make_verifier(o);
  }();
  if (!verifier) {
    fmt::print(stderr, "verifier: {}\n", verifier.error());
    return 1;
  }

  // Two receivers, each with its own connection pool, as two processes would have.
  redis::connection_pool pool_a(where), pool_b(where);
  redis::stream_sink sink_a(pool_a, stream), sink_b(pool_b, stream);
  const hooks::endpoint receiver_a(sink_a, *verifier), receiver_b(sink_b, *verifier);

  // Two workers in one consumer group, sharing the idempotency store.
  redis::connection_pool worker_pool(where);
  redis::redis_idempotency_store store(worker_pool, dedup);
  std::mutex print_mutex;
  worker_visitor visitor_1{"worker-1", &print_mutex}, visitor_2{"worker-2", &print_mutex};
  redis::worker_options options;
  options.stream = stream.stream;
  options.block = 100ms;
  options.batch_size = 2;  // small batches, so that both workers get some of this short run
  // A copy of an event met while the other worker still runs the first one is left pending and
  // retried after claim_idle: short here, as these handlers take microseconds.
  options.claim_idle = 1s;
  options.claim_interval = 250ms;
  options.consumer = "worker-1";
  redis::stream_worker<worker_visitor> worker_1(where, visitor_1, options, &store);
  options.consumer = "worker-2";
  redis::stream_worker<worker_visitor> worker_2(where, visitor_2, options, &store);

  // ALM's deliveries, spread over the receivers by the load balancer. The last one is a
  // redelivery of d-2 (ALM did not see the first answer in time) that lands on the other one.
  struct sent {
    std::string delivery_id;
    std::vector<std::string> events;
    const hooks::endpoint* receiver;
    const char* receiver_name;
  };
  const std::vector<sent> deliveries = {
      {"d-1", {"e-1", "e-2"}, &receiver_a, "receiver-a"},
      {"d-2", {"e-3", "e-4", "e-5"}, &receiver_b, "receiver-b"},
      {"d-3", {"e-6"}, &receiver_a, "receiver-a"},
      {"d-4", {"e-7", "e-8"}, &receiver_b, "receiver-b"},
      {"d-2", {"e-3", "e-4", "e-5"}, &receiver_a, "receiver-a"},
  };
  constexpr std::size_t distinct_events = 8;
  std::size_t queued = 0;  // stream entries: every event of every delivery answered 202
  for (const sent& d : deliveries) {
    const int status = deliver(*d.receiver, enrollment_body(d.events), d.delivery_id);
    {
      std::lock_guard<std::mutex> lock(print_mutex);
      fmt::print("{} answered {} to delivery {}\n", d.receiver_name, status, d.delivery_id);
    }
    if (status == 202) queued += d.events.size();
  }

  if (queued == 0) {
    fmt::print(stderr, "no delivery was queued: is Redis running at {}:{}? (redis-server)\n",
               where.host, where.port);
    return 1;
  }

  // The receivers have answered; the workers now process what they queued.
  if (hooks::result<void> r = worker_1.start(); !r) {
    fmt::print(stderr, "cannot start a worker: {}\n", r.error());
    return 1;
  }
  if (hooks::result<void> r = worker_2.start(); !r) {
    fmt::print(stderr, "cannot start a worker: {}\n", r.error());
    return 1;
  }

  // Wait until the workers have taken every entry (handled, or skipped as a duplicate).
  const auto settled = [&] {
    const redis::worker_stats s1 = worker_1.stats(), s2 = worker_2.stats();
    return s1.handled + s1.skipped + s2.handled + s2.skipped >= queued;
  };
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!settled() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  worker_1.stop();
  worker_2.stop();

  const redis::worker_stats s1 = worker_1.stats(), s2 = worker_2.stats();
  fmt::print("worker-1: {} handled, {} duplicates skipped\n", s1.handled, s1.skipped);
  fmt::print("worker-2: {} handled, {} duplicates skipped\n", s2.handled, s2.skipped);

  // Leave Redis as it was.
  (void)worker_pool.call({"DEL", stream.stream, stream.stream + ":dead"});
  for (std::size_t i = 1; i <= distinct_events; ++i) {
    (void)worker_pool.call({"DEL", store.redis_key(fmt::format("1010:e-{}", i))});
  }
  const bool complete = settled() && s1.handled + s2.handled == distinct_events;
  if (!complete) fmt::print(stderr, "not every event was handled within 10 s\n");
  return complete ? 0 : 1;
}
