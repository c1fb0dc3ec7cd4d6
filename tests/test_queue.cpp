#include "alm/webhooks/queue.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catch.hpp"
#include "endpoint_support.hpp"

using namespace alm::webhooks;
using namespace endpoint_test;

namespace {

struct dropped_delivery {
  std::string body;
  std::string delivery_id;
  error failure;
};

/// Queue options for tests: no pause before retries, and a record of dropped deliveries.
struct recorder {
  std::mutex mutex;
  std::vector<dropped_delivery> dropped;

  queue_options options(std::size_t capacity = 16, std::size_t workers = 1) {
    queue_options o;
    o.capacity = capacity;
    o.workers = workers;
    o.retry_delay = std::chrono::milliseconds(0);
    o.on_dropped = [this](std::string_view body, std::string_view id, const error& e) {
      std::lock_guard<std::mutex> lock(mutex);
      dropped.push_back({std::string(body), std::string(id), e});
    };
    return o;
  }
};

}  // namespace

TEST_CASE("queued deliveries are processed by the workers", "[queue]") {
  counting_visitor visitor;
  recorder rec;
  work_queue<counting_visitor> queue(visitor, rec.options(16, 3));
  CHECK(queue.workers() == 3);
  for (int i = 0; i < 10; ++i) {
    const std::string id = "w-" + std::to_string(i);
    REQUIRE(queue.push(batch_body({id, id + "b"}), "delivery-" + std::to_string(i)));
  }
  queue.wait_idle();
  CHECK(queue.size() == 0);
  const auto runs = visitor.runs();
  CHECK(runs.size() == 20);
  for (const auto& [id, count] : runs)
    CHECK(count == 1);
  CHECK(visitor.delivery_ids().size() == 20);
  CHECK(rec.dropped.empty());
}

TEST_CASE("a full queue refuses with queue_full", "[queue]") {
  counting_visitor visitor;
  recorder rec;
  work_queue<counting_visitor> queue(visitor, rec.options(2, 1));
  visitor.hold();
  REQUIRE(queue.push(batch_body({"f-0"})));
  visitor.wait_started(1);
  REQUIRE(queue.push(batch_body({"f-1"})));
  REQUIRE(queue.push(batch_body({"f-2"})));
  CHECK(queue.size() == 2);
  const result<void> refused = queue.push(batch_body({"f-3"}));
  REQUIRE_FALSE(refused);
  CHECK(refused.code() == error_code::queue_full);
  CHECK(refused.error().message == "the queue is full (2 deliveries waiting)");
  CHECK(http_status(refused.code()) == 503);
  visitor.release();
  queue.wait_idle();
  CHECK(visitor.runs() == std::map<std::string, int>{{"f-0", 1}, {"f-1", 1}, {"f-2", 1}});
}

TEST_CASE("shutdown drains the queue, then refuses", "[queue]") {
  counting_visitor visitor;
  recorder rec;
  work_queue<counting_visitor> queue(visitor, rec.options(8, 1));
  visitor.hold();
  for (int i = 0; i < 5; ++i)
    REQUIRE(queue.push(batch_body({"s-" + std::to_string(i)})));
  visitor.wait_started(1);
  visitor.release();
  queue.shutdown();
  CHECK(visitor.runs().size() == 5);
  const result<void> late = queue.push(batch_body({"late"}));
  REQUIRE_FALSE(late);
  CHECK(late.code() == error_code::queue_full);
  CHECK(late.error().message == "the queue is shutting down");
  queue.shutdown();  // idempotent
}

TEST_CASE("the destructor drains too", "[queue]") {
  counting_visitor visitor;
  recorder rec;
  {
    work_queue<counting_visitor> queue(visitor, rec.options(8, 2));
    for (int i = 0; i < 6; ++i)
      REQUIRE(queue.push(batch_body({"d-" + std::to_string(i)})));
  }
  CHECK(visitor.runs().size() == 6);
}

