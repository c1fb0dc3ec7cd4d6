// The parser: one request body in, a delivery of typed events out, zero-copy. Batch envelopes of
// the usual shape are read in one pass by the plain reader (detail/plain_reader.hpp); every other
// body, and every body that reader refuses, by simdjson On-Demand. Detects the wire format (batch
// envelope or AsyncAPI event) from the body itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "alm/webhooks/asyncapi_events.hpp"
#include "alm/webhooks/batch_events.hpp"
#include "alm/webhooks/detail/field_reader.hpp"
#include "alm/webhooks/detail/json_scan.hpp"
#include "alm/webhooks/detail/parse_context.hpp"
#include "alm/webhooks/detail/plain_reader.hpp"
#include "alm/webhooks/enums.hpp"
#include "alm/webhooks/error.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/result.hpp"

#if !defined(ALM_WEBHOOKS_HAS_EXCEPTIONS)
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define ALM_WEBHOOKS_HAS_EXCEPTIONS 1
#else
#define ALM_WEBHOOKS_HAS_EXCEPTIONS 0
#endif
#endif

namespace alm::webhooks {

/// Limits of one parser. The defaults suit every body ALM sends.
struct parser_options {
  /// Deepest nesting of objects and arrays allowed anywhere in the body (the root object is
  /// depth 1). Deeper -> error_code::too_deep. The known structure needs at most 7.
  std::size_t max_depth = 64;
  /// Most events one batch may carry. More -> error_code::body_too_large.
  std::size_t max_events = 100000;
};

/// Reads webhook bodies of both wire formats into typed events.
///
/// Format: a body whose top-level object has an `events` key is a batch envelope; otherwise one
/// with `eventType` is an AsyncAPI event; neither is error_code::unknown_format. Key order does
/// not matter (the usual order, the event name first, is read in a single pass). Unknown event
/// names become raw_event (the batch event's `data`, or the whole AsyncAPI object, as raw JSON);
/// unknown fields are ignored; unknown enum spellings keep their text with the value `unknown`.
/// Tolerated variants: `eventTime`, `eventData` for `timestamp`, `data`; identifiers as numbers
/// or strings; `eventId` as a number; dates as epoch seconds, epoch milliseconds (numbers or
/// digit strings) or ISO-8601 strings; a null optional field counts as absent.
///
/// Lifetimes: every view in the returned delivery (the event array, strings, ids, enum texts,
/// arrays, raw JSON) points into `body` or into this parser. They stay valid until the next
/// parse() on this parser, its destruction, or the release of `body`, whichever comes first.
/// Use to_owned() (owned.hpp) to keep an event longer.
///
/// Thread safety: a parser is not thread-safe. Use one parser per thread (a thread_local one,
/// say); parsers share nothing, so any number may run at once. Parsers are movable, not copyable.
///
/// Padding: simdjson reads up to simdjson::SIMDJSON_PADDING (64) bytes past the end of the
/// body, which must be readable. A host that reads the body into its own buffer can reserve
/// that much extra capacity and parse in place, without a copy:
///
///     std::string body;
///     body.reserve(content_length + simdjson::SIMDJSON_PADDING);
///     ... append the request body ...
///     auto d = parser.parse(simdjson::padded_string_view(body));  // capacity() counts
///
/// or use simdjson::padded_string, or parse(text, padding) with the number of readable bytes
/// after the text. Without padding, parse(std::string_view) copies the body once into a buffer
/// the parser keeps and reuses.
///
/// Allocation: the parser keeps its buffers (simdjson's, the event and array storage, and a copy
/// buffer as large as the largest body, for strings with escapes) between parses, so once it
/// has seen a body of a given size and shape, parsing another like it allocates nothing. Errors
/// allocate their message.
///
/// Errors (error{code, message, path}; path like `events[3].data.userId`):
///  - empty_body: no bytes, or only whitespace.
///  - invalid_json: not JSON (syntax error, bad literal such as NaN, bad number or escape),
///    anywhere in the body, inside ignored fields and raw JSON too; a leading byte order mark.
///  - invalid_utf8: the body is not valid UTF-8.
///  - truncated: the body ends inside a string, object or array.
///  - trailing_content: something follows the top-level value.
///  - too_deep: nesting deeper than parser_options::max_depth.
///  - unknown_format: the top level is not an object with `events` or `eventType`.
///  - wrong_type: a known field has the wrong JSON type (`events` not an array, an event that is
///    not an object, a string where an object belongs, ...).
///  - missing_field: AsyncAPI `eventType`, `eventId`, `accountId`, `timestamp`; batch `events`,
///    and each event's `eventId` and `eventName`.
///  - duplicate_key: a known key twice in one object (aliases count as the same key).
///  - number_out_of_range: an integer beyond 64 bits, or `progressPercent` outside 0..100.
///  - invalid_value: a date string that is neither ISO-8601 nor epoch digits; an empty string
///    for a required identifier or name (`eventId`, `eventName`, `eventType`, `accountId`).
///  - body_too_large: more than parser_options::max_events events, or a body beyond simdjson's
///    capacity (4 GiB).
///  - out_of_memory: an allocation failed.
class parser {
 public:
  explicit parser(parser_options options = {}) noexcept : options_(options) {}

