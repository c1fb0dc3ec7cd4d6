// Redis connections for the optional Redis components (idempotency store, stream sink, stream
// worker): one hiredis connection with connect and command timeouts, and a small pool of them
// that the threads of an HTTP server share. Needs hiredis (link alm::webhooks_redis).
//
// Every failure to reach Redis (refused, timed out, closed mid-command, pool exhausted) comes back
// as error_code::store_unavailable; a connection that failed is dropped and the next use opens a
// fresh one, so a restarted Redis is picked up without any action from the user.
#pragma once

#include <hiredis/hiredis.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "alm/webhooks/error.hpp"
#include "alm/webhooks/result.hpp"

namespace alm::webhooks::redis {

/// Where and how to reach Redis. Copied by the pool and the worker; read-only afterwards.
struct connection_options {
  std::string host{"127.0.0.1"};  ///< host name or address (ignored when unix_socket is set)
  int port{6379};
  std::string unix_socket;  ///< path of a Unix socket; when set, used instead of host:port
  /// ACL user name (Redis 6+); empty means `AUTH <password>` alone (the default user).
  std::string username;
  /// Password sent with AUTH after connecting; empty means no AUTH. A secret: it never appears
  /// in an error message.
  std::string password;
  int database{0};  ///< SELECT'ed after connecting when not 0
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(1)};
  /// Longest wait for one reply. A receiver has 5 s to answer ALM, so keep it well below that.
  std::chrono::milliseconds command_timeout{std::chrono::seconds(1)};
  /// Pool only: at most this many connections are open at once (one per concurrent request).
  std::size_t max_connections{16};
  /// Pool only: how long acquire() waits for a connection when max_connections are in use.
  std::chrono::milliseconds acquire_timeout{std::chrono::seconds(1)};
  /// Pool only: after a failed connect, further connects are not tried for this long and
  /// requests fail at once (fast 503s or fail-open processing while Redis is down). 0 = always
  /// try.
  std::chrono::milliseconds retry_interval{std::chrono::milliseconds(200)};
};

/// A view of one reply (or of an element of an array reply). Valid while the reply owning it
/// is. A view of nothing (nullptr) reads as nil.
class reply_view {
 public:
  explicit reply_view(const redisReply* r) noexcept : r_(r) {}

  /// REDIS_REPLY_STRING, _ARRAY, _INTEGER, _NIL, _STATUS or _ERROR.
  int type() const noexcept { return r_ != nullptr ? r_->type : REDIS_REPLY_NIL; }
  bool is_nil() const noexcept { return type() == REDIS_REPLY_NIL; }
  bool is_error() const noexcept { return type() == REDIS_REPLY_ERROR; }
  /// A bulk string or a status ("OK").
  bool is_string() const noexcept {
    return type() == REDIS_REPLY_STRING || type() == REDIS_REPLY_STATUS;
  }
  bool is_integer() const noexcept { return type() == REDIS_REPLY_INTEGER; }
  bool is_array() const noexcept { return type() == REDIS_REPLY_ARRAY; }

  /// The bytes of a string, status or error reply; empty for other types.
  std::string_view text() const noexcept {
    return (is_string() || is_error()) && r_->str != nullptr ? std::string_view(r_->str, r_->len)
                                                             : std::string_view();
  }
  long long integer() const noexcept { return is_integer() ? r_->integer : 0; }
  /// Elements of an array reply; 0 for other types.
  std::size_t size() const noexcept { return is_array() ? r_->elements : 0; }
  /// Element `i` of an array reply; requires i < size().
  reply_view operator[](std::size_t i) const noexcept { return reply_view(r_->element[i]); }

 private:
  const redisReply* r_;
};

/// An owned reply. Move-only.
class reply {
 public:
  explicit reply(redisReply* r) noexcept : r_(r), view_(r) {}
  const reply_view& view() const noexcept { return view_; }
  const reply_view* operator->() const noexcept { return &view_; }

 private:
  struct deleter {
    void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
  };
  std::unique_ptr<redisReply, deleter> r_;
  reply_view view_;
};

