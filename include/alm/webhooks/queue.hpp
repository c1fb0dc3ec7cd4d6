// Acknowledge fast, process later. ALM gives up on a request after 5 seconds and then sends it
// again, so slow handlers belong after the response: the endpoint hands each verified, parsed
// delivery to a delivery_sink and answers 202 once the sink holds it. work_queue is the
// in-process sink: a bounded queue with worker threads; when it is full the endpoint answers
// 503 with Retry-After, so no event is ever dropped silently.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "alm/webhooks/dispatch.hpp"
#include "alm/webhooks/error.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/idempotency.hpp"
#include "alm/webhooks/parser.hpp"
#include "alm/webhooks/result.hpp"

namespace alm::webhooks {

/// Where an endpoint hands deliveries instead of dispatching them during the request.
/// Implementations: work_queue (in process); a shared, durable one (a Redis stream) for several
/// receivers or to survive restarts.
class delivery_sink {
 public:
  virtual ~delivery_sink() = default;

  /// Takes a verified, parsed delivery. `body` (the raw bytes as received), `parsed` (views into
  /// them and into the endpoint's parser) and `delivery_id` are valid during the call only: copy
  /// whatever is kept. Return success only once the delivery is safely held (the endpoint then
  /// answers 202); return queue_full or store_unavailable to refuse it (the endpoint answers 503
  /// with Retry-After and ALM delivers it again later). Called from many threads at once.
  virtual result<void> accept(std::string_view body, const delivery& parsed,
                              std::string_view delivery_id) noexcept = 0;
};

/// Settings of work_queue.
struct queue_options {
  /// Deliveries that may wait; one more is refused with queue_full (HTTP 503).
  std::size_t capacity{1024};
  /// Worker threads, each with its own parser. More than one calls the visitor concurrently.
  std::size_t workers{1};
  /// Runs of a delivery whose events failed, counting the first. Retries skip the events that
  /// already succeeded, through the idempotency store; without a store there is no retry.
  std::size_t max_attempts{3};
  /// Pause before each retry (interrupted by shutdown, which retries without pausing).
  std::chrono::milliseconds retry_delay{std::chrono::seconds(1)};
  parser_options parsing;
  /// De-duplication by eventId in the workers; null turns it off.
  std::shared_ptr<idempotency_store> idempotency = std::make_shared<memory_idempotency_store>();
  store_failure_policy on_store_failure{store_failure_policy::fail_closed};
  /// Called (from a worker) for a delivery that still has failed events after max_attempts, or
  /// that does not parse: its raw body, its delivery id and the first error, so that it can be
  /// logged or kept elsewhere. ALM was already answered 202 and will not send it again.
  /// Must not throw (an exception from it is swallowed).
  std::function<void(std::string_view body, std::string_view delivery_id, const error&)> on_dropped;
};

/// A bounded in-process queue of deliveries, processed by worker threads that parse each body
/// again (with their own parser: the request's parser is reused as soon as it answers) and run
/// it through the idempotency store and the visitor, as the endpoint does inline.
///
/// The queue keeps copies of the raw bodies, in slots allocated once: with the slots warm,
/// queuing a delivery allocates nothing. Shutdown (shutdown() or the destructor) stops
/// accepting, lets the workers drain every queued delivery, and joins them.
///
/// Thread safety: accept()/push() from any number of threads. With workers > 1 the visitor is
/// called from several threads at once and must be thread-safe. `visitor` must outlive the queue.
template <class Visitor>
class work_queue final : public delivery_sink {
 public:
  /// Starts the workers. If no thread can be started (or the slots cannot be allocated), every
  /// push is refused with store_unavailable or out_of_memory; workers() tells.
  explicit work_queue(Visitor& visitor, queue_options options = {}) noexcept
      : visitor_(visitor), options_(std::move(options)) {
    if (options_.max_attempts == 0) options_.max_attempts = 1;
    try {
      slots_.resize(options_.capacity);
      const std::size_t wanted = options_.workers == 0 ? 1 : options_.workers;
      threads_.reserve(wanted);
      for (std::size_t i = 0; i < wanted; ++i)
        threads_.emplace_back([this] { run(); });
    } catch (...) {
      // Fewer workers (or no slots) than asked: push() reports it.
    }
  }

  work_queue(const work_queue&) = delete;
  work_queue& operator=(const work_queue&) = delete;

  ~work_queue() override { shutdown(); }

