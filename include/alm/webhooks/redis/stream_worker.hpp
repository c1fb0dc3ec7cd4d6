// stream_worker: consumes the Redis stream that receivers fill (stream_sink.hpp) with a consumer
// group and hands each event to the same visitor the endpoint would use (dispatch.hpp). Needs
// hiredis (link alm::webhooks_redis).
//
// One round of a worker:
//   1. XAUTOCLAIM entries pending longer than claim_idle (their worker died, or their handler
//      failed) and handle them;
//   2. XREADGROUP ... BLOCK new entries and handle them (at start, first the entries this
//      consumer name already had pending, from before a restart).
// Handling one entry: parse its JSON, run it through the idempotency store (when one is given)
// and the visitor, then XACK only if the handler succeeded (or the event was processed before).
// A failed handler leaves the entry pending: it is retried after claim_idle, by any worker, up
// to max_deliveries deliveries when that is set. An entry that cannot be parsed, or that reached
// max_deliveries, is copied to the dead-letter stream, then acknowledged.
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "alm/webhooks/dispatch.hpp"
#include "alm/webhooks/error.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/idempotency.hpp"
#include "alm/webhooks/parser.hpp"
#include "alm/webhooks/redis/connection.hpp"
#include "alm/webhooks/redis/stream.hpp"
#include "alm/webhooks/result.hpp"

namespace alm::webhooks::redis {

/// Settings of a stream_worker.
struct worker_options {
  /// The stream to consume (stream_options::stream of the sinks).
  std::string stream{"alm:webhooks:events"};
  /// The consumer group: workers of one group share the entries, each handled by one of them.
  std::string group{"alm-webhooks"};
  /// This worker's name within the group. Empty: "<host>-<pid>-<n>". A stable name (one per
  /// deployment slot) lets a restarted worker pick up its own pending entries at once instead of
  /// waiting for claim_idle.
  std::string consumer;
  /// Where the group starts reading when this worker creates it: "0" (everything already in the
  /// stream, so nothing queued before the first worker started is skipped) or "$" (only new).
  std::string group_start{"0"};
  /// Entries read (and reclaimed) per command.
  std::size_t batch_size{16};
  /// How long one XREADGROUP waits for new entries.
  std::chrono::milliseconds block{std::chrono::seconds(2)};
  /// An entry pending (delivered, not acknowledged) longer than this is taken over by XAUTOCLAIM:
  /// its worker died or its handler failed. Longer than your slowest handler, or a slow handler's
  /// entry runs twice (the idempotency store then holds the second back while the lease lasts).
  std::chrono::milliseconds claim_idle{std::chrono::seconds(60)};
  /// How often to look for such entries (at most; a scan that found some continues at once).
  std::chrono::milliseconds claim_interval{std::chrono::seconds(5)};
  /// Wait after a Redis failure before trying again.
  std::chrono::milliseconds retry_interval{std::chrono::milliseconds(500)};
  /// Where entries that cannot be parsed, or that reached max_deliveries, go (with a field
  /// `error`). Empty: "<stream>:dead".
  std::string dead_letter_stream;
  /// How many times an entry is delivered (Redis' delivery counter: the first read and every
  /// reclaim) before the worker gives up on it and moves it to the dead-letter stream without
  /// running its handler again. 0 (the default): no limit, a failing entry is retried every
  /// claim_idle until it succeeds, so deploying a fixed handler processes it. A limit keeps a
  /// poison entry from being retried forever; any reason an entry stays pending counts (its
  /// handler failed, the store held it back), so keep it well above the retries a passing
  /// outage needs (with claim_idle at 60 s, 30 deliveries span about half an hour).
  std::size_t max_deliveries{0};
  /// What to do when the idempotency store cannot answer: fail_closed leaves the entry pending
  /// (retried after claim_idle), fail_open runs the handler without de-duplication.
  store_failure_policy store_failure{store_failure_policy::fail_closed};
  /// Told, from the worker's thread, about every failure it meets besides handler failures
  /// (those reach the visitor's on_error): Redis unreachable, malformed entries. (run_once()
  /// returns Redis failures instead.) Must not throw. Optional.
  std::function<void(const error&)> on_error;
};

/// Counters of one worker, for monitoring and tests.
struct worker_stats {
  std::uint64_t handled{0};    ///< handlers ran and succeeded; acknowledged
  std::uint64_t skipped{0};    ///< already processed (idempotency store); acknowledged
  std::uint64_t failed{0};     ///< a handler failed; left pending for a retry
  std::uint64_t deferred{0};   ///< held back by the store (in progress elsewhere, or fail-closed)
  std::uint64_t reclaimed{0};  ///< entries taken over from idle consumers with XAUTOCLAIM
  std::uint64_t dead{0};       ///< entries moved to the dead-letter stream (unreadable, or retried
                               ///< max_deliveries times)
  std::uint64_t redis_errors{0};  ///< commands that failed (the worker retried after a pause)
};

/// A consumer of the event stream. Handles entries on its own thread (start/stop) or on the
/// caller's (run_once). The visitor (and store) are used from the worker's thread only, but
/// several workers sharing one visitor call it concurrently: it must then be thread-safe.
///
/// Guarantees: an entry is acknowledged only after its handler succeeded (or the store said it
/// was processed before), so every event in the stream reaches a handler at least once; with an
/// idempotency store, a handler that succeeded is not run again for the same event (committing
/// can still fail after a success: then a redelivery runs it again).
///
/// Lifetimes: the visitor and store must outlive the worker. Move: not movable.
template <class Visitor>
class stream_worker {
 public:
  /// Nothing is contacted before start() or run_once(). `store` may be null (no de-duplication
  /// in the worker). Throws only std::bad_alloc.
  stream_worker(connection_options connect_to, Visitor& visitor, worker_options options = {},
                idempotency_store* store = nullptr)
      : connection_options_(std::move(connect_to)),
        visitor_(visitor),
        store_(store),
        options_(std::move(options)) {
    if (options_.consumer.empty()) options_.consumer = default_consumer_name();
    if (options_.dead_letter_stream.empty())
      options_.dead_letter_stream = options_.stream + ":dead";
    if (options_.batch_size == 0) options_.batch_size = 1;
    count_ = std::to_string(options_.batch_size);
    block_ms_ = std::to_string(options_.block.count() < 1 ? 1 : options_.block.count());
    idle_ms_ = std::to_string(options_.claim_idle.count() < 1 ? 1 : options_.claim_idle.count());
  }

