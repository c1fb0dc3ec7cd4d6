// The Redis Streams hand-off against a real redis-server started by the test: stream_sink (XADD),
// stream_worker (consumer group, XACK after success, XAUTOCLAIM of stale entries) and the
// endpoint handing events to the sink.
#include "alm/webhooks/redis/stream_sink.hpp"
#include "alm/webhooks/redis/stream_worker.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "alm/webhooks/endpoint.hpp"
#include "alm/webhooks/parser.hpp"
#include "alm/webhooks/redis/connection.hpp"
#include "alm/webhooks/redis/idempotency_store.hpp"
#include "catch.hpp"
#include "endpoint_support.hpp"
#include "redis_server.hpp"
#include "redis_test_support.hpp"

using namespace alm::webhooks;
using namespace std::chrono_literals;
using redis_test::recording_visitor;
using redis_test::redis_server;

namespace {

// Parses `body` and appends each of its events to the stream; returns the entry ids.
std::vector<std::string> append_body(redis::stream_sink& sink, const std::string& body,
                                     std::string_view delivery_id = "delivery-1") {
  parser p;
  const result<delivery> d = p.parse(body);
  INFO((d ? std::string() : d.error().to_string()));
  REQUIRE(d);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < d->events.size(); ++i) {
    result<std::string> id = sink.append(d->events[i], make_context(*d, i, delivery_id));
    INFO((id ? std::string() : id.error().to_string()));
    REQUIRE(id);
    ids.push_back(*id);
  }
  return ids;
}

// Queues a batch delivery of events `ids` in the stream of `server`, as a receiver would.
void queue_batch(const redis_server& server, std::initializer_list<std::string> ids) {
  redis::connection_pool pool(server.options());
  redis::stream_sink sink(pool);
  append_body(sink, endpoint_test::batch_body(ids));
}

// Every entry of `stream`, read with XRANGE. The entries view `reply`, which owns them.
struct stream_range {
  redis::reply reply;
  std::vector<redis::detail::stream_entry> entries;
};
stream_range read_stream(const redis_server& server, const std::string& stream) {
  redis::connection_pool reader(server.options());
  result<redis::reply> range = reader.call({"XRANGE", stream, "-", "+"});
  REQUIRE(range);
  stream_range out{std::move(*range), {}};
  redis::detail::for_each_entry(
      out.reply.view(), [&](const redis::detail::stream_entry& e) { out.entries.push_back(e); });
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  REQUIRE(file);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

redis::worker_options worker_options_for(std::string consumer) {
  redis::worker_options o;
  o.consumer = std::move(consumer);
  o.claim_idle = 1ms;      // tests reclaim at once instead of waiting a minute
  o.claim_interval = 0ms;  // look for stale entries every round
  o.retry_interval = 1ms;
  return o;
}

// Rounds of `worker` until `done()`; each round reads without blocking.
template <class Worker>
void run_until(Worker& worker, const std::function<bool()>& done) {
  while (!done()) {
    const result<std::size_t> r = worker.run_once(0ms);
    INFO((r ? std::string() : r.error().to_string()));
    REQUIRE(r);
  }
}

// Rounds of `worker` until one finds nothing left to handle.
template <class Worker>
void drain(Worker& worker) {
  for (;;) {
    const result<std::size_t> r = worker.run_once(0ms);
    INFO((r ? std::string() : r.error().to_string()));
    REQUIRE(r);
    if (*r == 0) return;
  }
}

std::string pending_count(const redis_server& server,
                          const std::string& stream = "alm:webhooks:events",
                          const std::string& group = "alm-webhooks") {
  // XPENDING summary: [count, first, last, consumers]; query() shows arrays by size, so count
  // with XPENDING's extended form instead.
  return server.query({"EVAL", "return #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1000)",
                       "1", stream, group});
}

#define REQUIRE_SERVER(server) \
  INFO((server).failure());    \
  REQUIRE((server).running())

}  // namespace

