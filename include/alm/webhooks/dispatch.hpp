// Dispatch: hands each event of a delivery to the user's code. Two styles:
//
// - a compile-time visitor: any object with `on(const E&)` or `on(const E&, const event_context&)`
//   overloads (or an overloaded callable, as for std::visit), resolved per event type at compile
//   time, with no virtual call and no allocation;
// - a runtime registry, `handlers`, with on<Event>(fn), on_any(fn) and on_error(fn).
//
// A handler may return void, bool (false = failure) or result<void>, and may throw: dispatch
// catches every exception and reports it as error_code::handler_failed, so that the endpoint
// answers 500 and the event is retried.
#pragma once

#include <array>
#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "alm/webhooks/error.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/id.hpp"
#include "alm/webhooks/result.hpp"

namespace alm::webhooks {

/// What a handler knows besides the event itself: where it came from and its place in the body.
/// The views are valid for the duration of the handler call only.
struct event_context {
  body_format format{body_format::batch};  ///< the wire format of the body
  id_value account_id;                     ///< envelope `accountId` (or the event's)
  /// The delivery's identifier from the request (by default the `webhook-id` header), or empty
  /// when the request carried none. The same body redelivered may carry the same id.
  std::string_view delivery_id;
  std::size_t index{0};  ///< position of the event in the body, from 0
  std::size_t count{1};  ///< number of events in the body
};

/// The context of event `index` of `d`.
inline event_context make_context(const delivery& d, std::size_t index,
                                  std::string_view delivery_id = {}) noexcept {
  return event_context{d.format, d.account_id, delivery_id, index, d.events.size()};
}

/// The `overloaded` idiom: builds one visitor from several lambdas, e.g.
/// `overloaded{[](const learner_completion&) {...}, [](const auto&) {}}`.
template <class... Fns>
struct overloaded : Fns... {
  using Fns::operator()...;
};
template <class... Fns>
overloaded(Fns...) -> overloaded<Fns...>;

namespace detail {

template <class>
inline constexpr bool always_false_v = false;

// ---- What a visitor offers for event type E, detected at compile time ----------------------

template <class V, class E, class = void>
struct has_on_with_context : std::false_type {};
template <class V, class E>
struct has_on_with_context<V, E,
                           std::void_t<decltype(std::declval<V&>().on(
                               std::declval<const E&>(), std::declval<const event_context&>()))>>
    : std::true_type {};

template <class V, class E, class = void>
struct has_on : std::false_type {};
template <class V, class E>
struct has_on<V, E, std::void_t<decltype(std::declval<V&>().on(std::declval<const E&>()))>>
    : std::true_type {};

template <class V, class E, class = void>
struct has_on_unhandled_with_context : std::false_type {};
template <class V, class E>
struct has_on_unhandled_with_context<
    V, E,
    std::void_t<decltype(std::declval<V&>().on_unhandled(
        std::declval<const E&>(), std::declval<const event_context&>()))>> : std::true_type {};

template <class V, class E, class = void>
struct has_on_unhandled : std::false_type {};
template <class V, class E>
struct has_on_unhandled<
    V, E, std::void_t<decltype(std::declval<V&>().on_unhandled(std::declval<const E&>()))>>
    : std::true_type {};

template <class V, class = void>
struct has_on_error : std::false_type {};
template <class V>
struct has_on_error<V, std::void_t<decltype(std::declval<V&>().on_error(
                           std::declval<const error&>(), std::declval<const event_context&>()))>>
    : std::true_type {};

// A visitor that takes the whole variant itself (the runtime registry does).
template <class V, class = void>
struct is_event_sink : std::false_type {};
template <class V>
struct is_event_sink<V, std::enable_if_t<std::is_same_v<decltype(std::declval<V&>().dispatch_event(
                                                            std::declval<const event&>(),
                                                            std::declval<const event_context&>())),
                                                        result<void>>>> : std::true_type {};

/// Whether a visitor has a handler (a typed one or the catch-all) for event type E.
template <class V, class E>
inline constexpr bool handles_v =
    has_on_with_context<V, E>::value || has_on<V, E>::value ||
    std::is_invocable_v<V&, const E&, const event_context&> || std::is_invocable_v<V&, const E&> ||
    has_on_unhandled_with_context<V, event>::value || has_on_unhandled<V, event>::value;

// ---- Calling a handler and reading its answer ----------------------------------------------

/// An error whose message `make()` builds. Never throws: if building the message fails, the
/// error keeps its code and has no message.
template <class Make>
error error_from(error_code code, Make&& make) noexcept {
  error e{code, {}, {}};
  try {
    e.message = make();
  } catch (...) {
  }
  return e;
}

// Exception texts may be long; logs need little.
inline constexpr std::size_t max_handler_message = 240;

/// The error for a handler that failed.
inline error handler_error(std::string_view what) noexcept {
  return error_from(error_code::handler_failed,
                    [&] { return std::string(what.substr(0, max_handler_message)); });
}

inline error handler_exception(const char* what) noexcept {
  if (what == nullptr) return handler_error("the handler threw an exception");
  return error_from(error_code::handler_failed, [&] {
    return std::string("the handler threw: ")
        .append(std::string_view(what).substr(0, max_handler_message));
  });
}

/// Calls `call()` and turns its answer (void, bool or result<void>) into a result<void> whose
/// error, if any, has the code handler_failed.
template <class Call>
result<void> invoke_handler(Call&& call) {
  using answer = std::decay_t<decltype(call())>;
  if constexpr (std::is_void_v<answer>) {
    call();
    return {};
  } else if constexpr (std::is_same_v<answer, bool>) {
    if (call()) return {};
    return handler_error("the handler reported failure");
  } else if constexpr (std::is_same_v<answer, result<void>>) {
    result<void> r = call();
    if (r) return r;
    error e = r.error();
    e.code = error_code::handler_failed;
    return e;
  } else {
    static_assert(always_false_v<answer>,
                  "an event handler must return void, bool or alm::webhooks::result<void>");
  }
}

/// Runs `call` with every exception caught.
template <class Call>
result<void> guarded(Call&& call) noexcept {
  try {
    return invoke_handler(std::forward<Call>(call));
  } catch (const std::exception& ex) {
    return handler_exception(ex.what());
  } catch (...) {
    return handler_exception(nullptr);
  }
}

// The visitor's handler for one alternative, in order of preference: on(e, ctx), on(e),
// v(e, ctx), v(e), on_unhandled(event, ctx), on_unhandled(event); none means "not interested".
template <class V, class E>
result<void> visit_alternative(V& v, const E& e, const event& whole,
                               const event_context& ctx) noexcept {
  if constexpr (has_on_with_context<V, E>::value) {
    return guarded([&]() -> decltype(auto) { return v.on(e, ctx); });
  } else if constexpr (has_on<V, E>::value) {
    return guarded([&]() -> decltype(auto) { return v.on(e); });
  } else if constexpr (std::is_invocable_v<V&, const E&, const event_context&>) {
    return guarded([&]() -> decltype(auto) { return v(e, ctx); });
  } else if constexpr (std::is_invocable_v<V&, const E&>) {
    return guarded([&]() -> decltype(auto) { return v(e); });
  } else if constexpr (has_on_unhandled_with_context<V, event>::value) {
    return guarded([&]() -> decltype(auto) { return v.on_unhandled(whole, ctx); });
  } else if constexpr (has_on_unhandled<V, event>::value) {
    return guarded([&]() -> decltype(auto) { return v.on_unhandled(whole); });
  } else {
    (void)v, (void)e, (void)whole, (void)ctx;
    return {};
  }
}

template <class V>
void report_failure(V& v, const error& e, const event_context& ctx) noexcept {
  if constexpr (has_on_error<V>::value) {
    try {
      v.on_error(e, ctx);
    } catch (...) {
      // An error hook that throws has nowhere to report to; the failure is already recorded.
    }
  } else {
    (void)v, (void)e, (void)ctx;
  }
}

}  // namespace detail

/// Hands one event to `visitor`: the overload for the event's type is chosen at compile time.
///
/// The visitor may offer, for each event type E it cares about (either format, raw_event
/// included), in order of preference:
///   `on(const E&, const event_context&)`, `on(const E&)`,
///   `operator()(const E&, const event_context&)`, `operator()(const E&)`;
/// and as a catch-all for every other event, unknown names included:
///   `on_unhandled(const event&, const event_context&)` or `on_unhandled(const event&)`
/// (a template `on(const auto&)` overload works as a catch-all too). Events the visitor has no
/// handler for are ignored and count as handled. Handlers return void, bool or result<void>.
/// When a handler throws or fails, the visitor's `on_error(const error&, const event_context&)`
/// is called if it has one, and the error (code handler_failed) is returned.
/// Never throws. Thread safety: as the visitor's own.
template <class Visitor>
result<void> dispatch(Visitor& visitor, const event& e, const event_context& ctx) noexcept {
  result<void> r;
  if constexpr (detail::is_event_sink<Visitor>::value) {
    r = visitor.dispatch_event(e, ctx);
  } else {
    r = std::visit(
        [&](const auto& alternative) {
          return detail::visit_alternative(visitor, alternative, e, ctx);
        },
        e);
    if (!r) detail::report_failure(visitor, r.error(), ctx);
  }
  return r;
}

/// Hands every event of `d` to `visitor` in order, each with its context. A failing event does
/// not stop the others; the first failure is returned. No idempotency: see
/// dispatch_idempotent (idempotency.hpp) for that.
template <class Visitor>
result<void> dispatch(Visitor& visitor, const delivery& d,
                      std::string_view delivery_id = {}) noexcept {
  result<void> first;
  for (std::size_t i = 0; i < d.events.size(); ++i) {
    result<void> r = dispatch(visitor, d.events[i], make_context(d, i, delivery_id));
    if (!r && first) first = std::move(r);
  }
  return first;
}

/// A runtime registry of handlers, in the style of octokit/webhooks:
///
///     handlers h;
///     h.on<learner_completion>([](const learner_completion& e, const event_context& ctx) {...})
///      .on<raw_event>([](const raw_event& e) {...})      // unknown event names
///      .on_any([](const event& e, const event_context&) {...})
///      .on_error([](const error& e, const event_context& ctx) {...});
///
/// For each event, the handlers registered with on<E> for its type run in registration order,
/// then the on_any handlers. A handler may return void, bool or result<void> and may throw; the
/// first failure stops the remaining handlers of that event (all of them run again when the event
/// is retried), the on_error handlers are told, and the event is reported as failed.
/// Use it wherever a visitor is accepted (dispatch, endpoint, work_queue).
///
/// Thread safety: register every handler before the first dispatch; after that, concurrent
/// dispatches are safe if the handlers themselves are. Each dispatch calls std::functions, so
/// the compile-time visitor is the faster choice on a hot path.
class handlers {
 public:
  using handler_function = std::function<result<void>(const event&, const event_context&)>;
  using error_function = std::function<void(const error&, const event_context&)>;