  stream_worker(const stream_worker&) = delete;
  stream_worker& operator=(const stream_worker&) = delete;

  /// Stops the thread if it runs (see stop()).
  ~stream_worker() { stop(); }

  /// Creates the consumer group if needed (XGROUP CREATE ... MKSTREAM) and starts the worker's
  /// thread. Errors: store_unavailable (Redis unreachable: nothing started), out_of_memory, or
  /// invalid_configuration when already started.
  result<void> start() noexcept {
    std::lock_guard<std::mutex> lock(control_);
    if (thread_.joinable()) {
      return detail::make_error(error_code::invalid_configuration, "the worker already runs");
    }
    {
      std::lock_guard<std::mutex> state(state_);
      stopping_ = false;
    }
    if (result<void> r = prepare(); !r) return r;
    try {
      thread_ = std::thread([this] { loop(); });
    } catch (...) {
      return detail::make_error(error_code::out_of_memory, "cannot start the worker thread");
    }
    return {};
  }

  /// Graceful stop: the entry being handled finishes (and is acknowledged if its handler
  /// succeeds), a blocked read is interrupted, the thread ends. Entries of the batch in hand that
  /// were not handled yet stay pending: this consumer reads them again at its next start, or
  /// another worker reclaims them after claim_idle. Idempotent; never throws.
  void stop() noexcept {
    {
      std::lock_guard<std::mutex> lock(state_);
      stopping_ = true;
      if (blocked_handle_ >= 0) connection::interrupt(blocked_handle_);
    }
    wake_.notify_all();
    std::lock_guard<std::mutex> lock(control_);
    if (thread_.joinable()) thread_.join();
  }

  /// One round on the calling thread (do not mix with start()): reclaims idle entries when due,
  /// then reads new ones waiting up to `block` (0: do not wait), and handles them. Returns how
  /// many entries were looked at. Errors: store_unavailable when Redis failed (the round stopped
  /// there; entries already read stay pending).
  result<std::size_t> run_once(
      std::optional<std::chrono::milliseconds> block = std::nullopt) noexcept {
    return round(block);
  }

