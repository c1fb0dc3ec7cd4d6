// The endpoint: the whole receiving pipeline behind one call, independent of any HTTP server.
// An adapter turns its server's request into a request_view, calls handle(), and writes the
// response back. In order:
//
//   1. verification challenge  GET ?challenge=X, or POST {"challenge":"X"}  -> 200, echoed
//   2. method                  anything but POST                            -> 405 + Allow
//   3. content type            not application/json (parameters allowed)   -> 415
//   4. body size               over max_body_size (1 MiB)                   -> 413
//   5. authentication          the verifier's scheme fails                  -> 401 + reason
//   6. parse                   not a webhook body                           -> 400 + message, path
//   7. hand-off (optional)     queued -> 202; queue full or store down      -> 503 + Retry-After
//   8. idempotency + dispatch  every event handled or already processed    -> 200
//                              a handler threw or failed                    -> 500
//                              an event is claimed elsewhere / store down   -> 503 + Retry-After
//
// Error bodies are short JSON: {"error":"<code>","message":"...","path":"..."}; no secret, no
// expected signature and no handler exception text ever appears in them.
#pragma once

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "alm/webhooks/detail/attributes.hpp"
#include "alm/webhooks/detail/auth_headers.hpp"
#include "alm/webhooks/detail/hex.hpp"
#include "alm/webhooks/detail/json_escape.hpp"
#include "alm/webhooks/dispatch.hpp"
#include "alm/webhooks/error.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/http.hpp"
#include "alm/webhooks/idempotency.hpp"
#include "alm/webhooks/parser.hpp"
#include "alm/webhooks/queue.hpp"
#include "alm/webhooks/result.hpp"
#include "alm/webhooks/signature.hpp"

namespace alm::webhooks {

inline constexpr std::string_view json_content_type = "application/json";
inline constexpr std::string_view text_content_type = "text/plain; charset=utf-8";

/// What the endpoint answers. Header values and the content type are static strings; the body is
/// a static string on success and owned by the response otherwise, so a response may be copied
/// and moved freely.
struct response {
  int status{200};
  std::string_view content_type{json_content_type};
  /// The `Allow` header (405 only).
  std::string_view allow;
  /// The `Retry-After` header in seconds (503 only), or 0 for none.
  std::uint32_t retry_after_seconds{0};
  /// `X-Content-Type-Options: nosniff` (the challenge echo, whose content the sender chose).
  bool nosniff{false};
  /// The `WWW-Authenticate` header (401 under the Basic scheme).
  std::string_view www_authenticate;

  std::string_view body() const noexcept {
    return owns_body_ ? std::string_view(body_storage_) : body_view_;
  }
  /// A response of `status` whose body outlives it (a string literal), other fields defaulted.
  static response with_static_body(int status, std::string_view text) noexcept {
    response r;
    r.status = status;
    r.set_static_body(text);
    return r;
  }
  /// A body that outlives the response (a string literal).
  void set_static_body(std::string_view text) noexcept {
    body_view_ = text;
    owns_body_ = false;
  }
  void set_body(std::string text) noexcept {
    body_storage_ = std::move(text);
    owns_body_ = true;
  }

  /// Calls `fn(name, value)` for each header besides Content-Type, both std::string_view.
  template <class Fn>
  void for_each_header(Fn&& fn) const {
    if (!allow.empty()) fn(std::string_view("Allow"), allow);
    if (retry_after_seconds != 0) {
      char digits[16];
      const auto end = std::to_chars(digits, digits + sizeof digits, retry_after_seconds).ptr;
      fn(std::string_view("Retry-After"),
         std::string_view(digits, static_cast<std::size_t>(end - digits)));
    }
    if (nosniff) fn(std::string_view("X-Content-Type-Options"), std::string_view("nosniff"));
    if (!www_authenticate.empty()) fn(std::string_view("WWW-Authenticate"), www_authenticate);
  }