  parser(parser&&) noexcept = default;
  parser& operator=(parser&&) noexcept = default;
  parser(const parser&) = delete;
  parser& operator=(const parser&) = delete;
  ~parser() = default;

  /// Parses a padded body in place (zero-copy). Falls back to a copy if the view's capacity
  /// leaves less than SIMDJSON_PADDING bytes after the body.
  result<delivery> parse(simdjson::padded_string_view body) noexcept {
    if (body.capacity() < body.length() ||
        body.capacity() - body.length() < simdjson::SIMDJSON_PADDING) {
      return parse(std::string_view(body));
    }
    return guarded(body.data(), body.length(), body.capacity());
  }

  /// Parses an unpadded body: copies it once into a buffer this parser reuses (no allocation
  /// once the buffer is as large as the largest body seen).
  result<delivery> parse(std::string_view body) noexcept {
    const std::size_t needed = body.size() + simdjson::SIMDJSON_PADDING;
    if (padded_capacity_ < needed) {
      padded_.reset(new (std::nothrow) char[needed]);
      padded_capacity_ = padded_ ? needed : 0;
      if (!padded_) return out_of_memory();
    }
    if (!body.empty()) std::memmove(padded_.get(), body.data(), body.size());
    std::memset(padded_.get() + body.size(), 0, simdjson::SIMDJSON_PADDING);
    return guarded(padded_.get(), body.size(), needed);
  }

  /// Parses `body` in place when at least SIMDJSON_PADDING readable bytes follow it
  /// (`padding` says how many), else copies it like parse(std::string_view).
  result<delivery> parse(std::string_view body, std::size_t padding) noexcept {
    if (padding < simdjson::SIMDJSON_PADDING) return parse(body);
    const std::size_t room = padding > SIZE_MAX - body.size() ? SIZE_MAX : body.size() + padding;
    return guarded(body.data(), body.size(), room);
  }

  const parser_options& options() const noexcept { return options_; }

 private:
  template <class T>
  struct type_tag {
    using type = T;
  };

  enum class pass : std::uint8_t { done, failed, restart_batch, restart_asyncapi };

  static result<delivery> out_of_memory() noexcept {
    return result<delivery>(error_code::out_of_memory, "out of memory");
  }

  // The body travels as three scalars: a padded_string_view passed in memory is stored field by
  // field and reloaded sixteen bytes at a time, which stalls the CPU.
  result<delivery> guarded(const char* data, std::size_t length, std::size_t capacity) noexcept {
#if ALM_WEBHOOKS_HAS_EXCEPTIONS
    try {
      return run(data, length, capacity);
    } catch (...) {
      return out_of_memory();
    }
#else
    return run(data, length, capacity);
#endif
  }

  // ---- One parse ---------------------------------------------------------------------------

  result<delivery> run(const char* data, std::size_t length, std::size_t capacity) {
    body_ = std::string_view(data, length);
    body_limit_ = data + capacity;
    copy_used_ = 0;
    clear_events();
    path_.clear();

    detail::parse_context ctx;
    ctx.max_depth = options_.max_depth;
    ctx.storage = &arenas_;
    ctx.path = &path_;
    if (read_plain(data, length)) return finish();

    detail::od::document doc;
    if (auto e = main_.iterate(simdjson::padded_string_view(data, length, capacity)).get(doc)) {
      ctx.fail_json(e);
      return failure(ctx);
    }
    detail::od::json_type type{};
    if (auto e = doc.type().get(type)) {
      ctx.fail_json(e);
      return failure(ctx);
    }
    if (type != detail::od::json_type::object) return not_an_object(doc, type, ctx);

    event_type asyncapi_type = event_type::unknown;
    pass outcome = read_root(doc, false, asyncapi_type, ctx);
    if (outcome == pass::restart_asyncapi) {
      restart(doc, ctx);
      outcome = read_root_asyncapi(doc, asyncapi_type, ctx);
    }
    if (outcome == pass::restart_batch) {
      restart(doc, ctx);
      outcome = read_root(doc, true, asyncapi_type, ctx);
    }
    // On-Demand stops at the end of the root object; anything after it is trailing content
    // (which also outranks the verdict that the object has no known format).
    if (outcome == pass::done ||
        (outcome == pass::failed && ctx.code == error_code::unknown_format)) {
      const char* rest = nullptr;
      if (!doc.current_location().get(rest)) {
        ctx.fail(error_code::trailing_content, "content after the end of the document");
        return failure(ctx);
      }
    }
    if (outcome == pass::failed) return failure(ctx);
    return finish();
  }

  // ---- The plain reader's try ------------------------------------------------------------------