TEST_CASE("stream sink: one entry per event, with its JSON body and metadata") {
  redis_server server;
  REQUIRE_SERVER(server);
  redis::connection_pool pool(server.options());
  redis::stream_sink sink(pool);

  const std::vector<std::string> ids =
      append_body(sink, endpoint_test::batch_body({"b-1", "b-2"}), "delivery-7");
  REQUIRE(ids.size() == 2);
  append_body(sink, redis_test::asyncapi_body("a-1"), "");
  CHECK(server.query({"XLEN", "alm:webhooks:events"}) == "3");

  const stream_range range = read_stream(server, "alm:webhooks:events");
  const std::vector<redis::detail::stream_entry>& entries = range.entries;
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].id() == ids[0]);
  CHECK(entries[0].field("event_id") == "b-1");
  CHECK(entries[0].field("event_name") == "COURSE_ENROLLMENT");
  CHECK(entries[0].field("account_id") == "1010");
  CHECK(entries[0].field("format") == "batch");
  CHECK(entries[0].field("delivery_id") == "delivery-7");
  CHECK(entries[0].has_field("received_at"));
  CHECK(date_time::parse_iso8601(entries[0].field("received_at")).has_value());
  CHECK(entries[1].field("event_id") == "b-2");
  CHECK(entries[2].field("format") == "asyncapi");
  CHECK(entries[2].field("event_name") == "LEARNER_COMPLETION");
  CHECK(entries[2].has_field("delivery_id"));
  CHECK(entries[2].field("delivery_id").empty());
  CHECK_FALSE(entries[2].has_field("nothing"));

  // The batch event's JSON is an envelope of one, carrying the account; it parses back.
  parser p;
  const result<delivery> back = p.parse(entries[1].field("event"));
  REQUIRE(back);
  CHECK(back->format == body_format::batch);
  CHECK(back->account_id.text == "1010");
  REQUIRE(back->events.size() == 1);
  CHECK(event_id_of(back->events[0]) == "b-2");
  CHECK(std::holds_alternative<batch_enrollment>(back->events[0]));
  const result<delivery> asyncapi = p.parse(entries[2].field("event"));
  REQUIRE(asyncapi);
  CHECK(std::holds_alternative<learner_completion>(asyncapi->events[0]));
}

TEST_CASE("stream sink: MAXLEN ~ bounds the stream") {
  redis_server server;
  REQUIRE_SERVER(server);
  // Small stream nodes, so that approximate trimming has whole nodes to drop.
  REQUIRE(server.query({"CONFIG", "SET", "stream-node-max-entries", "10"}) == "OK");
  redis::connection_pool pool(server.options());
  redis::stream_options options;
  options.stream = "trimmed";
  options.max_length = 20;
  redis::stream_sink sink(pool, options);
  for (int i = 0; i < 10; ++i) {
    append_body(sink, endpoint_test::batch_body(
                          {"t-" + std::to_string(i) + "-a", "t-" + std::to_string(i) + "-b",
                           "t-" + std::to_string(i) + "-c", "t-" + std::to_string(i) + "-d",
                           "t-" + std::to_string(i) + "-e"}));
  }
  const long long length = std::stoll(server.query({"XLEN", "trimmed"}));
  CHECK(length >= 20);
  CHECK(length < 50);
}

TEST_CASE("stream sink: Redis unreachable is store_unavailable (503), nothing half-written") {
  redis_server server;
  REQUIRE_SERVER(server);
  redis::connection_pool pool(server.options());
  redis::stream_sink sink(pool);
  server.kill();
  parser p;
  const std::string body = endpoint_test::batch_body({"lost"});
  const result<delivery> d = p.parse(body);
  REQUIRE(d);
  const result<std::string> r = sink.append(d->events[0], make_context(*d, 0));
  REQUIRE_FALSE(r);
  CHECK(r.code() == error_code::store_unavailable);
  CHECK(http_status(r.code()) == 503);
  CHECK(r.error().message.find("Redis") != std::string::npos);
}