  /// Registers `fn` for events of type `Event` (an alternative of `event`, e.g.
  /// learner_completion, batch_enrollment or raw_event). `fn` takes `(const Event&)` or
  /// `(const Event&, const event_context&)`.
  template <class Event, class Fn>
  handlers& on(Fn fn) {
    constexpr std::size_t index = alternative_index<Event>();
    by_type_[index].push_back([fn = std::move(fn)](const event& e, const event_context& ctx) {
      const Event& typed = *std::get_if<Event>(&e);
      return detail::invoke_handler([&]() -> decltype(auto) {
        if constexpr (std::is_invocable_v<const Fn&, const Event&, const event_context&>) {
          return fn(typed, ctx);
        } else {
          static_assert(std::is_invocable_v<const Fn&, const Event&>,
                        "on<Event>(fn): fn must take (const Event&) or "
                        "(const Event&, const event_context&)");
          return fn(typed);
        }
      });
    });
    return *this;
  }

  /// Registers `fn` for every event: `(const event&)` or `(const event&, const event_context&)`.
  template <class Fn>
  handlers& on_any(Fn fn) {
    any_.push_back([fn = std::move(fn)](const event& e, const event_context& ctx) {
      return detail::invoke_handler([&]() -> decltype(auto) {
        if constexpr (std::is_invocable_v<const Fn&, const event&, const event_context&>) {
          return fn(e, ctx);
        } else {
          static_assert(std::is_invocable_v<const Fn&, const event&>,
                        "on_any(fn): fn must take (const event&) or "
                        "(const event&, const event_context&)");
          return fn(e);
        }
      });
    });
    return *this;
  }

