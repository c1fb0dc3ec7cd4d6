// Idempotency: ALM redelivers an event whenever it did not see a 2xx in time, so a receiver
// must recognise an `eventId` it already processed. The store interface is claim / commit /
// release, so that an event is marked processed only after its handler succeeded:
//
//   claim(key)    take the key for processing, with a short lease (another request that claims
//                 the same key meanwhile is told `in_progress`);
//   commit(key)   the handler succeeded: keep the key for the full time to live (7 days, ALM's
//                 retention), so redeliveries are skipped;
//   release(key)  the handler failed: forget the claim, so ALM's retry processes the event again.
//
// memory_idempotency_store is the in-process implementation; a shared store (Redis) implements
// the same interface for several receivers. dispatch_idempotent() runs a delivery through a
// store and a visitor with exactly these steps.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <functional>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "alm/webhooks/detail/attributes.hpp"
#include "alm/webhooks/detail/word_ops.hpp"
#include "alm/webhooks/dispatch.hpp"
#include "alm/webhooks/error.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/result.hpp"

namespace alm::webhooks {

/// The answer to a claim.
enum class claim_status : std::uint8_t {
  claimed,      ///< the caller now holds the key and should process the event
  processed,    ///< the event was processed before: skip it
  in_progress,  ///< another caller holds an unexpired claim: do not process it now
};

constexpr std::string_view to_string(claim_status status) noexcept {
  switch (status) {
    case claim_status::claimed:
      return "claimed";
    case claim_status::processed:
      return "processed";
    case claim_status::in_progress:
      return "in_progress";
  }
  return "unknown";
}

/// Where processed event keys are remembered. Implementations must be safe to call from several
/// threads at once and must not throw; a store that cannot answer (a lost connection) returns
/// error_code::store_unavailable, which the endpoint turns into 503 or ignores, as configured.
/// Keys are opaque byte strings (the endpoint uses "<accountId>:<eventId>").
class idempotency_store {
 public:
  virtual ~idempotency_store() = default;

  /// Takes `key` for processing with a lease (the store's configured lease time), unless it was
  /// processed (claim_status::processed) or is claimed by someone else whose lease has not
  /// expired (claim_status::in_progress).
  virtual result<claim_status> claim(std::string_view key) noexcept = 0;
  /// Marks `key` processed for the store's full time to live. Valid with or without a prior
  /// claim (a claim that expired or was evicted meanwhile is simply replaced).
  virtual result<void> commit(std::string_view key) noexcept = 0;
  /// Drops a claim on `key` so that the event can be processed again. A key already committed
  /// stays committed.
  virtual result<void> release(std::string_view key) noexcept = 0;
};

/// Settings of memory_idempotency_store.
struct memory_idempotency_options {
  /// At most this many keys are kept; when full, the oldest (by first claim) is evicted. 64
  /// bytes per entry (keys over 46 bytes also take a string of their own), plus 16 to 32 bytes
  /// of index; memory grows with use up to this bound.
  std::size_t max_entries{100'000};
  /// How long a committed key is remembered: 7 days, the time ALM keeps retrying an event.
  std::chrono::milliseconds ttl{std::chrono::hours(24 * 7)};
  /// How long a claim holds before another request may take the key (a handler that hangs or
  /// a receiver that died must not block the event forever). Longer than your slowest handler.
  std::chrono::milliseconds lease{std::chrono::seconds(60)};
  /// The time source, for tests; when empty, steady_clock's time read from a coarse clock
  /// (detail::coarse_steady_now). Must not throw.
  std::function<std::chrono::steady_clock::time_point()> clock;
};

namespace detail {

/// The memory store's lock. Its critical sections last a few dozen nanoseconds, so a waiter
/// spins briefly (then yields its time slice) rather than sleeping; taking it is one atomic
/// exchange and giving it back a plain store, where std::mutex makes two library calls with an
/// atomic read-modify-write each, on every claim and commit.
class spin_mutex {
 public:
  void lock() noexcept {
    for (unsigned spins = 0; locked_.exchange(true, std::memory_order_acquire);) {
      while (locked_.load(std::memory_order_relaxed)) {
        if (++spins < 64) {
#if defined(__x86_64__) || defined(__i386__)
          __builtin_ia32_pause();
#endif
        } else {
          std::this_thread::yield();
        }
      }
    }
  }
  void unlock() noexcept {
    locked_.store(false, std::memory_order_release);
  }