namespace detail {

inline timeval to_timeval(std::chrono::milliseconds ms) noexcept {
  const long long count = ms.count() < 1 ? 1 : static_cast<long long>(ms.count());
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(count / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((count % 1000) * 1000);
  return tv;
}

// Errors built without letting an allocation failure escape (the message is dropped instead).
inline error make_error(error_code code, std::string_view what) noexcept {
  error e{code, {}, {}};
  try {
    e.message.assign(what);
  } catch (...) {
  }
  return e;
}

inline error unavailable(std::string_view what) noexcept {
  return make_error(error_code::store_unavailable, what);
}

inline error copy_error(const error& e) noexcept {
  error copy{e.code, {}, {}};
  try {
    copy.message = e.message;
  } catch (...) {
  }
  return copy;
}

template <class... Args>
error unavailable_fmt(const char* format, const Args&... args) noexcept {
  try {
    return error{error_code::store_unavailable, fmt::format(fmt::runtime(format), args...), {}};
  } catch (...) {
    return error{error_code::store_unavailable, {}, {}};
  }
}

// hiredis writes with write(2): a peer that closed the socket raises SIGPIPE, which would kill a
// server that has not ignored it. The signal is blocked for the calling thread during the call
// and a SIGPIPE raised meanwhile is consumed, without touching the process-wide disposition.
class sigpipe_guard {
 public:
  sigpipe_guard() noexcept {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    already_pending_ = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
    blocked_ = pthread_sigmask(SIG_BLOCK, &pipe_, &old_) == 0;
  }
  ~sigpipe_guard() {
    if (!blocked_) return;
    if (!already_pending_) {
      const timespec zero{0, 0};
      while (sigtimedwait(&pipe_, nullptr, &zero) == -1 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  sigpipe_guard(const sigpipe_guard&) = delete;
  sigpipe_guard& operator=(const sigpipe_guard&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool already_pending_{false};
  bool blocked_{false};
};

// Argument arrays for redisCommandArgv: on the stack for the usual few arguments.
class argv_buffer {
 public:
  bool assign(const std::string_view* args, std::size_t count) noexcept {
    try {
      if (count > inline_count) {
        heap_ptrs_.resize(count);
        heap_lens_.resize(count);
      }
    } catch (...) {
      return false;
    }
    const char** ptrs = count > inline_count ? heap_ptrs_.data() : ptrs_;
    std::size_t* lens = count > inline_count ? heap_lens_.data() : lens_;
    for (std::size_t i = 0; i < count; ++i) {
      ptrs[i] = args[i].data() != nullptr ? args[i].data() : "";
      lens[i] = args[i].size();
    }
    count_ = count;
    return true;
  }
  int argc() const noexcept { return static_cast<int>(count_); }
  const char** argv() noexcept { return count_ > inline_count ? heap_ptrs_.data() : ptrs_; }
  const std::size_t* lengths() noexcept {
    return count_ > inline_count ? heap_lens_.data() : lens_;
  }

 private:
  static constexpr std::size_t inline_count = 24;
  const char* ptrs_[inline_count]{};
  std::size_t lens_[inline_count]{};
  std::vector<const char*> heap_ptrs_;
  std::vector<std::size_t> heap_lens_;
  std::size_t count_{0};
};

}  // namespace detail

/// One connection to Redis. Not thread-safe: one thread uses it at a time (the pool hands each
/// out to one thread; the stream worker owns its own). Move-only.
class connection {
 public:
  /// Connects within options.connect_timeout, sets the command timeout, then AUTH and SELECT as
  /// configured. Errors: store_unavailable (refused, timed out, AUTH or SELECT refused); the
  /// message names the address, never the password.
  static result<connection> open(const connection_options& options) noexcept {
    const timeval connect_tv = detail::to_timeval(options.connect_timeout);
    redisContext* c = nullptr;
    {
      detail::sigpipe_guard guard;
      c = options.unix_socket.empty()
              ? redisConnectWithTimeout(options.host.c_str(), options.port, connect_tv)
              : redisConnectUnixWithTimeout(options.unix_socket.c_str(), connect_tv);
    }
    if (c == nullptr) return detail::unavailable("cannot allocate a Redis connection");
    connection conn(c);
    if (c->err != 0) {
      return detail::unavailable_fmt("cannot connect to Redis at {}: {}", address(options),
                                     static_cast<const char*>(c->errstr));
    }
    if (redisSetTimeout(c, detail::to_timeval(options.command_timeout)) != REDIS_OK) {
      return detail::unavailable_fmt("cannot set the Redis command timeout: {}",
                                     static_cast<const char*>(c->errstr));
    }
    if (redisEnableKeepAlive(c) != REDIS_OK) {
      return detail::unavailable("cannot enable TCP keep-alive on the Redis connection");
    }
    if (!options.password.empty()) {
      result<reply> r = options.username.empty()
                            ? conn.call({"AUTH", options.password})
                            : conn.call({"AUTH", options.username, options.password});
      // The server's own text ("WRONGPASS invalid username-password pair") holds no secret.
      if (!r) return detail::unavailable_fmt("Redis refused AUTH: {}", r.error().message);
    }
    if (options.database != 0) {
      try {
        const std::string db = std::to_string(options.database);
        result<reply> r = conn.call({"SELECT", db});
        if (!r) return detail::unavailable_fmt("Redis refused SELECT: {}", r.error().message);
      } catch (...) {
        return detail::unavailable("out of memory while selecting the Redis database");
      }
    }
    return result<connection>(std::move(conn));
  }

  connection(connection&& other) noexcept : c_(std::exchange(other.c_, nullptr)) {}
  connection& operator=(connection&& other) noexcept {
    if (this != &other) {
      close();
      c_ = std::exchange(other.c_, nullptr);
    }
    return *this;
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() { close(); }

  /// Sends one command (binary-safe arguments, e.g. {"SET", key, value, "NX"}) and waits for its
  /// reply. A Redis error reply (`-ERR ...`) is returned as a reply whose is_error() is true; an
  /// I/O failure or timeout is an error (store_unavailable) and leaves the connection broken.
  result<reply> command(std::initializer_list<std::string_view> args) noexcept {
    return command(args.begin(), args.size());
  }
  result<reply> command(const std::string_view* args, std::size_t count) noexcept {
    if (broken()) return detail::unavailable("the Redis connection is closed");
    detail::argv_buffer argv;
    if (!argv.assign(args, count)) return detail::unavailable("out of memory building a command");
    void* raw = nullptr;
    {
      detail::sigpipe_guard guard;
      raw = redisCommandArgv(c_, argv.argc(), argv.argv(), argv.lengths());
    }
    if (raw == nullptr || c_->err != 0) {
      if (raw != nullptr) freeReplyObject(raw);
      return io_failure(count > 0 ? args[0] : std::string_view("?"));
    }
    return reply(static_cast<redisReply*>(raw));
  }

  /// As command(), but a Redis error reply becomes an error (store_unavailable) whose message is
  /// the server's text.
  result<reply> call(std::initializer_list<std::string_view> args) noexcept {
    return call(args.begin(), args.size());
  }
  result<reply> call(const std::string_view* args, std::size_t count) noexcept {
    result<reply> r = command(args, count);
    if (r && (*r)->is_error()) {
      return detail::unavailable_fmt("Redis answered {}: {}",
                                     count > 0 ? args[0] : std::string_view("?"), (*r)->text());
    }
    return r;
  }

  /// Pipelining: queues a command in the connection's output buffer (the arguments are copied,
  /// so they may go away after the call); nothing is sent until read_reply(). Read exactly one
  /// reply per queued command, in order.
  result<void> append(std::initializer_list<std::string_view> args) noexcept {
    return append(args.begin(), args.size());
  }
  result<void> append(const std::string_view* args, std::size_t count) noexcept {
    if (broken()) return detail::unavailable("the Redis connection is closed");
    detail::argv_buffer argv;
    if (!argv.assign(args, count) ||
        redisAppendCommandArgv(c_, argv.argc(), argv.argv(), argv.lengths()) != REDIS_OK) {
      return detail::unavailable("out of memory queuing a Redis command");
    }
    return {};
  }

  /// Sends what append() queued (on the first call) and reads the next reply. Error replies come
  /// back as replies, as with command().
  result<reply> read_reply() noexcept {
    if (broken()) return detail::unavailable("the Redis connection is closed");
    void* raw = nullptr;
    int status = REDIS_OK;
    {
      detail::sigpipe_guard guard;
      status = redisGetReply(c_, &raw);
    }
    if (status != REDIS_OK || raw == nullptr) {
      if (raw != nullptr) freeReplyObject(raw);
      return io_failure("a pipelined command");
    }
    return reply(static_cast<redisReply*>(raw));
  }

  /// Whether an I/O failure made this connection unusable (it must be dropped).
  bool broken() const noexcept { return c_ == nullptr || c_->err != 0; }

  /// Changes the reply timeout (e.g. longer around a blocking XREADGROUP).
  result<void> set_timeout(std::chrono::milliseconds timeout) noexcept {
    if (c_ == nullptr || redisSetTimeout(c_, detail::to_timeval(timeout)) != REDIS_OK) {
      return detail::unavailable("cannot set the Redis command timeout");
    }
    return {};
  }

  /// The socket, for interrupt(); -1 when closed.
  int native_handle() const noexcept { return c_ != nullptr ? c_->fd : -1; }

  /// Shuts the socket of a connection down so that a command blocked on it in another thread
  /// returns at once (with an error). Safe to call from any thread with a handle taken from
  /// native_handle() while the connection is alive.
  static void interrupt(int handle) noexcept {
    if (handle >= 0) ::shutdown(handle, SHUT_RDWR);
  }

  /// "host:port" or the socket path, for messages.
  static std::string address(const connection_options& options) {
    return options.unix_socket.empty() ? fmt::format("{}:{}", options.host, options.port)
                                       : options.unix_socket;
  }

 private:
  explicit connection(redisContext* c) noexcept : c_(c) {}

  error io_failure(std::string_view what) const noexcept {
    const char* why = c_->err != 0 ? static_cast<const char*>(c_->errstr) : "";
    if (why[0] == '\0') why = "connection lost";
    // A socket timeout reads as EAGAIN's text; say what it means.
    if (std::strcmp(why, std::strerror(EAGAIN)) == 0) why = "no reply within the command timeout";
    return detail::unavailable_fmt("Redis command {} failed: {}", what, why);
  }
  void close() noexcept {
    if (c_ != nullptr) {
      detail::sigpipe_guard guard;
      redisFree(c_);
      c_ = nullptr;
    }
  }

  redisContext* c_{nullptr};
};

/// A small pool of connections shared by the threads of a server. Thread-safe. Connections are
/// opened on demand up to options.max_connections and kept for reuse; one that failed is dropped
/// (with every idle one, as they likely share its fate: a Redis restart), and the next use
/// connects again. The pool must outlive the stores and sinks using it.
class connection_pool {
 public:
  /// A connection taken from the pool, given back when the lease ends (dropped if broken).
  class lease {
   public:
    lease(lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)),
          conn_(std::move(other.conn_)),
          reused_(other.reused_) {}
    lease& operator=(lease&&) = delete;
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    ~lease() {
      if (pool_ != nullptr) pool_->give_back(std::move(conn_));
    }

    connection& operator*() noexcept { return conn_; }
    connection* operator->() noexcept { return &conn_; }
    /// Whether the connection was idle in the pool (it may have gone stale meanwhile).
    bool reused() const noexcept { return reused_; }

   private:
    friend class connection_pool;
    lease(connection_pool* pool, connection conn, bool reused) noexcept
        : pool_(pool), conn_(std::move(conn)), reused_(reused) {}

    connection_pool* pool_;
    connection conn_;
    bool reused_;
  };

  /// Opens nothing yet: connections are made on first use. Throws only std::bad_alloc.
  explicit connection_pool(connection_options options = {}) : options_(std::move(options)) {
    if (options_.max_connections == 0) options_.max_connections = 1;
    idle_.reserve(options_.max_connections);
  }
  connection_pool(const connection_pool&) = delete;
  connection_pool& operator=(const connection_pool&) = delete;

  /// Every lease must have ended.
  ~connection_pool() = default;

  /// An idle connection, or a new one when fewer than max_connections are open, or the first one
  /// given back within acquire_timeout. Errors: store_unavailable (cannot connect, or none free).
  result<lease> acquire() noexcept {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      if (!idle_.empty()) {
        connection conn = std::move(idle_.back());
        idle_.pop_back();
        return lease(this, std::move(conn), true);
      }
      if (open_ < options_.max_connections) break;
      if (!available_.wait_for(lock, options_.acquire_timeout, [this] {
            return !idle_.empty() || open_ < options_.max_connections;
          })) {
        return detail::unavailable_fmt("no free Redis connection within {} ms ({} in use)",
                                       options_.acquire_timeout.count(), open_);
      }
    }
    const auto now = std::chrono::steady_clock::now();
    if (failed_connect_ && now - last_failure_ < options_.retry_interval) {
      return detail::copy_error(last_error_);
    }
    ++open_;
    lock.unlock();
    result<connection> conn = connection::open(options_);
    lock.lock();
    if (!conn) {
      --open_;
      failed_connect_ = true;
      last_failure_ = std::chrono::steady_clock::now();
      last_error_ = detail::copy_error(conn.error());
      available_.notify_one();
      return detail::copy_error(conn.error());
    }
    failed_connect_ = false;
    return lease(this, std::move(*conn), false);
  }

  /// Runs one command on a pooled connection (see connection::command). When a connection that
  /// sat idle turns out broken (Redis restarted, or closed it), the command is sent once more on
  /// a fresh connection.
  result<reply> command(std::initializer_list<std::string_view> args) noexcept {
    return run(args.begin(), args.size(), false);
  }
  result<reply> command(const std::string_view* args, std::size_t count) noexcept {
    return run(args, count, false);
  }
  /// As command(), with a Redis error reply as an error (see connection::call).
  result<reply> call(std::initializer_list<std::string_view> args) noexcept {
    return run(args.begin(), args.size(), true);
  }
  result<reply> call(const std::string_view* args, std::size_t count) noexcept {
    return run(args, count, true);
  }

  /// Runs `fn(connection&)` (returning a result<T>) on a pooled connection, for several commands
  /// on one connection (a pipeline, a MULTI/EXEC transaction). As with command(), when the
  /// connection sat idle and turns out broken, `fn` runs once more on a fresh one: `fn` must be
  /// safe to repeat after a failure. Never throws if `fn` does not.
  template <class Fn>
  auto with_connection(Fn&& fn) noexcept(noexcept(fn(std::declval<connection&>())))
      -> decltype(fn(std::declval<connection&>())) {
    for (int attempt = 0;; ++attempt) {
      result<lease> l = acquire();
      if (!l) return detail::copy_error(l.error());
      auto r = fn(**l);
      if (r || !(*l)->broken() || !l->reused() || attempt > 0) return r;
    }
  }

  const connection_options& options() const noexcept { return options_; }

  /// Connections open now (idle or leased).
  std::size_t open_connections() const noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    return open_;
  }

 private:
  result<reply> run(const std::string_view* args, std::size_t count, bool errors) noexcept {
    return with_connection([&](connection& c) noexcept {
      return errors ? c.call(args, count) : c.command(args, count);
    });
  }

  void give_back(connection conn) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    if (conn.broken()) {
      // The others were opened to the same server: if it went away, so did they.
      open_ -= 1 + idle_.size();
      idle_.clear();
    } else {
      idle_.push_back(std::move(conn));  // capacity reserved for max_connections: no allocation
    }
    available_.notify_one();
  }

  connection_options options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<connection> idle_;
  std::size_t open_{0};
  bool failed_connect_{false};
  std::chrono::steady_clock::time_point last_failure_{};
  error last_error_{};
};

}  // namespace alm::webhooks::redis