 private:
  std::string_view body_view_;
  std::string body_storage_;
  bool owns_body_{false};
};

/// How the challenge echo is written.
enum class challenge_form : std::uint8_t {
  automatic,  ///< GET: JSON when the Accept header names application/json, else plain text;
              ///< POST: JSON
  text,       ///< always the bare value as text/plain
  json,       ///< always {"challenge":"<value>"}
};

/// The verification challenge a sender may use when a webhook is set up.
struct challenge_options {
  bool enabled{true};
  challenge_form form{challenge_form::automatic};
  /// The query parameter (GET) and JSON key (POST) holding the value.
  std::string name{"challenge"};
  /// Longer values are refused (400). Values must also be valid UTF-8 without control
  /// characters (CR, LF, ...), so the echo cannot inject headers or break its JSON form.
  std::size_t max_length{256};
};

/// Settings of an endpoint. The defaults follow what ALM publishes.
struct endpoint_options {
  challenge_options challenge;
  /// Larger bodies get 413. Also configure your server to refuse them before reading them all.
  std::size_t max_body_size{1024 * 1024};
  /// Refuse (415) a POST whose Content-Type is not application/json or application/<x>+json.
  bool require_json_content_type{true};
  /// The header naming a delivery (event_context::delivery_id); empty for none. Standard
  /// Webhooks senders set `webhook-id`.
  std::string delivery_id_header{"webhook-id"};
  parser_options parsing;
  /// De-duplication by eventId when dispatching inline; null turns it off. (In hand-off mode the
  /// sink de-duplicates where it processes.)
  std::shared_ptr<idempotency_store> idempotency = std::make_shared<memory_idempotency_store>();
  store_failure_policy on_store_failure{store_failure_policy::fail_closed};
  /// The Retry-After of every 503.
  std::chrono::seconds retry_after{10};
  /// Told about every request answered with an error status, with the full error (for a handler
  /// failure: the handler's own message, which the response does not carry). Called from the
  /// server's threads, concurrently when the server has several: it must be thread-safe and must
  /// not throw (an exception from it is swallowed).
  std::function<void(const error&)> on_error;
};

namespace detail {

inline constexpr std::string_view ok_body = R"({"status":"ok"})";
inline constexpr std::string_view accepted_body = R"({"status":"accepted"})";
inline constexpr std::string_view out_of_memory_body = R"({"error":"out_of_memory"})";
// POST bodies larger than this are never taken for a challenge.
inline constexpr std::size_t max_challenge_body = 4096;

/// What one request needs besides the endpoint: a parser and a key buffer, pooled.
struct request_scratch {
  explicit request_scratch(const parser_options& options) noexcept : reader(options) {}
  parser reader;
  std::string key;
};

/// Where each request gets its request_scratch, so that a warm endpoint allocates nothing per
/// request. First choice: the calling thread's own scratch (one per thread, kept until the thread
/// ends), taken and given back without atomics or locks, as simdjson advises a parser per thread.
/// When the thread's scratch is busy (a handler that calls handle() again) or was built for other
/// parser options (another endpoint), a locked free list serves instead.
class scratch_pool {
 public:
  /// A scratch for the duration of one request; gives it back on destruction.
  class lease {
   public:
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    ~lease() {
      if (from_thread_) {
        this_thread_slot().busy = false;
      } else if (scratch_) {
        pool_.give_back(std::unique_ptr<request_scratch>(scratch_));
      }
    }
    /// Null when no scratch could be allocated.
    request_scratch* get() const noexcept { return scratch_; }
    request_scratch* operator->() const noexcept { return scratch_; }

   private:
    friend class scratch_pool;
    lease(scratch_pool& pool, request_scratch* scratch, bool from_thread) noexcept
        : pool_(pool), scratch_(scratch), from_thread_(from_thread) {}
    scratch_pool& pool_;
    request_scratch* scratch_;
    bool from_thread_;
  };

  explicit scratch_pool(parser_options options) noexcept : options_(options) {}
  scratch_pool(const scratch_pool&) = delete;
  scratch_pool& operator=(const scratch_pool&) = delete;