 private:
  std::atomic<bool> locked_{false};
};

/// steady_clock's time, read from the system's coarse monotonic clock where there is one (Linux:
/// CLOCK_MONOTONIC_COARSE, the same clock at the resolution of a scheduler tick, a few
/// milliseconds). Leases and times to live are seconds to days, so the resolution costs nothing,
/// and it reads in a few nanoseconds where steady_clock::now() takes about twenty, twice per event.
inline std::chrono::steady_clock::time_point coarse_steady_now() noexcept {
#if defined(__linux__) && defined(CLOCK_MONOTONIC_COARSE)
  timespec now{};
  if (clock_gettime(CLOCK_MONOTONIC_COARSE, &now) == 0) {
    return std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec)));
  }
#endif
  return std::chrono::steady_clock::now();
}

// A fast 64-bit hash of short keys (two independent 8-byte lanes per 16-byte step, so the
// multiplications overlap; murmur finaliser). The keys come from authenticated requests, and the
// seed differs per store, so lengthening one probe run on purpose is not a concern.
inline std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed) noexcept {
  constexpr std::uint64_t k0 = 0x9E3779B97F4A7C15ULL;
  constexpr std::uint64_t k1 = 0xC2B2AE3D27D4EB4FULL;
  const auto load = [](const char* p, std::size_t n) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, n);
    return word;
  };
  std::uint64_t a = seed ^ (bytes.size() * k0);
  std::uint64_t b = seed + k1;
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  for (; n >= 16; p += 16, n -= 16) {
    a = (a ^ load(p, 8)) * k0;
    b = (b ^ load(p + 8, 8)) * k1;
    a ^= a >> 29;
    b ^= b >> 31;
  }
  if (n >= 8) {
    a = (a ^ load(p, 8)) * k0;
    a ^= a >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    // The last eight bytes, overlapping what came before: a fixed-size load, not a memcpy call.
    const std::uint64_t tail =
        bytes.size() >= 8 ? load(bytes.data() + bytes.size() - 8, 8) : load(p, n);
    b = (b ^ tail) * k1;
  }
  std::uint64_t h = a ^ ((b << 32) | (b >> 32));
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

/// The index of memory_idempotency_store: an open-addressing table of 64-bit slots, each holding
/// the upper half of a key's hash (which also picks the key's home slot) and its ring index + 1
/// (0 for a free slot). Probing is linear from the home slot and the table is kept at most half
/// full, so a lookup usually reads one or two adjacent slots of one cache line. Deleting shifts
/// the rest of the probe run back instead of leaving a tombstone, so lookups stay short however
/// many keys came and went.
class slot_index {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  /// Slots in the table (a power of two), 0 before the first reset().
  std::size_t slot_count() const noexcept { return slots_.size(); }
  /// Whether `keys` keys fit at the intended load: at most one slot in two used.
  bool fits(std::size_t keys) const noexcept { return keys * 2 <= slots_.size(); }
  /// A table of `count` free slots (a power of two); false when it cannot be allocated.
  bool reset(std::size_t count) noexcept {
    try {
      std::vector<std::uint64_t> fresh(count);
      slots_.swap(fresh);
    } catch (const std::bad_alloc&) {
      return false;
    }
    return true;
  }
  void clear() noexcept {
    for (std::uint64_t& slot : slots_)
      slot = 0;
  }

  /// Calls `is_key(ring_index)` for each slot whose hash half matches `hash`, in probe order;
  /// returns the position of the first for which it is true, or npos.
  template <class IsKey>
  std::size_t find(std::uint64_t hash, const IsKey& is_key) const noexcept {
    if (slots_.empty()) return npos;
    const std::uint64_t wanted = hash >> 32;
    for (std::size_t i = home(wanted);; i = next(i)) {
      const std::uint64_t slot = slots_[i];
      if (slot == 0) return npos;
      if ((slot >> 32) == wanted && is_key(index_of(slot))) return i;
    }
  }