  /// Registers `fn(const error&, const event_context&)`, told about every failed handler.
  /// It must not throw (an exception from it is swallowed).
  handlers& on_error(error_function fn) {
    errors_.push_back(std::move(fn));
    return *this;
  }

  /// Whether any handler (typed or on_any) would see an event of type Event.
  template <class Event>
  bool handles() const noexcept {
    return !any_.empty() || !by_type_[alternative_index<Event>()].empty();
  }

  /// Runs the handlers of `e`; see the class comment. Never throws.
  result<void> dispatch_event(const event& e, const event_context& ctx) const noexcept {
    result<void> r = run(by_type_[e.index()], e, ctx);
    if (r) r = run(any_, e, ctx);
    if (!r) {
      for (const error_function& report : errors_) {
        try {
          report(r.error(), ctx);
        } catch (...) {
          // Nowhere left to report to.
        }
      }
    }
    return r;
  }

 private:
  template <class Event, std::size_t I = 0>
  static constexpr std::size_t alternative_index() {
    static_assert(I < std::variant_size_v<event>,
                  "on<Event>: Event must be one of the alternatives of alm::webhooks::event");
    if constexpr (std::is_same_v<std::variant_alternative_t<I, event>, Event>) {
      return I;
    } else {
      return alternative_index<Event, I + 1>();
    }
  }

  static result<void> run(const std::vector<handler_function>& list, const event& e,
                          const event_context& ctx) noexcept {
    for (const handler_function& fn : list) {
      result<void> r = detail::guarded([&]() { return fn(e, ctx); });
      if (!r) return r;
    }
    return {};
  }

  std::array<std::vector<handler_function>, std::variant_size_v<event>> by_type_;
  std::vector<handler_function> any_;
  std::vector<error_function> errors_;
};

}  // namespace alm::webhooks