  lease take() noexcept {
    thread_slot& slot = this_thread_slot();
    if (!slot.busy) {
      if (!slot.scratch) slot.scratch.reset(new (std::nothrow) request_scratch(options_));
      if (slot.scratch && same_options(slot.scratch->reader.options())) {
        slot.busy = true;
        return lease(*this, slot.scratch.get(), true);
      }
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!free_.empty()) {
        request_scratch* s = free_.back().release();
        free_.pop_back();
        return lease(*this, s, false);
      }
    }
    return lease(*this, new (std::nothrow) request_scratch(options_), false);
  }

 private:
  struct thread_slot {
    std::unique_ptr<request_scratch> scratch;
    bool busy{false};
  };
  static thread_slot& this_thread_slot() noexcept {
    thread_local thread_slot slot;
    return slot;
  }

  bool same_options(const parser_options& other) const noexcept {
    return other.max_depth == options_.max_depth && other.max_events == options_.max_events;
  }

  void give_back(std::unique_ptr<request_scratch> s) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    try {
      free_.push_back(std::move(s));
    } catch (const std::bad_alloc&) {
      // Dropped: the next request builds a new one.
    }
  }

  parser_options options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<request_scratch>> free_;
};

/// The value of the first header matching `name`, or nullopt.
inline std::optional<std::string_view> find_header(const header_list& headers,
                                                   const header_name& name) noexcept {
  for (const http_header& h : headers.all()) {
    if (name.matches(h.name)) return h.value;
  }
  return std::nullopt;
}

/// application/json or application/<anything>+json, any case, with or without parameters.
constexpr bool is_json_media_type(std::string_view value) noexcept {
  constexpr std::string_view json = "application/json";
  value = trim_whitespace(value);
  // The usual value first (an exact match is cheaper than a case-insensitive one), without
  // searching for parameters.
  if (value.size() >= json.size() &&
      (value.substr(0, json.size()) == json || iequals(value.substr(0, json.size()), json))) {
    const std::string_view rest = trim_whitespace(value.substr(json.size()));
    if (rest.empty() || rest.front() == ';') return true;
  }
  const std::string_view type = trim_whitespace(value.substr(0, value.find(';')));
  constexpr std::string_view prefix = "application/";
  constexpr std::string_view suffix = "+json";
  return type.size() > prefix.size() + suffix.size() &&
         iequals(type.substr(0, prefix.size()), prefix) &&
         iequals(type.substr(type.size() - suffix.size()), suffix);
}