  /// The position of ring slot `index`, whose key hashed to `hash` (it must be in the table).
  std::size_t position_of(std::uint64_t hash, std::size_t index) const noexcept {
    const std::uint64_t wanted = make_slot(hash, index);
    std::size_t i = home(hash >> 32);
    while (slots_[i] != wanted)
      i = next(i);
    return i;
  }

  std::size_t ring_index(std::size_t position) const noexcept { return index_of(slots_[position]); }

  /// Adds ring slot `index` under `hash` (the table must have room: see fits()).
  void insert(std::uint64_t hash, std::size_t index) noexcept {
    std::size_t i = home(hash >> 32);
    while (slots_[i] != 0)
      i = next(i);
    slots_[i] = make_slot(hash, index);
  }

  /// Removes the slot at `position`: each later slot of the probe run that may live closer to
  /// its home moves back into the hole.
  void erase(std::size_t position) noexcept {
    const std::size_t mask = slots_.size() - 1;
    std::size_t hole = position;
    for (std::size_t i = next(hole);; i = next(i)) {
      const std::uint64_t slot = slots_[i];
      if (slot == 0) break;
      // The slot may fill the hole when its home is not after the hole (cyclically).
      if (((i - home(slot >> 32)) & mask) >= ((i - hole) & mask)) {
        slots_[hole] = slot;
        hole = i;
      }
    }
    slots_[hole] = 0;
  }

 private:
  static std::uint64_t make_slot(std::uint64_t hash, std::size_t index) noexcept {
    return (hash & ~std::uint64_t{0xFFFFFFFF}) | static_cast<std::uint32_t>(index + 1);
  }
  static std::size_t index_of(std::uint64_t slot) noexcept {
    return static_cast<std::size_t>(static_cast<std::uint32_t>(slot)) - 1;
  }
  std::size_t home(std::uint64_t hash_half) const noexcept {
    return static_cast<std::size_t>(hash_half) & (slots_.size() - 1);
  }
  std::size_t next(std::size_t i) const noexcept { return (i + 1) & (slots_.size() - 1); }

  std::vector<std::uint64_t> slots_;
};

}  // namespace detail