  /// Reads the body with the plain reader when it opens like what ALM sends: a batch envelope
  /// (`events` or `accountId` first) or an AsyncAPI event (`eventType` first). True when it read
  /// the whole body; false, with nothing of it kept, when simdjson must. Other bodies lose only
  /// a glance at their first key.
  ALM_WEBHOOKS_INLINE bool read_plain(const char* data, std::size_t length) {
    namespace d = detail;
    if (length >= simdjson::SIMDJSON_MAXSIZE_BYTES) return false;  // simdjson refuses it
    const char* end = data + length;
    const char* first = d::plain::skip_space(data, end);
    if (first >= end || *first != '{') return false;
    const char* key = d::plain::skip_space(first + 1, end);
    const auto opens_with = [&](std::string_view quoted) {
      return static_cast<std::size_t>(end - key) > quoted.size() &&
             std::memcmp(key, quoted.data(), quoted.size()) == 0;
    };
    if (opens_with("\"events\"") || opens_with("\"accountId\"")) {
      return read_plain_batch(first, end);
    }
    return opens_with("\"eventType\"") && read_plain_asyncapi(first, key + 11, end);
  }

  /// A context for one try of the plain reader: its own, so that a failure leaves no trace in
  /// simdjson's pass, and with the copy buffer for unescaped strings when there is one.
  detail::parse_context plain_context() noexcept {
    detail::parse_context ctx;
    ctx.max_depth = options_.max_depth;
    ctx.storage = &arenas_;
    ctx.path = &path_;
    if (reserve_copy_buffer()) ctx.copy_cursor = copy_.get();
    return ctx;
  }

  /// Reads the batch envelope at `first` (its opening brace) with the plain reader
  /// (detail/plain_reader.hpp): true when it read the whole body; false, with nothing of it kept,
  /// when simdjson must.
  bool read_plain_batch(const char* first, const char* end) {
    namespace d = detail;
    d::parse_context ctx = plain_context();
    id_value account;
    bool account_seen = false;
    bool events_seen = false;
    // ALM writes accountId, then events.
    static constexpr d::plain::expected_key usual_keys[] = {
        d::plain::expect("accountId"), d::plain::expect("events"), d::plain::expected_key{}};
    const d::plain::expected_key* next_key = usual_keys;
    const char* p = d::plain::for_each_member(
        first, end, ctx,
        [&](const char* text) { return d::plain::expected_key_end(text, end, *next_key); },
        [&](std::string_view key, bool, const char* at) -> const char* {
          next_key = events_seen || d::key_is(key, "events") ? usual_keys + 2 : usual_keys + 1;
          if (d::key_is(key, "events") && !events_seen) {
            events_seen = true;
            return read_plain_events(at, end, ctx);
          }
          if (d::key_is(key, "accountId") && !account_seen) {
            account_seen = true;
            return d::plain::read_value(at, end, account, ctx, d::field_rules{true, false, false});
          }
          return nullptr;
        });
    if (p == nullptr || !events_seen || d::plain::skip_space(p, end) != end) {
      clear_events();
      path_.clear();
      return false;
    }
    format_ = body_format::batch;
    account_ = account;
    return true;
  }

  /// Reads the AsyncAPI event at `first` (its opening brace) with the plain reader, like
  /// read_plain_batch; `after_type_key` follows its first key, `eventType`. Events of an unknown
  /// type are simdjson's to read (their raw event keeps the whole body).
  bool read_plain_asyncapi(const char* first, const char* after_type_key, const char* end) {
    namespace d = detail;
    const char* colon = d::plain::skip_space(after_type_key, end);
    if (colon >= end || *colon != ':') return false;
    const char* type_at = d::plain::skip_space(colon + 1, end);
    const char* type_end =
        type_at < end && *type_at == '"' ? d::plain::closing_quote(type_at + 1, end) : nullptr;
    if (type_end == nullptr) return false;
    const auto type = d::enum_of_text<event_type>(
        std::string_view(type_at + 1, static_cast<std::size_t>(type_end - type_at - 1)));
    d::parse_context ctx = plain_context();
    const pass outcome = with_asyncapi_type(type, [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (std::is_same_v<T, raw_event>) {
        return pass::failed;  // simdjson's readers keep the whole body of an unknown type
      } else {
        T& typed = add_event<T>();
        const char* p = d::plain::read_object(first, end, typed, ctx);
        if (p == nullptr || d::plain::skip_space(p, end) != end ||
            !d::check_required_not_empty(static_cast<const event_header&>(typed), ctx)) {
          return pass::failed;
        }
        account_ = typed.account_id;
        return pass::done;
      }
    });
    if (outcome != pass::done) {
      clear_events();
      path_.clear();
      return false;
    }
    format_ = body_format::asyncapi;
    return true;
  }