TEST_CASE("stream worker: handles every event once, with its context, and acknowledges it") {
  redis_server server;
  REQUIRE_SERVER(server);
  redis::connection_pool pool(server.options());
  redis::stream_sink sink(pool);
  append_body(sink, endpoint_test::batch_body({"w-1", "w-2"}), "delivery-9");
  append_body(sink, redis_test::asyncapi_body("w-3"), "delivery-10");
  append_body(sink, read_file(ALM_WEBHOOKS_TEST_DATA "/batch/unknown_event.json"));

  recording_visitor visitor;
  redis::stream_worker<recording_visitor> worker(server.options(), visitor,
                                                 worker_options_for("w"));
  run_until(worker, [&] { return visitor.count() == 4; });

  const std::vector<recording_visitor::seen> seen = visitor.all();
  REQUIRE(seen.size() == 4);
  CHECK(seen[0].event_id == "w-1");
  CHECK(seen[0].name == "COURSE_ENROLLMENT");
  CHECK(seen[0].account == "1010");
  CHECK(seen[0].format == body_format::batch);
  CHECK(seen[0].delivery_id == "delivery-9");
  CHECK(seen[1].event_id == "w-2");
  CHECK(seen[2].event_id == "w-3");
  CHECK(seen[2].format == body_format::asyncapi);
  CHECK(seen[2].account == "1010");
  CHECK(seen[2].delivery_id == "delivery-10");
  // An event the SDK has no type for travels as raw JSON and still reaches the catch-all.
  CHECK(seen[3].event_id == "0f5d2a8c-6e19-4b73-a4c0-9d8e1b7f3a62");
  CHECK(seen[3].name == "LEARNING_OBJECT_ARCHIVED");
  CHECK(pending_count(server) == "0");
  CHECK(worker.stats().handled == 4);
  CHECK(worker.stats().failed == 0);

  // Nothing more to read: a round finds nothing.
  const result<std::size_t> idle = worker.run_once(0ms);
  REQUIRE(idle);
  CHECK(*idle == 0);
}

TEST_CASE("stream worker: a failed handler leaves the entry pending; the retry handles it") {
  redis_server server;
  REQUIRE_SERVER(server);
  queue_batch(server, {"f-1", "f-2", "f-3"});

  recording_visitor visitor;
  visitor.fail("f-2");
  redis::stream_worker<recording_visitor> worker(server.options(), visitor,
                                                 worker_options_for("f"));
  run_until(worker, [&] { return visitor.attempts("f-3") == 1; });
  CHECK(visitor.handled("f-1") == 1);
  CHECK(visitor.handled("f-2") == 0);
  CHECK(visitor.handled("f-3") == 1);
  CHECK(pending_count(server) == "1");  // f-2, not acknowledged
  CHECK(worker.stats().failed >= 1);

  visitor.heal("f-2");
  run_until(worker, [&] { return visitor.handled("f-2") == 1; });
  CHECK(pending_count(server) == "0");
  CHECK(visitor.handled("f-1") == 1);
  CHECK(visitor.handled("f-3") == 1);
  CHECK(worker.stats().reclaimed >= 1);
}

TEST_CASE("stream worker: an entry failing max_deliveries times goes to the dead-letter stream") {
  redis_server server;
  REQUIRE_SERVER(server);
  queue_batch(server, {"p-1", "p-2", "p-3"});

  recording_visitor visitor;
  visitor.fail("p-2");  // a poison entry: its handler never succeeds
  std::vector<error> reported;
  redis::worker_options options = worker_options_for("p");
  options.max_deliveries = 3;
  options.on_error = [&](const error& e) { reported.push_back(e); };
  redis::stream_worker<recording_visitor> worker(server.options(), visitor, options);
  run_until(worker, [&] { return worker.stats().dead == 1; });

  CHECK(visitor.attempts("p-2") == 3);  // exactly max_deliveries runs, none after
  CHECK(visitor.handled("p-1") == 1);
  CHECK(visitor.handled("p-3") == 1);
  CHECK(pending_count(server) == "0");  // acknowledged once moved
  drain(worker);
  CHECK(visitor.attempts("p-2") == 3);

  const stream_range dead = read_stream(server, "alm:webhooks:events:dead");
  const std::vector<redis::detail::stream_entry>& entries = dead.entries;
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].field("event_id") == "p-2");
  CHECK(entries[0].field("error") == "delivered 3 times without success (max_deliveries)");
  REQUIRE(reported.size() == 1);
  CHECK(reported[0].code == error_code::handler_failed);
}