/// An idempotency store in process memory: bounded by entry count (the oldest entries are
/// evicted first), entries expire after their lease or time to live. Thread-safe (one lock, held
/// for a few dozen nanoseconds). Once it has held max_entries keys, claims and commits allocate
/// nothing (keys up to 46 bytes, "<accountId>:<eventId>" with ALM's UUID event ids, are stored in
/// the entry itself: one cache line per key; longer keys beside it, in a buffer reused by the
/// next key of that slot). Its memory is lost on restart: for several receivers, or to survive a
/// restart, use a shared store.
class memory_idempotency_store final : public idempotency_store {
 public:
  explicit memory_idempotency_store(memory_idempotency_options options = {})
      : options_(std::move(options)),
        seed_(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(this)) ^
              static_cast<std::uint64_t>(
                  std::chrono::steady_clock::now().time_since_epoch().count())) {
    if (options_.max_entries == 0) options_.max_entries = 1;
  }

  memory_idempotency_store(const memory_idempotency_store&) = delete;
  memory_idempotency_store& operator=(const memory_idempotency_store&) = delete;

  result<claim_status> claim(std::string_view key) noexcept override {
    const std::uint64_t hash = detail::hash_bytes(key, seed_);
    const std::int64_t now = now_ms();
    std::lock_guard<detail::spin_mutex> lock(mutex_);
    const std::size_t position = find(hash, key);
    if (position != npos) {
      entry& e = ring_[index_.ring_index(position)];
      if (now < e.expires) {
        return e.state == entry_state::processed ? claim_status::processed
                                                 : claim_status::in_progress;
      }
      erase_at(position, e);
    }
    const std::size_t index = next_;
    if (!insert(hash, key, entry_state::claimed, now + options_.lease.count())) {
      return out_of_memory();
    }
    this_thread_claim() = last_claim{this, index, now};
    return claim_status::claimed;
  }

  /// The time to live counts from the claim that this thread made of `key` just before, when
  /// there was one (a handler's run is nothing next to seven days), else from now.
  result<void> commit(std::string_view key) noexcept override {
    // Usually the key this thread claimed last: its entry is found without hashing or probing,
    // and the clock is not read again.
    last_claim& last = this_thread_claim();
    if (last.store == this) {
      last.store = nullptr;
      const std::int64_t expires = last.claimed_at + options_.ttl.count();
      std::lock_guard<detail::spin_mutex> lock(mutex_);
      // The ring may have grown meanwhile (another thread's claim): only read it under the lock.
      entry* e = last.index < ring_.size() ? &ring_[last.index] : nullptr;
      if (e != nullptr && e->state == entry_state::claimed && key_of(last.index) == key) {
        e->state = entry_state::processed;
        e->expires = expires;
        return {};
      }
    }
    const std::uint64_t hash = detail::hash_bytes(key, seed_);
    const std::int64_t expires = now_ms() + options_.ttl.count();
    std::lock_guard<detail::spin_mutex> lock(mutex_);
    const std::size_t position = find(hash, key);
    if (position != npos) {
      entry& e = ring_[index_.ring_index(position)];
      e.state = entry_state::processed;
      e.expires = expires;
      return {};
    }
    if (!insert(hash, key, entry_state::processed, expires)) return out_of_memory();
    return {};
  }

  result<void> release(std::string_view key) noexcept override {
    const std::uint64_t hash = detail::hash_bytes(key, seed_);
    std::lock_guard<detail::spin_mutex> lock(mutex_);
    const std::size_t position = find(hash, key);
    if (position != npos) {
      entry& e = ring_[index_.ring_index(position)];
      if (e.state == entry_state::claimed) erase_at(position, e);
    }
    return {};
  }

  /// Keys held (claimed or committed), expired ones not yet reclaimed included.
  std::size_t size() const noexcept {
    std::lock_guard<detail::spin_mutex> lock(mutex_);
    return live_;
  }

  /// Forgets every key.
  void clear() noexcept {
    std::lock_guard<detail::spin_mutex> lock(mutex_);
    for (entry& e : ring_)
      e.state = entry_state::empty;
    index_.clear();
    live_ = 0;
  }

  const memory_idempotency_options& options() const noexcept { return options_; }

 private:
  enum class entry_state : std::uint8_t { empty, claimed, processed };

  // The ring slot of the key this thread claimed last, and when, for the commit that usually
  // follows. Only a hint: commit() checks under the lock that the slot still holds that key,
  // claimed. The time lies in the past; it does not need the lock.
  struct last_claim {
    const memory_idempotency_store* store;
    std::size_t index;
    std::int64_t claimed_at;
  };
  static last_claim& this_thread_claim() noexcept {
    thread_local last_claim value{nullptr, 0, 0};
    return value;
  }
  static constexpr std::size_t inline_capacity = 46;
  static constexpr std::uint8_t long_key_size = 0xFF;  // entry::size of a key held in long_keys_
  static constexpr std::size_t npos = detail::slot_index::npos;

  // One cache line: a lookup that finds its key reads nothing else.
  struct alignas(64) entry {
    std::uint64_t hash{0};
    std::int64_t expires{0};
    std::uint8_t size{0};
    entry_state state{entry_state::empty};
    char inline_key[inline_capacity]{};
  };
  static_assert(sizeof(entry) == 64, "an entry is one cache line");

  std::string_view key_of(std::size_t index) const noexcept {
    const entry& e = ring_[index];
    return e.size == long_key_size ? std::string_view(long_keys_[index])
                                   : std::string_view(e.inline_key, e.size);
  }

  void set_key(std::size_t index, std::string_view key) {
    entry& e = ring_[index];
    if (key.size() <= inline_capacity) {
      std::memcpy(e.inline_key, key.data(), key.size());
      e.size = static_cast<std::uint8_t>(key.size());
      return;
    }
    if (long_keys_.size() <= index) long_keys_.resize(index + 1);
    long_keys_[index].assign(key.data(), key.size());  // reuses the slot's capacity
    e.size = long_key_size;
  }

  static error out_of_memory() {
    return error{
        error_code::out_of_memory, "the idempotency store could not allocate an entry", {}};
  }

  std::int64_t now_ms() const {
    const auto now = options_.clock ? options_.clock() : detail::coarse_steady_now();
    return std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  }

  // Position of `key` in the index, or npos.
  std::size_t find(std::uint64_t hash, std::string_view key) const noexcept {
    return index_.find(
        hash, [&](std::size_t index) { return ring_[index].hash == hash && key_of(index) == key; });
  }

  void erase_at(std::size_t position, entry& e) noexcept {
    index_.erase(position);
    e.state = entry_state::empty;
    --live_;
  }

  // A table twice as large, with every live entry placed again.
  bool grow_index() noexcept {
    if (!index_.reset(index_.slot_count() == 0 ? 16 : index_.slot_count() * 2)) return false;
    for (std::size_t r = 0; r < ring_.size(); ++r) {
      if (ring_[r].state != entry_state::empty) index_.insert(ring_[r].hash, r);
    }
    return true;
  }

  // Stores a new key in the next ring slot, evicting the oldest entry when the ring is full.
  bool insert(std::uint64_t hash, std::string_view key, entry_state state,
              std::int64_t expires) noexcept {
    while (!index_.fits(live_ + 1)) {
      if (!grow_index()) return false;
    }
    const std::size_t index = next_;
    try {
      if (index == ring_.size()) ring_.emplace_back();
      entry& oldest = ring_[index];
      if (oldest.state != entry_state::empty) {
        erase_at(index_.position_of(oldest.hash, index), oldest);
      }
      set_key(index, key);
    } catch (const std::bad_alloc&) {
      return false;
    }
    entry& e = ring_[index];
    e.hash = hash;
    e.expires = expires;
    e.state = state;
    index_.insert(hash, index);
    ++live_;
    if (++next_ == options_.max_entries) next_ = 0;  // no division on every insert
    return true;
  }

  memory_idempotency_options options_;
  std::uint64_t seed_;
  mutable detail::spin_mutex mutex_;
  std::vector<entry> ring_;             // insertion order; grows to max_entries, then wraps
  std::vector<std::string> long_keys_;  // by ring index, for keys over inline_capacity only
  detail::slot_index index_;            // ring slots by key hash
  std::size_t next_{0};                 // the ring slot the next new key takes
  std::size_t live_{0};
};