  const char* read_plain_events(const char* p, const char* end, detail::parse_context& ctx) {
    namespace d = detail;
    if (p >= end || *p != '[' || !ctx.enter()) return nullptr;
    p = d::plain::skip_space(p + 1, end);
    if (p < end && *p == ']') return ctx.leave(), p + 1;
    for (std::size_t count = 1;; ++count) {
      if (count > options_.max_events) return nullptr;
      p = read_plain_batch_event(p, end, ctx);
      if (p == nullptr) return nullptr;
      p = d::plain::skip_space(p, end);
      if (p < end && *p == ',') {
        p = d::plain::skip_space(p + 1, end);
        continue;
      }
      if (p < end && *p == ']') return ctx.leave(), p + 1;
      return nullptr;
    }
  }

  /// One entry of `events`, its `data` after its name and of a known group (the usual case).
  const char* read_plain_batch_event(const char* p, const char* end, detail::parse_context& ctx) {
    namespace d = detail;
    constexpr auto fields = std::make_index_sequence<d::field_count_v<batch_event_header>>{};
    batch_event_header header = d::blank<batch_event_header>();
    std::uint64_t seen = 0;
    std::size_t hint = 0;
    envelope_target target;
    // ALM writes eventId, eventName, timestamp, eventInfo, data: after eventInfo, `data` is
    // expected (eventInitiator, of older samples, is then found by a scan).
    constexpr std::size_t after_info = 4;
    static_assert(d::field_name<batch_event_header, after_info - 1>() == "eventInfo");
    static constexpr d::plain::expected_key data_key = d::plain::expect("data");
    p = d::plain::for_each_member(
        p, end, ctx,
        [&](const char* text) {
          return d::plain::expected_key_end(
              text, end,
              hint == after_info ? data_key : d::plain::expected_keys_of<batch_event_header>[hint]);
        },
        [&](std::string_view key, bool expected, const char* at) -> const char* {
          const std::size_t index = expected && hint != after_info
                                        ? hint
                                        : d::find_field<batch_event_header>(key, hint, fields);
          if (index != d::field_count_v<batch_event_header>) {
            if ((seen >> index & 1U) != 0) return nullptr;
            seen |= std::uint64_t{1} << index;
            hint = index + 1;
            return d::plain::read_field(index, at, end, header, ctx, fields);
          }
          // `data` after the name, once: read in place (anything else is simdjson's to read).
          if (!d::key_is(key, "data") || (seen & batch_name_bit) == 0 || target.typed != nullptr) {
            return nullptr;
          }
          const char* next = nullptr;
          with_batch_type(group_of(header.event_name.value), [&](auto tag) {
            using T = typename decltype(tag)::type;
            if constexpr (!std::is_same_v<T, raw_event>) {
              next = d::plain::read_value(at, end, new_batch_event<T>(target).data, ctx,
                                          d::field_rules{});
            }
            return next != nullptr;
          });
          return next;
        });
    constexpr std::uint64_t required = d::required_mask<batch_event_header>();
    if (p == nullptr || target.typed == nullptr || (seen & required) != required ||
        !d::check_required_not_empty(header, ctx)) {
      return nullptr;
    }
    *target.typed = header;
    return p;
  }

  /// Back to the start of the body for a second pass (which rewrites simdjson's string buffer
  /// from its start, so nothing read in the first pass may survive).
  void restart(detail::od::document& doc, detail::parse_context& ctx) noexcept {
    clear_events();
    copy_used_ = 0;
    ctx.depth = 0;
    doc.rewind();
  }

  void clear_events() noexcept {
    events_.clear();
    arenas_.clear();
    account_ = id_value{};
  }

  /// Rebases every array, fills what AsyncAPI raw events lack, and hands out the delivery.
  result<delivery> finish() noexcept {
    // Only arrays (read into the arenas) and AsyncAPI raw events need a visit.
    const bool fix_up =
        format_ == body_format::asyncapi || !arenas_.strings.empty() || !arenas_.members.empty();
    for (event& e : events_) {
      if (!fix_up) break;
      std::visit(
          [this](auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, raw_event>) {
              // An AsyncAPI raw event is the whole body, which (no trailing content) is exactly
              // the root object once its surrounding whitespace goes.
              if (x.format == body_format::asyncapi) x.data.text = detail::trim_json_space(body_);
            } else if constexpr (detail::has_arrays<T>()) {
              detail::rebase_arrays(x, arenas_);
            }
          },
          e);
    }
    // Filled in place in the returned result: a delivery built on the stack and then moved in
    // is stored field by field and reloaded sixteen bytes at a time, which stalls the CPU.
    result<delivery> out{delivery{}};
    delivery& d = *out;
    d.format = format_;
    d.account_id = account_;
    d.events = array_view<event>(events_.data(), events_.size());
    return out;
  }

