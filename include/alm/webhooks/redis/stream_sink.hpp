// stream_sink: hands verified events to a Redis stream (XADD) instead of running handlers in the
// request, so that any number of receivers feed any number of workers (stream_worker.hpp) and an
// event acknowledged to ALM survives the receiver. Needs hiredis (link alm::webhooks_redis).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "alm/webhooks/dispatch.hpp"
#include "alm/webhooks/error.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/json_writer.hpp"
#include "alm/webhooks/queue.hpp"
#include "alm/webhooks/redis/connection.hpp"
#include "alm/webhooks/redis/stream.hpp"
#include "alm/webhooks/result.hpp"
#include "alm/webhooks/time.hpp"

namespace alm::webhooks::redis {

/// The endpoint's hand-off to a Redis stream (a delivery_sink, queue.hpp): each event of a
/// verified delivery becomes one stream entry (layout: stream.hpp), written in one MULTI/EXEC
/// transaction per delivery, so a delivery is queued whole or not at all. accept() returns only
/// after Redis acknowledged the EXEC: the endpoint answers 202 with every event in Redis, and with
/// Redis persistence (appendfsync always, or replicas) it survives a Redis restart too.
///
///     redis::connection_pool pool(redis::connection_options{...});
///     redis::stream_sink sink(pool);
///     endpoint receiver(sink, verifier::alm_hmac(secret));   // answers 202 / 503
///
/// Thread-safe: each call takes a connection from the pool. Errors: store_unavailable (Redis
/// unreachable, timed out, or refused the command: the endpoint answers 503 with Retry-After and
/// ALM delivers again), out_of_memory. Never throws.
class stream_sink final : public delivery_sink {
 public:
  /// `pool` must outlive the sink. Throws only std::bad_alloc.
  explicit stream_sink(connection_pool& pool, stream_options options = {})
      : pool_(pool), options_(std::move(options)) {
    if (options_.max_length != 0) max_length_ = std::to_string(options_.max_length);
  }

  /// Appends every event of `parsed` (see the class comment); `body` is not used, as each event
  /// is written as its own JSON body. A delivery without events appends nothing.
  result<void> accept(std::string_view body, const delivery& parsed,
                      std::string_view delivery_id) noexcept override {
    (void)body;
    if (parsed.events.empty()) return {};
    const received_stamp stamp = now();
    return pool_.with_connection([&](connection& c) noexcept -> result<void> {
      fmt::memory_buffer json;
      if (result<void> r = c.append({"MULTI"}); !r) return r;
      for (std::size_t i = 0; i < parsed.events.size(); ++i) {
        json.clear();
        const event_context ctx = make_context(parsed, i, delivery_id);
        if (!write_json(json, parsed.events[i], ctx.account_id)) return out_of_memory();
        // The arguments are copied into the connection's buffer: `json` can be reused.
        if (result<void> r = queue_xadd(c, parsed.events[i], ctx, as_view(json), stamp); !r) {
          return r;
        }
      }
      if (result<void> r = c.append({"EXEC"}); !r) return r;
      // One reply per command: MULTI's OK, a QUEUED per XADD, then EXEC's array of entry ids.
      // Every reply is read, even after an error, to leave the connection in step.
      error first{error_code::store_unavailable, {}, {}};
      bool failed = false;
      for (std::size_t i = 0; i < parsed.events.size() + 2; ++i) {
        result<reply> r = c.read_reply();
        if (!r) return detail::copy_error(r.error());  // the connection is broken: dropped
        const reply_view v = r->view();
        const bool last = i == parsed.events.size() + 1;
        const bool bad = v.is_error() || (last && !exec_succeeded(v, parsed.events.size()));
        if (bad && !failed) {
          failed = true;
          first = detail::unavailable_fmt("Redis refused the stream entries: {}",
                                          v.is_error() ? v.text() : "transaction aborted");
        }
      }
      if (failed) return result<void>(std::move(first));
      return {};
    });
  }

  /// Appends one event (serialized with json_writer: a batch event as an envelope of one carrying
  /// ctx.account_id) and returns the entry id Redis gave it ("1700000000000-0"). For code that
  /// parses bodies itself; the endpoint uses accept(). The event's views need only be valid
  /// during the call.
  result<std::string> append(const event& e, const event_context& ctx) noexcept {
    fmt::memory_buffer json;
    if (!write_json(json, e, ctx.account_id)) return out_of_memory();
    const received_stamp stamp = now();
    result<reply> r = pool_.with_connection([&](connection& c) noexcept -> result<reply> {
      if (result<void> q = queue_xadd(c, e, ctx, as_view(json), stamp); !q) {
        return detail::copy_error(q.error());
      }
      return c.read_reply();
    });
    if (!r) return detail::copy_error(r.error());
    if (r->view().is_error()) {
      return detail::unavailable_fmt("Redis refused the stream entry: {}", r->view().text());
    }
    try {
      return std::string(r->view().text());
    } catch (...) {
      return out_of_memory();
    }
  }

  const stream_options& options() const noexcept { return options_; }

 private:
  struct received_stamp {
    char text[date_time::iso8601_capacity];
    std::size_t size;
    std::string_view view() const noexcept { return std::string_view(text, size); }
  };

  static received_stamp now() noexcept {
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    received_stamp stamp{};
    stamp.size = date_time::from_milliseconds(
                     std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count())
                     .write_iso8601(stamp.text);
    return stamp;
  }

  static std::string_view as_view(const fmt::memory_buffer& buffer) noexcept {
    return std::string_view(buffer.data(), buffer.size());
  }

  // XADD <stream> [MAXLEN ~ n] * <fields...>, queued on `c` (see connection::append).
  result<void> queue_xadd(connection& c, const event& e, const event_context& ctx,
                          std::string_view event_json, const received_stamp& stamp) noexcept {
    const std::string_view fields[] = {
        stream_field::event,       event_json,
        stream_field::event_id,    event_id_of(e),
        stream_field::event_name,  event_name_of(e),
        stream_field::account_id,  ctx.account_id.text,
        stream_field::format,      to_string(ctx.format),
        stream_field::received_at, stamp.view(),
        stream_field::delivery_id, ctx.delivery_id,
    };
    constexpr std::size_t field_count = sizeof fields / sizeof fields[0];
    std::string_view args[6 + field_count];
    std::size_t n = 0;
    args[n++] = "XADD";
    args[n++] = options_.stream;
    if (!max_length_.empty()) {
      args[n++] = "MAXLEN";
      args[n++] = "~";
      args[n++] = max_length_;
    }
    args[n++] = "*";
    for (const std::string_view f : fields)
      args[n++] = f;
    return c.append(args, n);
  }

  // EXEC answers an array with one reply per queued command, or nil when the transaction was
  // aborted; an element may itself be an error.
  static bool exec_succeeded(reply_view exec, std::size_t commands) noexcept {
    if (!exec.is_array() || exec.size() != commands) return false;
    for (std::size_t i = 0; i < exec.size(); ++i) {
      if (exec[i].is_error()) return false;
    }
    return true;
  }

  static error out_of_memory() noexcept {
    return detail::make_error(error_code::out_of_memory,
                              "out of memory while writing a stream entry");
  }

  connection_pool& pool_;
  stream_options options_;
  std::string max_length_;
};

}  // namespace alm::webhooks::redis
