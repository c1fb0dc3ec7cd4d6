// redis_idempotency_store: the idempotency store (idempotency.hpp) kept in Redis, so that several
// receivers behind a load balancer (and a receiver after a restart) agree on which events were
// processed. Needs hiredis (link alm::webhooks_redis).
//
// One Redis string per event key, "<prefix><accountId>:<eventId>":
//   claim    SET k claimed NX PX <lease>   created: claimed; else GET k: "processed" or in_progress
//   commit   SET k processed PX <ttl>
//   release  DEL k, only while its value is still "claimed" (a small Lua script, so that a claim
//            that expired and was taken and committed by another receiver is left alone)
#pragma once

#include <chrono>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "alm/webhooks/error.hpp"
#include "alm/webhooks/idempotency.hpp"
#include "alm/webhooks/redis/connection.hpp"
#include "alm/webhooks/result.hpp"

namespace alm::webhooks::redis {

/// Settings of redis_idempotency_store.
struct idempotency_options {
  /// Prepended to every key, so that several applications (or environments) can share a Redis.
  std::string key_prefix{"alm:webhooks:idem:"};
  /// How long a committed key is remembered: 7 days, the time ALM keeps retrying an event.
  std::chrono::milliseconds ttl{std::chrono::hours(24 * 7)};
  /// How long a claim holds before another receiver may take the key (a handler that hangs or a
  /// receiver that died must not block the event forever). Longer than your slowest handler.
  std::chrono::milliseconds lease{std::chrono::seconds(60)};
};

/// An idempotency store in Redis, shared by every receiver (and worker) using the same Redis and
/// key prefix. Thread-safe: each call takes a connection from the pool. Each call is one round
/// trip (a claim of a key that exists, two).
///
/// When Redis cannot be reached (or answers with an error) every call returns
/// error_code::store_unavailable with a message naming the cause; what happens then is the
/// endpoint's (or dispatch_idempotent's) store_failure_policy: fail_closed answers 503 so that ALM
/// retries later, fail_open processes the event without de-duplication.
///
/// A command whose reply was lost with the connection is not retried (only one that failed on a
/// connection that went stale while idle is); so a claim whose reply was lost leaves the key
/// claimed until its lease ends, and the retried delivery is told in_progress until then.
class redis_idempotency_store final : public idempotency_store {
 public:
  /// `pool` must outlive the store. Throws only std::bad_alloc.
  explicit redis_idempotency_store(connection_pool& pool, idempotency_options options = {})
      : pool_(pool), options_(std::move(options)) {
    lease_ms_ = std::to_string(positive(options_.lease));
    ttl_ms_ = std::to_string(positive(options_.ttl));
  }

  result<claim_status> claim(std::string_view key) noexcept override {
    key_buffer k;
    if (!k.assign(options_.key_prefix, key)) return out_of_memory();
    // The key may vanish between SET NX and GET (its lease ran out): then claim again.
    for (int attempt = 0; attempt < 3; ++attempt) {
      result<reply> set = pool_.call({"SET", k.view(), claimed_value, "NX", "PX", lease_ms_});
      if (!set) return detail::copy_error(set.error());
      if (!set->view().is_nil()) return claim_status::claimed;
      result<reply> get = pool_.call({"GET", k.view()});
      if (!get) return detail::copy_error(get.error());
      const reply_view value = get->view();
      if (value.is_nil()) continue;
      return value.text() == processed_value ? claim_status::processed : claim_status::in_progress;
    }
    return claim_status::in_progress;
  }

  result<void> commit(std::string_view key) noexcept override {
    key_buffer k;
    if (!k.assign(options_.key_prefix, key)) return out_of_memory();
    result<reply> r = pool_.call({"SET", k.view(), processed_value, "PX", ttl_ms_});
    if (!r) return detail::copy_error(r.error());
    return {};
  }

  result<void> release(std::string_view key) noexcept override {
    key_buffer k;
    if (!k.assign(options_.key_prefix, key)) return out_of_memory();
    result<reply> r = pool_.call({"EVAL", release_script, "1", k.view(), claimed_value});
    if (!r) return detail::copy_error(r.error());
    return {};
  }

  /// The Redis key used for an event key: key_prefix + key.
  std::string redis_key(std::string_view key) const {
    return options_.key_prefix + std::string(key);
  }

  const idempotency_options& options() const noexcept { return options_; }

  /// The values a key holds.
  static constexpr std::string_view claimed_value = "claimed";
  static constexpr std::string_view processed_value = "processed";

 private:
  static constexpr std::string_view release_script =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end "
      "return 0";

  // prefix + key without allocating for the usual lengths.
  class key_buffer {
   public:
    bool assign(std::string_view prefix, std::string_view key) noexcept {
      size_ = prefix.size() + key.size();
      char* out = inline_;
      if (size_ > sizeof(inline_)) {
        try {
          heap_.resize(size_);
        } catch (...) {
          return false;
        }
        out = heap_.data();
      }
      if (!prefix.empty()) std::memcpy(out, prefix.data(), prefix.size());
      if (!key.empty()) std::memcpy(out + prefix.size(), key.data(), key.size());
      data_ = out;
      return true;
    }
    std::string_view view() const noexcept { return std::string_view(data_, size_); }

   private:
    char inline_[192];
    std::string heap_;
    const char* data_{inline_};
    std::size_t size_{0};
  };

  static long long positive(std::chrono::milliseconds ms) noexcept {
    return ms.count() < 1 ? 1 : static_cast<long long>(ms.count());
  }

  static error out_of_memory() noexcept {
    return detail::make_error(error_code::out_of_memory,
                              "the idempotency store could not build a key");
  }

  connection_pool& pool_;
  idempotency_options options_;
  std::string lease_ms_;
  std::string ttl_ms_;
};

}  // namespace alm::webhooks::redis