  result<void> accept(std::string_view body, const delivery&,
                      std::string_view delivery_id) noexcept override {
    return push(body, delivery_id);
  }

  /// Queues a raw body that was already verified (the endpoint calls this through accept()).
  /// Errors: queue_full (full, or shutting down), store_unavailable (no worker running),
  /// out_of_memory.
  result<void> push(std::string_view body, std::string_view delivery_id = {}) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (threads_.empty()) {
      return result<void>(error_code::store_unavailable, "no worker thread is running");
    }
    if (stopping_) return result<void>(error_code::queue_full, "the queue is shutting down");
    if (count_ == slots_.size()) {
      return detail::error_from(error_code::queue_full, [&] {
        return fmt::format("the queue is full ({} deliveries waiting)", count_);
      });
    }
    slot& s = slots_[(head_ + count_) % slots_.size()];
    try {
      // The padding lets the worker parse in place, without a copy.
      s.body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
      s.body.assign(body.data(), body.size());
      s.delivery_id.assign(delivery_id.data(), delivery_id.size());
    } catch (const std::bad_alloc&) {
      return result<void>(error_code::out_of_memory, "could not copy the body into the queue");
    }
    ++count_;
    work_.notify_one();
    return {};
  }

  /// Blocks until nothing is queued and no worker is busy.
  void wait_idle() noexcept {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return (count_ == 0 || threads_.empty()) && busy_ == 0; });
  }

  /// Stops accepting, processes everything already queued, and joins the workers. Idempotent;
  /// safe to call from several threads (all return after the workers are joined).
  void shutdown() noexcept {
    std::lock_guard<std::mutex> join_lock(join_mutex_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    work_.notify_all();
    stop_.notify_all();
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

  /// Deliveries waiting (not counting those being processed).
  std::size_t size() const noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
  }

  /// Worker threads started.
  std::size_t workers() const noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    return threads_.size();
  }

  const queue_options& options() const noexcept { return options_; }

 private:
  struct slot {
    std::string body;
    std::string delivery_id;
  };

  void run() noexcept {
    parser reader(options_.parsing);
    std::string body;
    std::string delivery_id;
    std::string key;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_.wait(lock, [this] { return count_ > 0 || stopping_; });
        if (count_ == 0) return;  // stopping, and drained
        // Swapping passes the buffers around, so their capacity is reused, never freed.
        slot& s = slots_[head_];
        body.swap(s.body);
        delivery_id.swap(s.delivery_id);
        head_ = (head_ + 1) % slots_.size();
        --count_;
        ++busy_;
      }
      process(reader, body, delivery_id, key);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        --busy_;
        if (count_ == 0 && busy_ == 0) idle_.notify_all();
      }
    }
  }

  void process(parser& reader, const std::string& body, const std::string& delivery_id,
               std::string& key) noexcept {
    const result<delivery> parsed = reader.parse(body, body.capacity() - body.size());
    if (!parsed) {
      drop(body, delivery_id, parsed.error());
      return;
    }
    idempotency_store* store = options_.idempotency.get();
    for (std::size_t attempt = 1;; ++attempt) {
      const dispatch_report report = dispatch_idempotent(visitor_, *parsed, delivery_id, store, key,
                                                         options_.on_store_failure);
      if (report.ok()) return;
      if (attempt >= options_.max_attempts || store == nullptr) {
        drop(body, delivery_id, report.first_error);
        return;
      }
      pause_before_retry();
    }
  }

  void pause_before_retry() noexcept {
    std::unique_lock<std::mutex> lock(mutex_);
    stop_.wait_for(lock, options_.retry_delay, [this] { return stopping_; });
  }

  void drop(std::string_view body, std::string_view delivery_id, const error& e) noexcept {
    if (!options_.on_dropped) return;
    try {
      options_.on_dropped(body, delivery_id, e);
    } catch (...) {
      // Nowhere left to report to.
    }
  }

  Visitor& visitor_;
  queue_options options_;
  mutable std::mutex mutex_;
  std::condition_variable work_;  // a delivery was queued, or shutdown began
  std::condition_variable idle_;  // the queue drained
  std::condition_variable stop_;  // shutdown began (ends retry pauses)
  std::vector<slot> slots_;       // a ring of capacity slots
  std::size_t head_{0};
  std::size_t count_{0};
  std::size_t busy_{0};
  bool stopping_{false};
  std::mutex join_mutex_;
  std::vector<std::thread> threads_;
};

}  // namespace alm::webhooks