TEST_CASE("failed events are retried; succeeded ones are not run again", "[queue]") {
  counting_visitor visitor;
  recorder rec;
  queue_options options = rec.options();
  options.max_attempts = 3;
  visitor.fail("x-2");
  work_queue<counting_visitor> queue(visitor, options);
  REQUIRE(queue.push(batch_body({"x-1", "x-2", "x-3"}), "msg_9"));
  queue.wait_idle();
  CHECK(visitor.runs() == std::map<std::string, int>{{"x-1", 1}, {"x-2", 3}, {"x-3", 1}});
  REQUIRE(rec.dropped.size() == 1);
  CHECK(rec.dropped[0].body == batch_body({"x-1", "x-2", "x-3"}));
  CHECK(rec.dropped[0].delivery_id == "msg_9");
  CHECK(rec.dropped[0].failure.code == error_code::handler_failed);
  CHECK(rec.dropped[0].failure.message == "the handler threw: handler failed for x-2");

  // Redelivered later, the event that failed is the only one to run.
  visitor.heal();
  REQUIRE(queue.push(batch_body({"x-1", "x-2", "x-3"})));
  queue.wait_idle();
  CHECK(visitor.runs() == std::map<std::string, int>{{"x-1", 1}, {"x-2", 4}, {"x-3", 1}});
  CHECK(rec.dropped.size() == 1);
}

TEST_CASE("without a store there is no retry", "[queue]") {
  counting_visitor visitor;
  recorder rec;
  queue_options options = rec.options();
  options.idempotency = nullptr;
  visitor.fail("n-1");
  work_queue<counting_visitor> queue(visitor, options);
  REQUIRE(queue.push(batch_body({"n-1", "n-2"})));
  REQUIRE(queue.push(batch_body({"n-2"})));  // no de-duplication either
  queue.wait_idle();
  CHECK(visitor.runs() == std::map<std::string, int>{{"n-1", 1}, {"n-2", 2}});
  CHECK(rec.dropped.size() == 1);
}

TEST_CASE("duplicates in the queue are skipped by the store", "[queue]") {
  counting_visitor visitor;
  recorder rec;
  work_queue<counting_visitor> queue(visitor, rec.options(16, 2));
  for (int i = 0; i < 6; ++i)
    REQUIRE(queue.push(batch_body({"same-1", "same-2"})));
  queue.wait_idle();
  // With two workers, a duplicate may meet the first still running: it is deferred and retried
  // (skipped once the first committed, dropped if the first is still running after the
  // retries). Either way each event ran once.
  CHECK(visitor.runs() == std::map<std::string, int>{{"same-1", 1}, {"same-2", 1}});
}

TEST_CASE("a body that does not parse is dropped with its error", "[queue]") {
  counting_visitor visitor;
  recorder rec;
  work_queue<counting_visitor> queue(visitor, rec.options());
  REQUIRE(queue.push("{\"accountId\":1", "bad"));
  queue.wait_idle();
  REQUIRE(rec.dropped.size() == 1);
  CHECK(rec.dropped[0].failure.code == error_code::truncated);
  CHECK(rec.dropped[0].delivery_id == "bad");
  CHECK(visitor.runs().empty());
}

TEST_CASE("a throwing drop hook is contained; defaults are sensible", "[queue]") {
  counting_visitor visitor;
  queue_options options;
  options.on_dropped = [](std::string_view, std::string_view, const error&) {
    throw std::runtime_error("hook failed");
  };
  CHECK(options.capacity == 1024);
  CHECK(options.workers == 1);
  CHECK(options.max_attempts == 3);
  CHECK(options.idempotency != nullptr);
  work_queue<counting_visitor> queue(visitor, options);
  REQUIRE(queue.push("not json"));
  queue.wait_idle();
  CHECK(visitor.runs().empty());
}

TEST_CASE("a queue of zero capacity refuses everything", "[queue]") {
  counting_visitor visitor;
  recorder rec;
  work_queue<counting_visitor> queue(visitor, rec.options(0, 1));
  const result<void> refused = queue.push(batch_body({"z"}));
  REQUIRE_FALSE(refused);
  CHECK(refused.code() == error_code::queue_full);
}