/// Whether `text` contains `needle`, ASCII case-insensitively.
constexpr bool icontains(std::string_view text, std::string_view needle) noexcept {
  if (needle.size() > text.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    if (iequals(text.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

/// The raw (percent-encoded) value of query parameter `name` in `target`, or nullopt.
constexpr std::optional<std::string_view> query_parameter(std::string_view target,
                                                          std::string_view name) noexcept {
  const std::size_t mark = target.find('?');
  if (mark == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(mark + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    }
  }
  return std::nullopt;
}

/// Decodes %XX escapes and '+' (a space, as forms encode it); nullopt on a malformed escape.
inline std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const unsigned high = hex_digit_values[static_cast<unsigned char>(text[i + 1])];
      const unsigned low = hex_digit_values[static_cast<unsigned char>(text[i + 2])];
      if (high > 0xf || low > 0xf) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

/// The value of a POST challenge body: a JSON object with a string member `name` and neither
/// `events` nor `eventType` (so a webhook body is never taken for one). nullopt otherwise.
inline std::optional<std::string> body_challenge(std::string_view body, std::string_view name) {
  if (body.size() > max_challenge_body || name.empty()) return std::nullopt;
  // Cheap test before parsing: the key must appear in quotes.
  bool quoted = false;
  for (std::size_t at = body.find(name); at != std::string_view::npos && !quoted;
       at = body.find(name, at + 1)) {
    quoted = at > 0 && at + name.size() < body.size() && body[at - 1] == '"' &&
             body[at + name.size()] == '"';
  }
  if (!quoted) return std::nullopt;
  const simdjson::padded_string padded(body);
  simdjson::ondemand::parser reader;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (reader.iterate(padded).get(doc) || doc.get_object().get(object)) return std::nullopt;
  std::optional<std::string> value;
  for (auto member : object) {
    simdjson::ondemand::field field;
    std::string_view key;
    if (std::move(member).get(field) || field.unescaped_key().get(key)) return std::nullopt;
    if (key == "events" || key == "eventType") return std::nullopt;
    if (key == name) {
      std::string_view text;
      if (field.value().get_string().get(text)) return std::nullopt;
      value = std::string(text);
    }
  }
  // On-Demand stops after the root object: a readable location means trailing content.
  const char* rest = nullptr;
  if (!doc.current_location().get(rest)) return std::nullopt;
  return value;
}

/// Why a challenge value cannot be echoed, or nullopt when it can.
inline std::optional<std::string> challenge_fault(std::string_view value, std::size_t max_length) {
  if (value.empty()) return std::string("the challenge is empty");
  if (value.size() > max_length) {
    return fmt::format("the challenge is longer than {} bytes", max_length);
  }
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return std::string("the challenge contains control characters");
  }
  if (!simdjson::validate_utf8(value.data(), value.size())) {
    return std::string("the challenge is not valid UTF-8");
  }
  return std::nullopt;
}

/// {"error":"<code>","message":"...","path":"..."}
inline std::string error_body(const error& e) {
  fmt::memory_buffer out;
  append(out, R"({"error":")");
  append(out, to_string(e.code));
  append(out, R"(","message":)");
  append_json_string(out, e.message);
  if (!e.path.empty()) {
    append(out, R"(,"path":)");
    append_json_string(out, e.path);
  }
  out.push_back('}');
  return std::string(out.data(), out.size());
}

}  // namespace detail

/// The HTTP-agnostic webhook endpoint (see the top of this header for the pipeline).
///
/// Two modes, chosen by the constructor:
/// - inline: `endpoint(visitor, verifier, options)` dispatches every event during the request,
///   through the idempotency store, to a compile-time visitor or a `handlers` registry, and
///   answers 200, 500 or 503;
/// - hand-off: `endpoint(sink, verifier, options)` gives each verified, parsed delivery to a
///   delivery_sink (a work_queue, say) and answers 202, or 503 when the sink refuses it.
///
/// Thread safety: one endpoint serves all of the server's threads; handle() may run on any
/// number of them at once. Each call uses a parser and a key buffer of its own: the calling
/// thread's (one per thread that ever called handle(), freed when the thread ends; endpoints with
/// the same parser_options share it), or, for a handle() nested in a handler or an endpoint with
/// other parser_options, one from a pool owned by the endpoint (it grows to the number of such
/// concurrent requests). Nothing is allocated per request once warm. The visitor is called from
/// those threads concurrently and must be thread-safe, or the server single-threaded. The
/// visitor or sink must outlive the endpoint. Not copyable or movable (adapters hold a reference).
///
/// handle() never throws. Constructors throw only std::bad_alloc.
class endpoint {
 public:
  /// Inline mode: dispatch to `visitor` (see dispatch()).
  template <class Visitor, std::enable_if_t<!std::is_base_of_v<delivery_sink, Visitor>, int> = 0>
  endpoint(Visitor& visitor, verifier auth, endpoint_options options = {})
      : auth_(std::move(auth)),
        options_(std::move(options)),
        content_type_name_("Content-Type"),
        delivery_id_name_(options_.delivery_id_header),
        visitor_(const_cast<void*>(static_cast<const void*>(std::addressof(visitor)))),
        dispatch_(&dispatch_thunk<Visitor>),
        pool_(options_.parsing) {}

  /// Hand-off mode: give deliveries to `sink` and answer 202.
  endpoint(delivery_sink& sink, verifier auth, endpoint_options options = {})
      : auth_(std::move(auth)),
        options_(std::move(options)),
        content_type_name_("Content-Type"),
        delivery_id_name_(options_.delivery_id_header),
        sink_(&sink),
        pool_(options_.parsing) {}

  endpoint(const endpoint&) = delete;
  endpoint& operator=(const endpoint&) = delete;

  /// Runs one request through the pipeline. `request` is read during the call only.
  response handle(const request_view& request) const noexcept {
    try {
      return run(request);
    } catch (...) {
      // Only an allocation on an error path can get here.
      return response::with_static_body(500, detail::out_of_memory_body);
    }
  }

  /// The response for an error found outside handle(): for an adapter whose server refuses a
  /// request early (a body over the limit, say: pass error_code::body_too_large). Tells on_error.
  response reject(const error& e) const noexcept {
    try {
      return fail(e, e);
    } catch (...) {
      return response::with_static_body(http_status(e.code), detail::out_of_memory_body);
    }
  }

  const endpoint_options& options() const noexcept { return options_; }
  const verifier& auth() const noexcept { return auth_; }

 private:
  using dispatch_function = dispatch_report (*)(void*, const delivery&, std::string_view,
                                                idempotency_store*, std::string&,
                                                store_failure_policy) noexcept;

  template <class Visitor>
  static dispatch_report dispatch_thunk(void* visitor, const delivery& d,
                                        std::string_view delivery_id, idempotency_store* store,
                                        std::string& key, store_failure_policy policy) noexcept {
    return dispatch_idempotent(*static_cast<Visitor*>(visitor), d, delivery_id, store, key, policy);
  }

  response run(const request_view& request) const {
    if (request.method != "POST") return refuse_method(request);
    // A POST challenge is answered before any other check, but it is looked for only once a
    // check fails (refuse()): a body that passes them all is a webhook (it has `events` or
    // `eventType`), which is never a challenge, so deliveries skip the scan.
    if (options_.require_json_content_type) {
      const std::optional<std::string_view> type =
          detail::find_header(request.headers, content_type_name_);
      if (!type || !detail::is_json_media_type(*type)) return refuse_media_type(request);
    }
    if (request.body.size() > options_.max_body_size) return refuse_size(request);
    const verification_result verified = auth_.verify(request.headers, request.body);
    if (!verified) return refuse(request, verified.error());

    const detail::scratch_pool::lease scratch = pool_.take();
    if (scratch.get() == nullptr) return fail_without_parser();
    const result<delivery> parsed = scratch->reader.parse(request.body, request.body_padding);
    if (!parsed) return refuse(request, parsed.error());

    std::string_view delivery_id;
    if (!delivery_id_name_.empty()) {
      delivery_id =
          detail::find_header(request.headers, delivery_id_name_).value_or(std::string_view());
    }
    if (sink_ != nullptr) {
      const result<void> accepted = sink_->accept(request.body, *parsed, delivery_id);
      if (!accepted) return fail(accepted.error());
      return response::with_static_body(202, detail::accepted_body);
    }
    const dispatch_report report =
        dispatch_(visitor_, *parsed, delivery_id, options_.idempotency.get(), scratch->key,
                  options_.on_store_failure);
    if (!report.ok()) return fail_dispatch(report, parsed->events.size());
    // A prvalue: built in the caller's return slot, not copied there.
    return response::with_static_body(200, detail::ok_body);
  }

  // ---- The ways a request fails: out of line, so that a delivery's path stays small ----------

  // A request that is not a POST: the GET challenge's echo, or 405.
  ALM_WEBHOOKS_COLD response refuse_method(const request_view& request) const {
    const bool challenges = options_.challenge.enabled;
    if (challenges && request.method == "GET") {
      if (std::optional<response> echo = query_challenge(request)) return std::move(*echo);
    }
    return fail(error{error_code::method_not_allowed,
                      challenges ? "webhooks are delivered with POST (GET answers only the "
                                   "verification challenge)"
                                 : "webhooks are delivered with POST",
                      {}});
  }

  // A POST that failed a check: the challenge's echo when its body is one, else `e`.
  ALM_WEBHOOKS_COLD response refuse(const request_view& request, const error& e) const {
    if (options_.challenge.enabled) {
      if (std::optional<response> echo = body_challenge(request)) return std::move(*echo);
    }
    return fail(e);
  }

  ALM_WEBHOOKS_COLD response refuse_media_type(const request_view& request) const {
    return refuse(
        request,
        error{error_code::unsupported_media_type, "the Content-Type must be application/json", {}});
  }

  ALM_WEBHOOKS_COLD response refuse_size(const request_view& request) const {
    return refuse(request, error{error_code::body_too_large,
                                 fmt::format("the body has {} bytes; the limit is {}",
                                             request.body.size(), options_.max_body_size),
                                 {}});
  }

  ALM_WEBHOOKS_COLD response fail_without_parser() const {
    return fail(error{error_code::out_of_memory, "no parser could be allocated", {}});
  }

  // Some events were not handled: 500 when a handler failed, else the store's verdict.
  ALM_WEBHOOKS_COLD response fail_dispatch(const dispatch_report& report,
                                           std::size_t events) const {
    if (report.failed == 0) return fail(report.first_error);
    return fail(error{error_code::handler_failed,
                      fmt::format("{} of {} events failed in their handler; they stay "
                                  "unprocessed and run again when the request is retried",
                                  report.failed, events),
                      {}},
                report.first_error);
  }

  // The echo of a GET challenge, when the query has one.
  std::optional<response> query_challenge(const request_view& request) const {
    const std::optional<std::string_view> raw =
        detail::query_parameter(request.target, options_.challenge.name);
    if (!raw) return std::nullopt;
    std::optional<std::string> value = detail::percent_decode(*raw);
    if (!value) {
      return fail(error{error_code::invalid_value, "the challenge is not validly URL-encoded", {}});
    }
    const std::optional<std::string_view> accept = request.headers.find("Accept");
    return echo(std::move(*value), accept && detail::icontains(*accept, "application/json"));
  }

  // The echo of a POST challenge, when the body is one.
  std::optional<response> body_challenge(const request_view& request) const {
    std::optional<std::string> value =
        detail::body_challenge(request.body, options_.challenge.name);
    if (!value) return std::nullopt;
    return echo(std::move(*value), true);
  }

  // `value` back to the sender, as JSON or text (`json` is what the request asked for), or 400
  // when it is not safe to echo.
  response echo(std::string value, bool json) const {
    const challenge_options& c = options_.challenge;
    if (std::optional<std::string> fault = detail::challenge_fault(value, c.max_length)) {
      return fail(error{error_code::invalid_value, std::move(*fault), {}});
    }
    if (c.form != challenge_form::automatic) json = c.form == challenge_form::json;
    response r;
    r.nosniff = true;
    if (json) {
      fmt::memory_buffer out;
      detail::append(out, "{");
      detail::append_json_string(out, c.name);
      detail::append(out, ":");
      detail::append_json_string(out, value);
      detail::append(out, "}");
      r.set_body(std::string(out.data(), out.size()));
    } else {
      r.content_type = text_content_type;
      r.set_body(std::move(value));
    }
    return r;
  }

  // The response for `shown` (its code and message); `logged` goes to on_error.
  response fail(const error& shown) const { return fail(shown, shown); }
  response fail(const error& shown, const error& logged) const {
    response r;
    r.status = http_status(shown.code);
    r.set_body(detail::error_body(shown));
    if (shown.code == error_code::method_not_allowed) {
      r.allow = options_.challenge.enabled ? "GET, POST" : "POST";
    }
    if (r.status == 503) {
      r.retry_after_seconds = static_cast<std::uint32_t>(options_.retry_after.count());
    }
    if (r.status == 401 && auth_.scheme() == auth_scheme::basic) {
      r.www_authenticate = R"(Basic realm="alm-webhooks", charset="UTF-8")";
    }
    if (options_.on_error) {
      try {
        options_.on_error(logged);
      } catch (...) {
        // The hook has nowhere to report its own failure.
      }
    }
    return r;
  }

  verifier auth_;
  endpoint_options options_;
  // Prepared for word-at-a-time case-insensitive matching.
  detail::header_name content_type_name_;
  detail::header_name delivery_id_name_;
  void* visitor_{nullptr};
  dispatch_function dispatch_{nullptr};
  delivery_sink* sink_{nullptr};
  mutable detail::scratch_pool pool_;
};

}  // namespace alm::webhooks