  /// The root is not an object: classify it (a deep array is too_deep, a malformed scalar is
  /// invalid_json) and otherwise report unknown_format.
  result<delivery> not_an_object(detail::od::document& doc, detail::od::json_type type,
                                 detail::parse_context& ctx) {
    const std::string_view text = detail::trim_json_space(body_);
    if (type == detail::od::json_type::array) {
      if (detail::scan_nesting(text, options_.max_depth).exceeded) {
        ctx.fail(error_code::too_deep, "nesting exceeds the depth limit");
        return failure(ctx);
      }
    } else {
      std::string_view token;
      if (auto e = doc.raw_json_token().get(token)) {
        ctx.fail_json(e);
        return failure(ctx);
      }
      token = detail::trim_json_space_right(token);
      bool valid = true;
      switch (type) {
        case detail::od::json_type::boolean:
          valid = token == "true" || token == "false";
          break;
        case detail::od::json_type::null:
          valid = token == "null";
          break;
        case detail::od::json_type::number:
          // The grammar decides: simdjson refuses some valid numbers (a long exponent).
          valid = detail::json_fault(token) == nullptr;
          break;
        default:
          break;
      }
      if (!valid) {
        ctx.fail(error_code::invalid_json, "not JSON");
        return failure(ctx);
      }
    }
    ctx.fail(error_code::unknown_format,
             "expected a JSON object with `events` (batch) or `eventType` (AsyncAPI)");
    return failure(ctx);
  }

  /// Builds the error value. simdjson reports a cut-off or over-long body as a structure error
  /// somewhere inside; a scan of the whole body tells truncation and trailing content apart.
  result<delivery> failure(detail::parse_context& ctx) {
    // Some editors and HTTP clients prepend one; the generic verdict would not say so.
    if (body_.substr(0, 3) == "\xEF\xBB\xBF") {
      return result<delivery>(error_code::invalid_json,
                              "the body starts with a UTF-8 byte order mark (EF BB BF), which "
                              "JSON does not allow");
    }
    const auto json_error = ctx.json_error;
    if (json_error == simdjson::TAPE_ERROR || json_error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT ||
        json_error == simdjson::UNCLOSED_STRING) {
      const std::string_view text = detail::trim_json_space(body_);
      const auto scan = detail::scan_nesting(text, static_cast<std::size_t>(-1));
      if (scan.end == std::string_view::npos) {
        if (text.empty() || text.front() == '{' || text.front() == '[' || text.front() == '"') {
          ctx.fail(error_code::truncated, "the document ends before it is complete");
        }
      } else if (scan.end < text.size()) {
        ctx.fail(error_code::trailing_content, "content after the end of the document");
      } else if (ctx.code == error_code::truncated) {
        ctx.fail(error_code::invalid_json,
                 "invalid JSON (misplaced comma, brace, bracket, colon or value)");
      }
    }
    return result<delivery>(ctx.code, std::move(ctx.message), ctx.path_text());
  }

  // ---- The root object -----------------------------------------------------------------------

  /// Errors that only matter once the format is known; anything else is wrong in every format.
  static bool is_tentative(error_code code) noexcept {
    return code == error_code::wrong_type || code == error_code::invalid_value ||
           code == error_code::number_out_of_range || code == error_code::duplicate_key;
  }

  static constexpr std::size_t header_event_type = 0;
  static constexpr std::size_t header_account_id = 2;

  /// The first pass (or, with `batch_only`, the batch pass after a rewind). Reads the envelope
  /// as it goes; on `eventType` with nothing type-specific before it, switches to the AsyncAPI
  /// reading of the same object without stopping. Otherwise it notes the type and asks for a
  /// second, typed pass.
  pass read_root(detail::od::document& doc, bool batch_only, event_type& type,
                 detail::parse_context& ctx) {
    namespace d = detail;
    d::od::object root;
    if (auto e = doc.get_object().get(root)) return ctx.fail_json(e), pass::failed;
    if (!ctx.enter()) return pass::failed;
    d::od::object_iterator it;
    d::od::object_iterator end;
    if (auto e = root.begin().get(it)) return ctx.fail_json(e), pass::failed;
    if (auto e = root.end().get(end)) return ctx.fail_json(e), pass::failed;

    event_header header = detail::blank<event_header>();
    std::uint64_t seen = 0;
    bool batch = batch_only;
    bool events_seen = false;
    bool type_seen = false;
    bool pending = false;  // something AsyncAPI must read came before eventType
    std::size_t hint = 0;

    for (; it != end; ++it) {
      auto member_result = *it;
      if (member_result.error()) return ctx.fail_json(member_result.error()), pass::failed;
      d::od::field&& member = std::move(member_result).value_unsafe();
      const d::od::raw_json_string key = member.key();
      d::od::value& value = member.value();
      if (d::key_is(key, "events")) {
        if (events_seen) {
          ctx.fail(error_code::duplicate_key, "duplicate key");
          return ctx.at_key("events"), pass::failed;
        }
        events_seen = batch = true;
        if (!read_events(value, ctx)) return pass::failed;
        continue;
      }
      if (d::key_is(key, "accountId")) {
        if (!d::read_field_at<event_header, header_account_id>(value, header, seen, ctx,
                                                               "accountId")) {
          return pass::failed;
        }
        continue;
      }
      if (!batch) {
        if (d::key_is(key, "eventType")) {
          type_seen = true;
          if (!d::read_field_at<event_header, header_event_type>(value, header, seen, ctx,
                                                                 "eventType")) {
            if (!is_tentative(ctx.code)) return pass::failed;
            pending = true;
            continue;
          }
          type = detail::enum_of_text<event_type>(header.event_type);
          if (!pending) {
            ++it;
            return read_asyncapi(it, end, type, header, seen, ctx);
          }
          continue;
        }
        const d::match m = d::read_known_field(key, value, header, seen, ctx, hint);
        if (m == d::match::ok) continue;
        if (m == d::match::failed) {
          if (!is_tentative(ctx.code)) return pass::failed;
          pending = true;
          continue;
        }
        pending = true;
      }
      if (!d::skip_member(key, value, ctx)) return pass::failed;
    }
    ctx.leave();
    if (batch) {
      format_ = body_format::batch;
      account_ = header.account_id;
      return pass::done;
    }
    if (type_seen) return pass::restart_asyncapi;
    ctx.fail(error_code::unknown_format,
             "expected a JSON object with `events` (batch) or `eventType` (AsyncAPI)");
    return pass::failed;
  }