TEST_CASE("stream worker: without max_deliveries a failing entry stays pending") {
  redis_server server;
  REQUIRE_SERVER(server);
  queue_batch(server, {"q-1"});

  recording_visitor visitor;
  visitor.fail("q-1");
  redis::stream_worker<recording_visitor> worker(server.options(), visitor,
                                                 worker_options_for("q"));
  run_until(worker, [&] { return visitor.attempts("q-1") >= 6; });
  CHECK(worker.stats().dead == 0);
  CHECK(pending_count(server) == "1");
  CHECK(server.query({"EXISTS", "alm:webhooks:events:dead"}) == "0");
}

TEST_CASE("stream worker: a worker killed mid-batch has its entries reclaimed by another") {
  redis_server server;
  REQUIRE_SERVER(server);
  {
    redis::connection_pool pool(server.options());
    redis::stream_sink sink(pool);
    append_body(sink, endpoint_test::batch_body({"k-1", "k-2", "k-3"}));
  }

  // Worker A runs in a child process whose handler reports the event it got, then hangs; the
  // test kills the process there, as a crash or an OOM kill would, with the batch unacknowledged.
  int to_parent[2];
  REQUIRE(::pipe(to_parent) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(to_parent[0]);
    struct hanging_visitor {
      int out;
      void on_unhandled(const event&) {
        const char started = 'x';
        (void)!::write(out, &started, 1);
        for (;;)
          ::pause();
      }
    } hang{to_parent[1]};
    redis::stream_worker<hanging_visitor> a(server.options(), hang, worker_options_for("a"));
    (void)a.run_once(0ms);
    ::_exit(0);
  }
  ::close(to_parent[1]);
  char started = 0;
  REQUIRE(::read(to_parent[0], &started, 1) == 1);  // A is inside the handler of k-1
  ::close(to_parent[0]);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  CHECK(pending_count(server) == "3");  // the whole batch was delivered to A

  recording_visitor visitor;
  SECTION("another worker takes them over once they are idle longer than claim_idle") {
    redis::stream_worker<recording_visitor> b(server.options(), visitor, worker_options_for("b"));
    run_until(b, [&] { return visitor.count() == 3; });
    CHECK(b.stats().reclaimed == 3);
  }
  SECTION("A restarted under the same consumer name reads its own pending entries first") {
    redis::worker_options options = worker_options_for("a");
    options.claim_idle = 1h;  // no reclaiming: only the consumer's own history brings them back
    redis::stream_worker<recording_visitor> again(server.options(), visitor, options);
    run_until(again, [&] { return visitor.count() == 3; });
    CHECK(again.stats().reclaimed == 0);
  }
  CHECK(visitor.handled("k-1") == 1);
  CHECK(visitor.handled("k-2") == 1);
  CHECK(visitor.handled("k-3") == 1);
  CHECK(pending_count(server) == "0");
}

TEST_CASE("stream worker: when the idempotency store is down, the worker applies its policy") {
  redis_server server;
  REQUIRE_SERVER(server);
  redis_server store_server;  // the store in a Redis of its own, so that it alone can fail
  REQUIRE_SERVER(store_server);
  redis::connection_pool pool(server.options());
  redis::stream_sink sink(pool);
  append_body(sink, endpoint_test::batch_body({"sp-1"}));
  redis::connection_pool store_pool(store_server.options());
  redis::redis_idempotency_store store(store_pool);
  store_server.kill();

  recording_visitor visitor;
  redis::worker_options options = worker_options_for("sp");
  SECTION("fail closed: the handler does not run; the entry stays pending for a retry") {
    options.store_failure = store_failure_policy::fail_closed;
    redis::stream_worker<recording_visitor> worker(server.options(), visitor, options, &store);
    run_until(worker, [&] { return worker.stats().deferred >= 1; });
    CHECK(visitor.count() == 0);
    CHECK(pending_count(server) == "1");

    REQUIRE(store_server.start());
    run_until(worker, [&] { return visitor.count() == 1; });
    CHECK(pending_count(server) == "0");
  }
  SECTION("fail open: the handler runs without de-duplication") {
    options.store_failure = store_failure_policy::fail_open;
    redis::stream_worker<recording_visitor> worker(server.options(), visitor, options, &store);
    run_until(worker, [&] { return visitor.count() == 1; });
    CHECK(pending_count(server) == "0");
  }
}