/// What to do when the idempotency store cannot answer (error_code::store_unavailable or
/// out_of_memory).
enum class store_failure_policy : std::uint8_t {
  fail_closed,  ///< do not run the handler; the endpoint answers 503 and ALM retries later
  fail_open,    ///< run the handler without de-duplication (a redelivery may run it twice)
};

/// How one delivery went through dispatch_idempotent.
struct dispatch_report {
  std::size_t handled{0};   ///< handlers ran and succeeded (committed)
  std::size_t skipped{0};   ///< already processed: not run again
  std::size_t failed{0};    ///< a handler threw or failed (released: the retry runs it again)
  std::size_t deferred{0};  ///< not run: claimed elsewhere, or the store failed (fail closed)
  /// The first failure, when there was one: handler_failed, in_progress, store_unavailable or
  /// out_of_memory. Its message never holds a secret.
  error first_error{};

  /// Whether every event was handled or skipped (answer 2xx).
  bool ok() const noexcept { return failed == 0 && deferred == 0; }
};

namespace detail {

/// Builds the store key "<accountId>:<eventId>" in `out`, reusing its capacity.
inline void make_event_key(std::string& out, std::string_view account_id,
                           std::string_view event_id) {
  out.clear();
  out.reserve(account_id.size() + 1 + event_id.size());
  out.append(account_id).push_back(':');
  out.append(event_id);
}

/// The store key "<accountId>:<eventId>": built in `small` when it fits (the usual case, no
/// string bookkeeping), else in `out`. May throw std::bad_alloc (long keys only).
template <std::size_t N>
std::string_view event_key(char (&small)[N], std::string& out, std::string_view account_id,
                           std::string_view event_id) {
  const std::size_t size = account_id.size() + 1 + event_id.size();
  if (size > N) {
    make_event_key(out, account_id, event_id);
    return out;
  }
  // A delivery without accountId has an empty, null view: memcpy from null is undefined even
  // for zero bytes.
  if (!account_id.empty()) std::memcpy(small, account_id.data(), account_id.size());
  small[account_id.size()] = ':';
  if (!event_id.empty()) {
    std::memcpy(small + account_id.size() + 1, event_id.data(), event_id.size());
  }
  return std::string_view(small, size);
}

inline void note_failure(dispatch_report& report, const error& e) noexcept {
  if (report.failed + report.deferred > 1) return;  // keep the first
  try {
    report.first_error = e;
  } catch (...) {
    report.first_error.code = e.code;
  }
}

inline error in_progress_error(std::string_view event_id) noexcept {
  return error_from(error_code::in_progress, [&] {
    return fmt::format("event {} is being processed by another request; retry later",
                       event_id.substr(0, 128));
  });
}

/// Claims the event `event_id` of `account_id` in `store`, its key built in `small` or, when
/// longer, in `long_key`; `key` views the key built.
template <std::size_t N>
result<claim_status> claim_event(idempotency_store& store, char (&small)[N], std::string& long_key,
                                 std::string_view account_id, std::string_view event_id,
                                 std::string_view& key) noexcept {
  try {
    key = event_key(small, long_key, account_id, event_id);
  } catch (...) {
    return result<claim_status>(error_code::out_of_memory, "could not build the idempotency key");
  }
  return store.claim(key);
}

/// An event the store did not hand to this request: counted as skipped (processed before) or
/// deferred (claimed elsewhere; the store failed and `policy` is fail_closed). True when it is
/// to be dispatched all the same (the store failed and `policy` is fail_open).
ALM_WEBHOOKS_COLD inline bool settle_unclaimed(dispatch_report& report,
                                               const result<claim_status>& claim,
                                               store_failure_policy policy,
                                               std::string_view event_id) noexcept {
  if (claim && *claim == claim_status::processed) {
    ++report.skipped;
    return false;
  }
  if (claim) {
    ++report.deferred;
    note_failure(report, in_progress_error(event_id));
    return false;
  }
  if (policy == store_failure_policy::fail_open) return true;
  ++report.deferred;
  note_failure(report, claim.error());
  return false;
}

/// A handler that failed: counted, and its claim (if `store`) released for the retry.
ALM_WEBHOOKS_COLD inline void settle_failed(dispatch_report& report, const error& e,
                                            idempotency_store* store,
                                            std::string_view key) noexcept {
  ++report.failed;
  note_failure(report, e);
  if (store != nullptr) (void)store->release(key);
}

}  // namespace detail