  /// The typed AsyncAPI pass after a rewind, when the type is known from the first pass.
  pass read_root_asyncapi(detail::od::document& doc, event_type type, detail::parse_context& ctx) {
    detail::od::object root;
    if (auto e = doc.get_object().get(root)) return ctx.fail_json(e), pass::failed;
    if (!ctx.enter()) return pass::failed;
    detail::od::object_iterator it;
    detail::od::object_iterator end;
    if (auto e = root.begin().get(it)) return ctx.fail_json(e), pass::failed;
    if (auto e = root.end().get(end)) return ctx.fail_json(e), pass::failed;
    event_header header = detail::blank<event_header>();
    return read_asyncapi(it, end, type, header, 0, ctx);
  }

  template <class Fn>
  static pass with_asyncapi_type(event_type type, Fn&& fn) {
    switch (type) {
      case event_type::learner_enrollment:
        return fn(type_tag<learner_enrollment>{});
      case event_type::learner_completion:
        return fn(type_tag<learner_completion>{});
      case event_type::learner_progress:
        return fn(type_tag<learner_progress>{});
      case event_type::learner_unenrollment:
        return fn(type_tag<learner_unenrollment>{});
      case event_type::course_created:
        return fn(type_tag<course_created>{});
      case event_type::course_updated:
        return fn(type_tag<course_updated>{});
      case event_type::badge_awarded:
        return fn(type_tag<badge_awarded>{});
      case event_type::certification_completed:
        return fn(type_tag<certification_completed>{});
      case event_type::skill_achieved:
        return fn(type_tag<skill_achieved>{});
      case event_type::user_created:
        return fn(type_tag<user_created>{});
      case event_type::user_updated:
        return fn(type_tag<user_updated>{});
      case event_type::user_deleted:
        return fn(type_tag<user_deleted>{});
      case event_type::job_completed:
        return fn(type_tag<job_completed>{});
      case event_type::unknown:
        break;
    }
    return fn(type_tag<raw_event>{});
  }

  /// Reads the rest of an AsyncAPI root object into the event of `type`, starting from the
  /// header fields already read. A top-level `events` key makes the body a batch after all.
  pass read_asyncapi(detail::od::object_iterator& it, detail::od::object_iterator& end,
                     event_type type, event_header& header, std::uint64_t seen,
                     detail::parse_context& ctx) {
    namespace d = detail;
    format_ = body_format::asyncapi;
    return with_asyncapi_type(type, [&](auto tag) {
      using T = typename decltype(tag)::type;
      // Raw events read just the header; typed ones read into the event in place.
      auto& target = [&]() -> auto& {
        if constexpr (std::is_same_v<T, raw_event>) {
          return header;
        } else {
          T& typed = add_event<T>();
          static_cast<event_header&>(typed) = header;
          return typed;
        }
      }
      ();
      using target_type = std::decay_t<decltype(target)>;
      const d::member_step step = d::read_members(
          it, end, target, seen, ctx, [&ctx](d::od::raw_json_string key, d::od::value& v) {
            if (d::key_is(key, "events")) return d::member_step::stop;
            return d::skip_member(key, v, ctx) ? d::member_step::next : d::member_step::failed;
          });
      if (step == d::member_step::failed) return pass::failed;
      if (step == d::member_step::stop) return pass::restart_batch;
      ctx.leave();
      if (!d::check_required<target_type>(seen, ctx)) return pass::failed;
      if (!d::check_required_not_empty(static_cast<const event_header&>(target), ctx)) {
        return pass::failed;
      }
      account_ = target.account_id;
      if constexpr (std::is_same_v<T, raw_event>) {
        raw_event& raw = add_event<raw_event>();
        raw.format = body_format::asyncapi;
        raw.event_id = header.event_id;
        raw.event_name = header.event_type;
        raw.timestamp = header.timestamp;
      }
      return pass::done;
    });
  }