TEST_CASE("stream worker: two workers in one group share the entries, each handled once") {
  redis_server server;
  REQUIRE_SERVER(server);
  redis::connection_pool pool(server.options());
  redis::stream_sink sink(pool);
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i)
    ids.push_back("s-" + std::to_string(i));
  append_body(sink, endpoint_test::batch_body(ids));

  recording_visitor visitor;  // shared by both workers: it is thread-safe
  redis::worker_options options_a = worker_options_for("a");
  redis::worker_options options_b = worker_options_for("b");
  options_a.batch_size = options_b.batch_size = 3;
  // Nothing is stale here: with a 1 ms claim_idle each would take over the other's batch.
  options_a.claim_idle = options_b.claim_idle = 1h;
  redis::stream_worker<recording_visitor> a(server.options(), visitor, options_a);
  redis::stream_worker<recording_visitor> b(server.options(), visitor, options_b);
  REQUIRE(a.start());
  REQUIRE(b.start());
  while (visitor.count() < ids.size())
    std::this_thread::yield();
  a.stop();
  b.stop();

  for (const std::string& id : ids)
    CHECK(visitor.handled(id) == 1);
  CHECK(a.stats().handled + b.stats().handled == ids.size());
  CHECK(pending_count(server) == "0");
}

TEST_CASE("stream worker: with an idempotency store, an event queued twice runs once") {
  redis_server server;
  REQUIRE_SERVER(server);
  redis::connection_pool pool(server.options());
  redis::stream_sink sink(pool);
  redis::redis_idempotency_store store(pool);
  // ALM redelivered the same body (no 2xx in time): both copies were queued.
  append_body(sink, endpoint_test::batch_body({"d-1"}));
  append_body(sink, endpoint_test::batch_body({"d-1"}));

  recording_visitor visitor;
  redis::stream_worker<recording_visitor> worker(server.options(), visitor, worker_options_for("d"),
                                                 &store);
  run_until(worker, [&] { return worker.stats().handled + worker.stats().skipped == 2; });
  CHECK(visitor.handled("d-1") == 1);
  CHECK(worker.stats().skipped == 1);
  CHECK(pending_count(server) == "0");
  CHECK(server.query({"GET", "alm:webhooks:idem:1010:d-1"}) == "processed");
}

TEST_CASE("stream worker: an unreadable entry goes to the dead-letter stream") {
  redis_server server;
  REQUIRE_SERVER(server);
  REQUIRE(server.query({"XADD", "alm:webhooks:events", "*", "event", "not json", "event_id",
                        "bad-1"}) != "(no reply)");
  REQUIRE(server.query({"XADD", "alm:webhooks:events", "*", "event_id", "bad-2"}) != "(no reply)");

  std::vector<error> reported;
  recording_visitor visitor;
  redis::worker_options options = worker_options_for("dl");
  options.on_error = [&](const error& e) { reported.push_back(e); };
  redis::stream_worker<recording_visitor> worker(server.options(), visitor, options);
  run_until(worker, [&] { return worker.stats().dead == 2; });

  CHECK(visitor.count() == 0);
  CHECK(pending_count(server) == "0");
  CHECK(server.query({"XLEN", "alm:webhooks:events:dead"}) == "2");
  REQUIRE(reported.size() == 2);
  CHECK(reported[0].code == error_code::invalid_json);
  CHECK(reported[1].code == error_code::missing_field);
}