  /// A snapshot of the counters. Thread-safe.
  worker_stats stats() const noexcept {
    worker_stats s;
    s.handled = handled_.load();
    s.skipped = skipped_.load();
    s.failed = failed_.load();
    s.deferred = deferred_.load();
    s.reclaimed = reclaimed_.load();
    s.dead = dead_.load();
    s.redis_errors = redis_errors_.load();
    return s;
  }

  const worker_options& options() const noexcept { return options_; }

 private:
  // ---- connection and group -------------------------------------------------------------------

  result<connection*> ensure_connection() noexcept {
    if (conn_ && !conn_->broken()) return &*conn_;
    conn_.reset();
    result<connection> c = connection::open(connection_options_);
    if (!c) return detail::copy_error(c.error());
    // Long enough for a blocking read plus the usual command time.
    if (result<void> t = c->set_timeout(connection_options_.command_timeout + options_.block); !t) {
      return detail::copy_error(t.error());
    }
    conn_.emplace(std::move(*c));
    return &*conn_;
  }

  // A command on the worker's connection (reconnecting first if it broke).
  result<reply> call(std::initializer_list<std::string_view> args) noexcept {
    result<connection*> c = ensure_connection();
    if (!c) return detail::copy_error(c.error());
    return (*c)->call(args);
  }

  result<void> prepare() noexcept {
    result<connection*> c = ensure_connection();
    if (!c) return detail::copy_error(c.error());
    result<reply> r = (*c)->command(
        {"XGROUP", "CREATE", options_.stream, options_.group, options_.group_start, "MKSTREAM"});
    if (!r) return detail::copy_error(r.error());
    // BUSYGROUP: another worker created it first, as expected when several start together.
    if ((*r)->is_error() && (*r)->text().substr(0, 9) != "BUSYGROUP") {
      return detail::unavailable_fmt("cannot create the consumer group {}: {}", options_.group,
                                     (*r)->text());
    }
    prepared_ = true;
    history_ = true;
    history_cursor_ = "0";
    return {};
  }

  // ---- the loop -------------------------------------------------------------------------------

  void loop() noexcept {
    while (!stopping()) {
      result<std::size_t> r = round(std::nullopt);
      if (!r) {
        if (stopping()) break;
        report(r.error());
        std::unique_lock<std::mutex> lock(state_);
        wake_.wait_for(lock, options_.retry_interval, [this] { return stopping_; });
      }
    }
  }

  bool stopping() const noexcept {
    std::lock_guard<std::mutex> lock(state_);
    return stopping_;
  }

  result<std::size_t> round(std::optional<std::chrono::milliseconds> block) noexcept {
    std::size_t seen = 0;
    if (!prepared_) {
      if (result<void> r = prepare(); !r) return fail(r.error());
    }
    // Reclaim when a scan is under way (its cursor not back at 0-0) or the interval passed.
    const bool scanning = !claim_cursor_.empty() && claim_cursor_ != "0-0";
    const bool never_scanned = last_scan_ == std::chrono::steady_clock::time_point{};
    if (scanning || never_scanned ||
        std::chrono::steady_clock::now() - last_scan_ >= options_.claim_interval) {
      result<std::size_t> r = reclaim();
      if (!r) return fail(r.error());
      seen += *r;
      if (stopping()) return seen;
    }
    if (history_) {
      result<std::size_t> r = read_history();
      if (!r) return fail(r.error());
      seen += *r;
      if (history_ || stopping()) return seen;  // more history first; new entries next round
    }
    result<std::size_t> r = read_new(block);
    if (!r) return fail(r.error());
    return seen + *r;
  }

  error fail(const error& e) noexcept {
    if (stopping()) return detail::copy_error(e);  // the interrupted read of stop()
    ++redis_errors_;
    // The group (or the whole stream) was deleted: create it again next round.
    if (e.message.find("NOGROUP") != std::string::npos) prepared_ = false;
    return detail::copy_error(e);
  }