  // ---- Batch events --------------------------------------------------------------------------

  bool read_events(detail::od::value& value, detail::parse_context& ctx) {
    namespace d = detail;
    d::od::array array;
    const auto err = value.get_array().get(array);
    if (err) {
      if (err == simdjson::INCORRECT_TYPE) {
        ctx.fail(error_code::wrong_type, "expected an array");
      } else {
        ctx.fail_json(err);
      }
      return ctx.at_key("events");
    }
    if (!ctx.enter()) return ctx.at_key("events");
    std::size_t index = 0;
    for (auto element : array) {
      if (element.error()) {
        ctx.fail_json(element.error());
        ctx.at_index(index);
        return ctx.at_key("events");
      }
      d::od::value&& item = std::move(element).value_unsafe();
      if (index == options_.max_events) {
        ctx.fail(error_code::body_too_large,
                 fmt::format("a batch may carry at most {} events", options_.max_events));
        return ctx.at_key("events");
      }
      if (!read_batch_event(item, ctx)) {
        ctx.at_index(index);
        return ctx.at_key("events");
      }
      ++index;
    }
    ctx.leave();
    return true;
  }

  template <class Fn>
  static bool with_batch_type(batch_group group, Fn&& fn) {
    switch (group) {
      case batch_group::enrollment:
        return fn(type_tag<batch_enrollment>{});
      case batch_group::completion:
        return fn(type_tag<batch_completion>{});
      case batch_group::unenrollment:
        return fn(type_tag<batch_unenrollment>{});
      case batch_group::progress:
        return fn(type_tag<batch_progress>{});
      case batch_group::ci_stats:
        return fn(type_tag<batch_ci_stats>{});
      case batch_group::learning_object:
        return fn(type_tag<batch_learning_object>{});
      case batch_group::learning_object_instance:
        return fn(type_tag<batch_learning_object_instance>{});
      case batch_group::user_group_response:
        return fn(type_tag<batch_user_group_response>{});
      case batch_group::unknown:
        break;
    }
    return fn(type_tag<raw_event>{});
  }

  static constexpr std::size_t batch_event_id = 0;
  static constexpr std::size_t batch_event_name_index = 1;
  static constexpr std::size_t batch_timestamp = 2;
  static constexpr std::uint64_t batch_name_bit = std::uint64_t{1} << batch_event_name_index;
  static constexpr std::uint64_t batch_data_bit = std::uint64_t{1}
                                                  << detail::field_count_v<batch_event_header>;

  /// One entry of `events`. The usual order (eventName before data) reads `data` straight into
  /// the typed event; when `data` comes first its raw text is kept and read afterwards.
  bool read_batch_event(detail::od::value& value, detail::parse_context& ctx) {
    namespace d = detail;
    d::od::object object;
    const auto err = value.get_object().get(object);
    if (err) {
      if (err == simdjson::INCORRECT_TYPE)
        return ctx.fail(error_code::wrong_type, "expected an object");
      return ctx.fail_json(err);
    }
    if (!ctx.enter()) return false;
    d::od::object_iterator it;
    d::od::object_iterator end;
    if (auto e = object.begin().get(it)) return ctx.fail_json(e);
    if (auto e = object.end().get(end)) return ctx.fail_json(e);

    batch_event_header header = detail::blank<batch_event_header>();
    std::uint64_t seen = 0;
    envelope_target target;
    std::string_view deferred;
    std::string_view data_key;

    const d::member_step step = d::read_members(
        it, end, header, seen, ctx, [&](d::od::raw_json_string key, d::od::value& v) {
          const bool is_data = d::key_is(key, "data");
          if (is_data || d::key_is(key, "eventData")) {
            data_key = is_data ? "data" : "eventData";
            if (seen & batch_data_bit) {
              ctx.fail(error_code::duplicate_key, "duplicate key (data and eventData are one)");
              return ctx.at_key(data_key), d::member_step::failed;
            }
            seen |= batch_data_bit;
            bool ok = true;
            if (seen & batch_name_bit) {
              ok = read_data_in_place(group_of(header.event_name.value), v, ctx, target);
            } else {
              ok = d::raw_value(v, deferred, ctx);
            }
            return ok ? d::member_step::next : (ctx.at_key(data_key), d::member_step::failed);
          }
          if (d::key_is(key, "eventTime")) {
            return d::read_field_at<batch_event_header, batch_timestamp>(v, header, seen, ctx,
                                                                         "eventTime")
                       ? d::member_step::next
                       : d::member_step::failed;
          }
          return d::skip_member(key, v, ctx) ? d::member_step::next : d::member_step::failed;
        });
    if (step == d::member_step::failed) return false;
    if (!d::check_required<batch_event_header>(seen, ctx)) return false;
    if (!d::check_required_not_empty(header, ctx)) return false;
    if (!target.typed && !target.raw &&
        !read_deferred_data(group_of(header.event_name.value), deferred, ctx, target)) {
      return ctx.at_key(data_key);
    }
    ctx.leave();
    if (target.typed) {
      *target.typed = header;
    } else {
      raw_event& raw = *target.raw;
      raw.format = body_format::batch;
      raw.event_id = header.event_id;
      raw.event_name = header.event_name.text;
      raw.timestamp = header.timestamp;
      raw.event_info = header.event_info;
    }
    return true;
  }