TEST_CASE("stream worker: stop() interrupts a blocked read") {
  redis_server server;
  REQUIRE_SERVER(server);
  recording_visitor visitor;
  redis::worker_options options = worker_options_for("blocked");
  options.block = 1h;  // only the interrupt can end this read
  redis::stream_worker<recording_visitor> worker(server.options(), visitor, options);
  REQUIRE(worker.start());
  // Wait until the worker is blocked in XREADGROUP on the server.
  while (server.query({"INFO", "clients"}).find("blocked_clients:1") == std::string::npos) {
    std::this_thread::yield();
  }
  CHECK(worker.start().code() == error_code::invalid_configuration);
  worker.stop();
  CHECK(worker.stats().redis_errors == 0);
  worker.stop();  // idempotent
}

TEST_CASE("stream worker: start fails while Redis is down; a running worker survives a restart") {
  redis_server server;
  REQUIRE_SERVER(server);
  recording_visitor visitor;
  std::vector<error> reported;
  std::mutex reported_mutex;
  redis::worker_options options = worker_options_for("r");
  options.block = 50ms;
  options.on_error = [&](const error& e) {
    std::lock_guard<std::mutex> lock(reported_mutex);
    reported.push_back(e);
  };
  redis::stream_worker<recording_visitor> worker(server.options(), visitor, options);

  server.kill();
  const result<void> down = worker.start();
  REQUIRE_FALSE(down);
  CHECK(down.code() == error_code::store_unavailable);

  REQUIRE(server.start());
  REQUIRE(worker.start());
  server.kill();  // a fresh server comes back empty: no stream, no group
  REQUIRE(server.start());
  redis::connection_pool pool(server.options());
  redis::stream_sink sink(pool);
  append_body(sink, endpoint_test::batch_body({"after-restart"}));
  while (visitor.handled("after-restart") == 0)
    std::this_thread::yield();
  worker.stop();
  CHECK(worker.stats().redis_errors >= 1);
  std::lock_guard<std::mutex> lock(reported_mutex);
  REQUIRE_FALSE(reported.empty());
  CHECK(reported.front().code == error_code::store_unavailable);
}

// ---- The endpoint handing deliveries to the stream ---------------------------------------------

namespace {

// A receiver in hand-off mode: its own pool (as a separate process would have) and sink.
struct stream_receiver {
  redis::connection_pool pool;
  redis::stream_sink sink;
  endpoint ep;

  explicit stream_receiver(const redis_server& server)
      : pool(server.options()), sink(pool), ep(sink, endpoint_test::hmac_verifier()) {}

  response send(const std::string& body, const std::string& delivery_id = "") {
    endpoint_test::owned_request request = endpoint_test::signed_post(body);
    if (!delivery_id.empty()) request.header("webhook-id", delivery_id);
    return ep.handle(request.view());
  }
};

}  // namespace

TEST_CASE("endpoint hand-off: 202 once the events are in the stream; a worker handles them") {
  redis_server server;
  REQUIRE_SERVER(server);
  stream_receiver receiver(server);

  const response r = receiver.send(endpoint_test::batch_body({"h-1", "h-2"}), "delivery-h");
  CHECK(r.status == 202);
  CHECK(server.query({"XLEN", "alm:webhooks:events"}) == "2");  // there before the 202 returned
  CHECK(receiver.send(redis_test::asyncapi_body("h-3")).status == 202);
  CHECK(server.query({"XLEN", "alm:webhooks:events"}) == "3");

  // A bad signature or body never reaches the stream.
  endpoint_test::owned_request forged =
      endpoint_test::signed_post(endpoint_test::batch_body({"x"}));
  forged.body = endpoint_test::batch_body({"forged"});
  CHECK(receiver.ep.handle(forged.view()).status == 401);
  CHECK(receiver.send("{\"accountId\":1010}").status == 400);
  CHECK(server.query({"XLEN", "alm:webhooks:events"}) == "3");

  recording_visitor visitor;
  redis::stream_worker<recording_visitor> worker(server.options(), visitor,
                                                 worker_options_for("h"));
  run_until(worker, [&] { return visitor.count() == 3; });
  const std::vector<recording_visitor::seen> seen = visitor.all();
  CHECK(seen[0].event_id == "h-1");
  CHECK(seen[0].delivery_id == "delivery-h");
  CHECK(seen[1].event_id == "h-2");
  CHECK(seen[2].event_id == "h-3");
  CHECK(seen[2].format == body_format::asyncapi);
  CHECK(pending_count(server) == "0");
}