/// Runs every event of `d` through `store` and `visitor`:
/// no eventId -> dispatched without de-duplication; claim -> processed: skipped;
/// in_progress: deferred; claimed: dispatched, then committed on success or released on failure.
/// A store failure defers the event (fail_closed) or dispatches it anyway (fail_open); a failed
/// commit is ignored (the handler did succeed; at worst a redelivery runs it again).
/// `store` may be null (no de-duplication). `key_buffer` is scratch space whose capacity is
/// reused across calls, so a warm call allocates nothing. Never throws.
template <class Visitor>
dispatch_report dispatch_idempotent(
    Visitor& visitor, const delivery& d, std::string_view delivery_id, idempotency_store* store,
    std::string& key_buffer,
    store_failure_policy policy = store_failure_policy::fail_closed) noexcept {
  dispatch_report report;
  char small_key[128];
  std::string_view key;
  for (std::size_t i = 0; i < d.events.size(); ++i) {
    const event& e = d.events[i];
    const std::string_view event_id = event_id_of(e);
    bool claimed = false;
    if (store != nullptr && !event_id.empty()) {
      const result<claim_status> claim =
          detail::claim_event(*store, small_key, key_buffer, d.account_id.text, event_id, key);
      claimed = claim && *claim == claim_status::claimed;
      if (!claimed && !detail::settle_unclaimed(report, claim, policy, event_id)) continue;
    }
    const result<void> r = dispatch(visitor, e, make_context(d, i, delivery_id));
    if (r) {
      ++report.handled;
      if (claimed) (void)store->commit(key);
    } else {
      detail::settle_failed(report, r.error(), claimed ? store : nullptr, key);
    }
  }
  return report;
}

}  // namespace alm::webhooks