  /// Where the envelope fields of the batch event being read go once its entry is complete
  /// (nothing else is added to events_ in between, so the pointer stays valid).
  struct envelope_target {
    batch_event_header* typed{nullptr};
    raw_event* raw{nullptr};
  };

  /// Appends a new, empty event of type T (see detail::blank).
  template <class T>
  T& add_event() {
    return *std::get_if<T>(&events_.emplace_back(std::in_place_type<T>, detail::blank<T>()));
  }

  template <class T>
  T& new_batch_event(envelope_target& target) {
    T& e = add_event<T>();
    if constexpr (std::is_same_v<T, raw_event>) {
      target.raw = &e;
    } else {
      target.typed = &e;
    }
    return e;
  }

  /// `data` after the name: read straight into a new event of the name's group.
  bool read_data_in_place(batch_group group, detail::od::value& value, detail::parse_context& ctx,
                          envelope_target& target) {
    return with_batch_type(group, [&](auto tag) {
      using T = typename decltype(tag)::type;
      T& e = new_batch_event<T>(target);
      if constexpr (std::is_same_v<T, raw_event>) {
        return detail::raw_value(value, e.data.text, ctx);
      } else {
        return detail::read_value(value, e.data, ctx, detail::field_rules{});
      }
    });
  }

  /// `data` before the name (or absent): a new event of the group, its data read from the kept
  /// raw text by the second simdjson parser. The rest of the body plus its padding follow that
  /// text, so the text is validly padded where it lies.
  bool read_deferred_data(batch_group group, std::string_view raw, detail::parse_context& ctx,
                          envelope_target& target) {
    return with_batch_type(group, [&](auto tag) {
      using T = typename decltype(tag)::type;
      T& e = new_batch_event<T>(target);
      if constexpr (std::is_same_v<T, raw_event>) {
        e.data.text = raw;
        return true;
      } else {
        if (raw.empty() || raw == "null") return true;
        if (raw.front() != '{') return ctx.fail(error_code::wrong_type, "expected an object");
        return read_deferred_object(raw, e.data, ctx);
      }
    });
  }

  /// Makes the copy buffer at least as large as the body: false when memory runs out. Strings
  /// are copied there only from the body, each at most once, so it never overflows.
  bool reserve_copy_buffer() noexcept {
    return copy_capacity_ >= body_.size() || grow_copy_buffer();
  }

  ALM_WEBHOOKS_COLD bool grow_copy_buffer() noexcept {
    copy_.reset(new (std::nothrow) char[body_.size()]);
    copy_capacity_ = copy_ ? body_.size() : 0;
    return copy_ != nullptr;
  }

  template <class Data>
  bool read_deferred_object(std::string_view raw, Data& out, detail::parse_context& ctx) {
    namespace d = detail;
    // The second parser's string buffer is reset by its next document, so strings read from
    // it are copied into the copy buffer, which lasts until the next parse.
    if (!reserve_copy_buffer()) return ctx.fail(error_code::out_of_memory, "out of memory");
    const auto room = static_cast<std::size_t>(body_limit_ - raw.data());
    d::od::document doc;
    if (auto e = deferred_.iterate(simdjson::padded_string_view(raw.data(), raw.size(), room))
                     .get(doc)) {
      return ctx.fail_json(e);
    }
    d::od::object object;
    if (auto e = doc.get_object().get(object)) return ctx.fail_json(e);
    ctx.copy_cursor = copy_.get() + copy_used_;
    const bool ok = d::read_object(object, out, ctx);
    copy_used_ = static_cast<std::size_t>(ctx.copy_cursor - copy_.get());
    ctx.copy_cursor = nullptr;
    return ok;
  }

  parser_options options_;
  simdjson::ondemand::parser main_;
  simdjson::ondemand::parser deferred_;
  std::vector<event> events_;
  detail::arenas arenas_;
  std::vector<detail::path_segment> path_;
  std::unique_ptr<char[]> padded_;
  std::size_t padded_capacity_{0};
  std::unique_ptr<char[]> copy_;
  std::size_t copy_capacity_{0};
  std::size_t copy_used_{0};
  std::string_view body_;
  const char* body_limit_{nullptr};
  body_format format_{body_format::batch};
  id_value account_;
};

}  // namespace alm::webhooks