TEST_CASE("endpoint hand-off: two receivers queue the same delivery; it is handled once") {
  redis_server server;
  REQUIRE_SERVER(server);
  stream_receiver first(server);
  stream_receiver second(server);
  const std::string body = endpoint_test::batch_body({"twice-1", "twice-2"});
  std::atomic<int> status_a{0}, status_b{0};
  std::thread a([&] { status_a = first.send(body).status; });
  std::thread b([&] { status_b = second.send(body).status; });
  a.join();
  b.join();
  CHECK(status_a == 202);
  CHECK(status_b == 202);
  CHECK(server.query({"XLEN", "alm:webhooks:events"}) == "4");

  redis::connection_pool pool(server.options());
  redis::redis_idempotency_store store(pool);
  recording_visitor visitor;
  redis::stream_worker<recording_visitor> one(server.options(), visitor, worker_options_for("1"),
                                              &store);
  redis::stream_worker<recording_visitor> two(server.options(), visitor, worker_options_for("2"),
                                              &store);
  auto settled = [&] {
    return one.stats().handled + one.stats().skipped + two.stats().handled + two.stats().skipped ==
           4;
  };
  while (!settled()) {
    REQUIRE(one.run_once(0ms));
    REQUIRE(two.run_once(0ms));
  }
  CHECK(visitor.handled("twice-1") == 1);
  CHECK(visitor.handled("twice-2") == 1);
  CHECK(pending_count(server) == "0");
}

TEST_CASE("endpoint hand-off: Redis killed mid-run answers 503, and no 202 is lost") {
  // Redis fsyncs its append-only file before each reply: what it acknowledged survives a crash.
  redis_server server(redis_test::persistence::always_sync);
  REQUIRE_SERVER(server);
  stream_receiver receiver(server);

  // A sender delivers bodies one after another, as ALM does, and retries each until a 2xx.
  std::mutex mutex;
  std::vector<std::string> accepted;  // event ids of deliveries answered 202
  std::vector<int> refusals;          // statuses other than 202
  std::atomic<bool> done{false};
  constexpr int total = 40;
  std::thread sender([&] {
    for (int i = 0; i < total; ++i) {
      const std::string id = "p-" + std::to_string(i);
      for (;;) {
        const int status = receiver.send(endpoint_test::batch_body({id})).status;
        std::lock_guard<std::mutex> lock(mutex);
        if (status == 202) {
          accepted.push_back(id);
          break;
        }
        refusals.push_back(status);
      }
    }
    done = true;
  });
  auto count = [&](const std::vector<std::string>& v) {
    std::lock_guard<std::mutex> lock(mutex);
    return v.size();
  };
  auto refused = [&] {
    std::lock_guard<std::mutex> lock(mutex);
    return refusals.size();
  };
  while (count(accepted) < 10)
    std::this_thread::yield();
  server.kill();  // SIGKILL: no shutdown, no final save
  while (refused() < 3)
    std::this_thread::yield();
  REQUIRE(server.start());  // same port and directory: the AOF is replayed
  sender.join();
  REQUIRE(done);

  {
    std::lock_guard<std::mutex> lock(mutex);
    REQUIRE(accepted.size() == total);
    for (const int status : refusals)
      CHECK(status == 503);
  }
  recording_visitor visitor;
  redis::stream_worker<recording_visitor> worker(server.options(), visitor,
                                                 worker_options_for("p"));
  drain(worker);
  CHECK(std::stoll(server.query({"XLEN", "alm:webhooks:events"})) >= total);
  for (const std::string& id : accepted) {
    INFO(id);
    CHECK(visitor.handled(id) >= 1);  // at least once: every acknowledged event is there
  }
}