  // XAUTOCLAIM <stream> <group> <consumer> <min-idle> <cursor> COUNT <n>
  // reply: [next-cursor, [entries...], [deleted ids...] (Redis 7)]
  result<std::size_t> reclaim() noexcept {
    if (claim_cursor_.empty()) claim_cursor_ = "0-0";
    result<reply> r = call({"XAUTOCLAIM", options_.stream, options_.group, options_.consumer,
                            idle_ms_, claim_cursor_, "COUNT", count_});
    if (!r) return detail::copy_error(r.error());
    const reply_view top = r->view();
    if (top.size() < 2) return detail::unavailable("unexpected XAUTOCLAIM reply");
    try {
      claim_cursor_.assign(top[0].text());
    } catch (...) {
      claim_cursor_ = "0-0";
    }
    if (claim_cursor_ == "0-0") last_scan_ = std::chrono::steady_clock::now();
    const std::size_t claimed = top[1].size();
    reclaimed_ += claimed;
    return handle_all(top[1], true);
  }

  // This consumer's own pending entries, left from before a restart: read once at start.
  result<std::size_t> read_history() noexcept {
    result<reply> r = call({"XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT",
                            count_, "STREAMS", options_.stream, history_cursor_});
    if (!r) return detail::copy_error(r.error());
    const reply_view entries = entries_of(r->view());
    if (entries.size() == 0) {
      history_ = false;
      return std::size_t{0};
    }
    // Continue after the last one; a failed handler must not make history loop on itself.
    try {
      history_cursor_.assign(stream_entry_id(entries[entries.size() - 1]));
    } catch (...) {
      history_ = false;
    }
    return handle_all(entries, true);
  }

  result<std::size_t> read_new(std::optional<std::chrono::milliseconds> block) noexcept {
    result<connection*> c = ensure_connection();
    if (!c) return detail::copy_error(c.error());
    std::string block_text;
    std::string_view block_ms = block_ms_;
    if (block) {
      try {
        block_text = std::to_string(block->count());
      } catch (...) {
        return detail::make_error(error_code::out_of_memory, "out of memory");
      }
      block_ms = block_text;
    }
    const bool wait = !block || block->count() > 0;
    {
      std::lock_guard<std::mutex> lock(state_);
      if (stopping_) return std::size_t{0};
      blocked_handle_ = (*c)->native_handle();
    }
    result<reply> r =
        wait ? (*c)->call({"XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT",
                           count_, "BLOCK", block_ms, "STREAMS", options_.stream, ">"})
             : (*c)->call({"XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT",
                           count_, "STREAMS", options_.stream, ">"});
    {
      std::lock_guard<std::mutex> lock(state_);
      blocked_handle_ = -1;
    }
    if (!r) return detail::copy_error(r.error());
    return handle_all(entries_of(r->view()), false);
  }

  // XREADGROUP answers [[stream, [entries...]]], or nil when nothing came.
  static reply_view entries_of(reply_view top) noexcept {
    if (top.size() == 0 || top[0].size() < 2) return reply_view(nullptr);
    return top[0][1];
  }

  static std::string_view stream_entry_id(reply_view entry) noexcept {
    return entry.size() > 0 ? entry[0].text() : std::string_view();
  }

  // ---- handling entries -----------------------------------------------------------------------

  // `redelivered`: the entries come from reclaiming or from this consumer's history, so they may
  // have been delivered before (new entries never were).
  result<std::size_t> handle_all(reply_view entries, bool redelivered) noexcept {
    std::size_t seen = 0;
    result<void> outcome;
    detail::for_each_entry(entries, [&](const detail::stream_entry& entry) {
      if (!outcome || stopping()) return;
      outcome = handle(entry, redelivered);
      ++seen;
    });
    if (!outcome) return detail::copy_error(outcome.error());
    return seen;
  }

