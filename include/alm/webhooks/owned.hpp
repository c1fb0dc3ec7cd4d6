// owned<E>: a copy of an event that outlives the parser that read it (and the request body),
// for events kept past the next parse: queued for later, stored, handed to another thread.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include <fmt/format.h>
#include <simdjson.h>

#include "alm/webhooks/detail/value_traits.hpp"
#include "alm/webhooks/error.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/id.hpp"
#include "alm/webhooks/json_writer.hpp"
#include "alm/webhooks/parser.hpp"
#include "alm/webhooks/result.hpp"

namespace alm::webhooks {

template <class E>
class owned;

namespace detail {
/// What owned<E> can hold: one concrete event type, or the `event` variant.
template <class E>
inline constexpr bool is_ownable_v = is_event_type_v<E> || std::is_same_v<E, event>;

/// The one way in to owned's private constructor, for to_owned.
struct owned_access {
  template <class E>
  static result<owned<E>> from_json(std::string_view json) noexcept;
};
}  // namespace detail

/// An event together with everything its views point into: the event's JSON (its to_json) in a
/// padded buffer, and the parser that read that JSON back, whose storage holds the unescaped
/// strings and the arrays. get() is an ordinary E whose views stay valid as long as this
/// object does, whatever happens to the parser and body the original came from.
///
/// Built by to_owned(). Copying re-parses the JSON into a new copy (allocates; throws
/// std::bad_alloc if memory runs out, as copying a std::string does). Moving re-parses
/// nothing: the buffers move, so views stay valid; a moved-from owned holds a default E.
/// Immutable once built: any number of threads may read one at the same time.
/// Memory: the JSON plus the parser's buffers, a few times the JSON's size.
template <class E>
class owned {
  static_assert(detail::is_ownable_v<E>,
                "owned<E> holds one event type (learner_completion, batch_enrollment...) or event");

 public:
  owned(const owned& other) : owned(reparse(other)) {}
  owned(owned&& other) noexcept
      : json_(std::exchange(other.json_, simdjson::padded_string())),
        parser_(std::move(other.parser_)),
        value_(std::exchange(other.value_, E{})),
        account_id_(std::exchange(other.account_id_, id_value{})) {}
  owned& operator=(const owned& other) {
    if (this != &other) *this = reparse(other);
    return *this;
  }
  owned& operator=(owned&& other) noexcept {
    if (this != &other) {
      json_ = std::exchange(other.json_, simdjson::padded_string());
      parser_ = std::move(other.parser_);
      value_ = std::exchange(other.value_, E{});
      account_id_ = std::exchange(other.account_id_, id_value{});
    }
    return *this;
  }
  ~owned() = default;

  const E& get() const noexcept { return value_; }
  const E& operator*() const noexcept { return value_; }
  const E* operator->() const noexcept { return &value_; }

  /// The account of the delivery the copy was made for: the batch account id passed to
  /// to_owned(), or an AsyncAPI event's own accountId. Empty when none was given.
  const id_value& account_id() const noexcept { return account_id_; }

  /// The JSON body the copy holds (the event as to_json() writes it).
  std::string_view json() const noexcept { return std::string_view(json_.data(), json_.size()); }

 private:
  friend struct detail::owned_access;

  owned(simdjson::padded_string json, std::unique_ptr<parser> p, const E& value,
        const id_value& account_id) noexcept
      : json_(std::move(json)), parser_(std::move(p)), value_(value), account_id_(account_id) {}

  static result<owned> out_of_memory() noexcept {
    // Short enough for the small-string buffer: building this error allocates nothing.
    return result<owned>(error_code::out_of_memory, "out of memory");
  }

  /// Parses `json`, a body holding one event, into a new owned.
  static result<owned> from_json(std::string_view json) noexcept {
#if ALM_WEBHOOKS_HAS_EXCEPTIONS
    try {
      return read(json);
    } catch (...) {  // only std::bad_alloc, from an error message
      return out_of_memory();
    }
#else
    return read(json);
#endif
  }

  static result<owned> read(std::string_view json) {
    simdjson::padded_string body(json);
    if (body.data() == nullptr) return out_of_memory();
    // The parser lives on the heap so that moving an owned leaves its storage where it is.
    std::unique_ptr<parser> reader(new (std::nothrow) parser());
    if (!reader) return out_of_memory();
    result<delivery> parsed = reader->parse(static_cast<simdjson::padded_string_view>(body));
    if (!parsed) return parsed.error();
    const array_view<event> events = parsed->events;
    if (events.size() != 1) {
      return result<owned>(error_code::invalid_value,
                           fmt::format("expected one event in the JSON, found {}", events.size()));
    }
    const E* value = nullptr;
    if constexpr (std::is_same_v<E, event>) {
      value = &events[0];
    } else {
      value = std::get_if<E>(&events[0]);
    }
    if (value == nullptr) {
      return result<owned>(error_code::invalid_value,
                           fmt::format("the event reads back as another type than the one asked "
                                       "for (its name `{}` belongs to another struct)",
                                       event_name_of(events[0])));
    }
    return owned(std::move(body), std::move(reader), *value, parsed->account_id);
  }

  /// A copy made by parsing the JSON again: only memory can run out, as the JSON parsed before.
  static owned reparse(const owned& other) {
    result<owned> copy = from_json(other.json());
    if (!copy) {
#if ALM_WEBHOOKS_HAS_EXCEPTIONS
      throw std::bad_alloc();
#else
      std::abort();
#endif
    }
    return std::move(copy).value();
  }

  simdjson::padded_string json_;
  std::unique_ptr<parser> parser_;
  E value_;
  id_value account_id_;
};

/// Makes an owned copy of `e` from its JSON (see owned). `account_id` is the batch envelope's
/// account for a batch event (ignored for AsyncAPI events, which carry their own). Works for
/// every event type and for `event`; owned<E> holds the same E, so `to_owned(e)->get() == e`.
///
/// Errors (no exception): out_of_memory; any parse error of the event's JSON, which only an
/// event built in code can cause (an AsyncAPI event without eventId or accountId, a batch event
/// without eventId or eventName); invalid_value if a concrete batch event's name belongs to
/// another group than its struct (a batch_completion named LEARNER_PROGRESS reads back as
/// batch_progress).
template <class E, std::enable_if_t<detail::is_ownable_v<E>, int> = 0>
result<owned<E>> to_owned(const E& e, const id_value& account_id = {}) noexcept {
  fmt::memory_buffer json;
  if (!write_json(json, e, account_id)) {
    return result<owned<E>>(error_code::out_of_memory, "out of memory");
  }
  return detail::owned_access::from_json<E>(std::string_view(json.data(), json.size()));
}

template <class E>
result<owned<E>> detail::owned_access::from_json(std::string_view json) noexcept {
  return owned<E>::from_json(json);
}

}  // namespace alm::webhooks