  // Errors only for Redis failures (the round stops); handler failures are counted.
  result<void> handle(const detail::stream_entry& entry, bool redelivered) noexcept {
    if (entry.deleted()) return acknowledge(entry.id());  // trimmed after delivery: nothing left
    if (redelivered && options_.max_deliveries > 0) {
      result<std::uint64_t> deliveries = delivery_count(entry.id());
      if (!deliveries) return detail::copy_error(deliveries.error());
      if (*deliveries > options_.max_deliveries) {
        return bury(entry, webhooks::detail::error_from(error_code::handler_failed, [&] {
                      return fmt::format("delivered {} times without success (max_deliveries)",
                                         *deliveries - 1);
                    }));
      }
    }
    const std::string_view json = entry.field(stream_field::event);
    result<delivery> d = json.empty() ? result<delivery>(error_code::missing_field,
                                                         "the stream entry has no event field")
                                      : parser_.parse(json);
    if (d && d->events.size() != 1) {
      d = result<delivery>(error_code::invalid_value, "the stream entry holds no single event");
    }
    if (!d) return bury(entry, d.error());

    const dispatch_report outcome = dispatch_idempotent(
        visitor_, *d, entry.field(stream_field::delivery_id), store_, key_, options_.store_failure);
    handled_ += outcome.handled;
    skipped_ += outcome.skipped;
    failed_ += outcome.failed;
    deferred_ += outcome.deferred;
    if (!outcome.ok()) return {};  // stays pending: retried after claim_idle
    return acknowledge(entry.id());
  }

  // How many times entry `id` was delivered, this delivery included (XPENDING's extended form:
  // [[id, consumer, idle ms, deliveries]]). An entry no longer pending counts as delivered once.
  result<std::uint64_t> delivery_count(std::string_view id) noexcept {
    result<reply> r = call({"XPENDING", options_.stream, options_.group, id, id, "1"});
    if (!r) return detail::copy_error(r.error());
    const reply_view top = r->view();
    if (top.is_error()) return detail::unavailable_fmt("XPENDING failed: {}", top.text());
    if (top.size() == 0 || top[0].size() < 4) return std::uint64_t{1};
    const long long count = top[0][3].integer();
    return static_cast<std::uint64_t>(count > 0 ? count : 1);
  }

  result<void> acknowledge(std::string_view id) noexcept {
    result<reply> r = call({"XACK", options_.stream, options_.group, id});
    if (!r) return detail::copy_error(r.error());
    return {};
  }

  // Copies an entry to the dead-letter stream with the reason, then acknowledges it.
  result<void> bury(const detail::stream_entry& entry, const error& why) noexcept {
    ++dead_;
    report(why);
    std::vector<std::string_view> args;
    std::string reason;
    try {
      reason = why.to_string();
      const reply_view fields = entry.fields();
      args.reserve(fields.size() + 5);
      args.insert(args.end(), {"XADD", options_.dead_letter_stream, "*"});
      for (std::size_t i = 0; i < fields.size(); ++i)
        args.push_back(fields[i].text());
      args.push_back(stream_field::dead_reason);
      args.push_back(reason);
    } catch (...) {
      return detail::make_error(error_code::out_of_memory, "out of memory");
    }
    result<connection*> c = ensure_connection();
    if (!c) return detail::copy_error(c.error());
    result<reply> r = (*c)->call(args.data(), args.size());
    if (!r) return detail::copy_error(r.error());
    return acknowledge(entry.id());
  }

  void report(const error& e) noexcept {
    if (!options_.on_error) return;
    try {
      options_.on_error(e);
    } catch (...) {
      // An error hook that throws has nowhere to report to.
    }
  }

  static std::string default_consumer_name() {
    static std::atomic<unsigned> counter{0};
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return fmt::format("{}-{}-{}", host[0] != '\0' ? host : "worker", static_cast<long>(::getpid()),
                       counter++);
  }

  connection_options connection_options_;
  Visitor& visitor_;
  idempotency_store* store_;
  worker_options options_;
  std::string count_, block_ms_, idle_ms_;

  // Used by the handling thread only.
  std::optional<connection> conn_;
  parser parser_;
  std::string key_;
  bool prepared_{false};
  bool history_{true};
  std::string history_cursor_{"0"};
  std::string claim_cursor_;
  std::chrono::steady_clock::time_point last_scan_{};

  // Shared with stop().
  mutable std::mutex state_;
  std::condition_variable wake_;
  bool stopping_{false};
  int blocked_handle_{-1};
  std::mutex control_;  // start/stop
  std::thread thread_;

  std::atomic<std::uint64_t> handled_{0}, skipped_{0}, failed_{0}, deferred_{0}, reclaimed_{0},
      dead_{0}, redis_errors_{0};
};

}  // namespace alm::webhooks::redis
