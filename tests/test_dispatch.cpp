#include "alm/webhooks/dispatch.hpp"

#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "catch.hpp"
#include "receiving_support.hpp"

using namespace alm::webhooks;
using namespace receiving_test;

namespace {

owned_delivery mixed_delivery() {
  owned_delivery d;
  d.events.emplace_back(learner_event<learner_completion>("e0", "7", "course:1_1", 1000));
  d.events.emplace_back(enrollment("e1", "7", "course:1_1"));
  d.events.emplace_back(unknown_event("e2", "SOMETHING_NEW"));
  d.events.emplace_back(progress("e3", "7", "course:1_1", 50));
  return d;
}

// Typed handlers for two types (one with context), a catch-all for the rest.
struct recording_visitor {
  std::vector<std::string> calls;
  std::vector<event_context> contexts;

  void on(const learner_completion& e, const event_context& ctx) {
    calls.push_back("completion:" + std::string(e.event_id));
    contexts.push_back(ctx);
  }
  bool on(const batch_enrollment& e) {
    calls.push_back("enrollment:" + std::string(e.event_id));
    return true;
  }
  void on_unhandled(const event& e, const event_context& ctx) {
    calls.push_back("other:" + std::string(event_id_of(e)));
    contexts.push_back(ctx);
  }
};

// Only one handler and no catch-all: the other events are ignored.
struct narrow_visitor {
  int completions = 0;
  void on(const batch_completion&) { ++completions; }
};

// A template overload is a catch-all too; the exact overload wins.
struct template_visitor {
  int enrollments = 0;
  int others = 0;
  void on(const batch_enrollment&) { ++enrollments; }
  template <class E>
  void on(const E&) {
    ++others;
  }
};

struct failing_visitor {
  std::string mode;
  std::vector<std::string> errors;
  std::vector<std::size_t> error_indexes;

  result<void> on(const batch_enrollment&) {
    if (mode == "result") return result<void>(error_code::invalid_value, "database is down");
    if (mode == "std") throw std::runtime_error("boom");
    if (mode == "int") throw 42;
    return {};
  }
  bool on(const batch_progress&) { return mode != "false"; }
  void on_error(const error& e, const event_context& ctx) {
    errors.push_back(e.message);
    error_indexes.push_back(ctx.index);
  }
};

}  // namespace

static_assert(detail::handles_v<recording_visitor, batch_ci_stats>);
static_assert(detail::handles_v<narrow_visitor, batch_completion>);
static_assert(!detail::handles_v<narrow_visitor, batch_enrollment>);
static_assert(detail::is_event_sink<handlers>::value);
static_assert(!detail::is_event_sink<recording_visitor>::value);

TEST_CASE("the compile-time visitor calls the matching overload for each event", "[dispatch]") {
  const owned_delivery d = mixed_delivery();
  recording_visitor v;
  REQUIRE(dispatch(v, d.view(), "delivery-1"));
  REQUIRE(v.calls ==
          std::vector<std::string>{"completion:e0", "enrollment:e1", "other:e2", "other:e3"});
  REQUIRE(v.contexts.size() == 3);
  CHECK(v.contexts[0].index == 0);
  CHECK(v.contexts[0].count == 4);
  CHECK(v.contexts[0].delivery_id == "delivery-1");
  CHECK(v.contexts[0].account_id == "1010");
  CHECK(v.contexts[0].format == body_format::batch);
  CHECK(v.contexts[1].index == 2);
  CHECK(v.contexts[2].index == 3);
}

TEST_CASE("events without a handler are ignored and count as handled", "[dispatch]") {
  const owned_delivery d = mixed_delivery();
  narrow_visitor v;
  CHECK(dispatch(v, d.view()));
  CHECK(v.completions == 0);

  owned_delivery one;
  one.events.emplace_back(completion("c1", "1", "course:1_1"));
  CHECK(dispatch(v, one.view()));
  CHECK(v.completions == 1);
}

TEST_CASE("a template overload catches every other event", "[dispatch]") {
  const owned_delivery d = mixed_delivery();
  template_visitor v;
  CHECK(dispatch(v, d.view()));
  CHECK(v.enrollments == 1);
  CHECK(v.others == 3);
}

TEST_CASE("overloaded lambdas and std::visit work on the same events", "[dispatch]") {
  const owned_delivery d = mixed_delivery();
  int typed = 0;
  int rest = 0;
  std::vector<std::size_t> indexes;
  auto visitor = overloaded{
      [&](const batch_progress& e, const event_context& ctx) {
        ++typed;
        indexes.push_back(ctx.index);
        CHECK(e.data.progress_percent == 50);
      },
      [&](const auto&) { ++rest; },
  };
  CHECK(dispatch(visitor, d.view()));
  CHECK(typed == 1);
  CHECK(rest == 3);
  CHECK(indexes == std::vector<std::size_t>{3});

  // The event is a std::variant: std::visit needs no SDK at all.
  int names = 0;
  for (const event& e : d.events) {
    std::visit([&](const auto& x) { names += event_name_of(event(x)).empty() ? 0 : 1; }, e);
  }
  CHECK(names == 4);
}

TEST_CASE("a handler fails by returning false or an error, or by throwing", "[dispatch]") {
  owned_delivery d;
  d.events.emplace_back(progress("p0", "1", "course:1_1", 10));
  d.events.emplace_back(enrollment("e1", "1", "course:1_1"));

  struct expectation {
    std::string mode;
    std::string message;
  };
  for (const expectation& x : {expectation{"result", "database is down"},
                               expectation{"false", "the handler reported failure"},
                               expectation{"std", "the handler threw: boom"},
                               expectation{"int", "the handler threw an exception"}}) {
    INFO(x.mode);
    failing_visitor v{x.mode, {}, {}};
    const result<void> r = dispatch(v, d.view());
    REQUIRE_FALSE(r);
    CHECK(r.code() == error_code::handler_failed);
    CHECK(http_status(r.code()) == 500);
    CHECK(r.error().message == x.message);
    // on_error hears of the failure with the failing event's context.
    if (x.mode == "false") {
      CHECK(v.error_indexes == std::vector<std::size_t>{0});
    } else {
      CHECK(v.error_indexes == std::vector<std::size_t>{1});
    }
  }
}

TEST_CASE("dispatching a delivery runs every event and returns the first failure", "[dispatch]") {
  owned_delivery d;
  d.events.emplace_back(enrollment("e0", "1", "course:1_1"));
  d.events.emplace_back(progress("p1", "1", "course:1_1", 10));
  d.events.emplace_back(enrollment("e2", "1", "course:1_1"));
  int runs = 0;
  auto visitor = overloaded{[&](const batch_enrollment& e) -> result<void> {
                              ++runs;
                              if (e.event_id == "e0") {
                                return result<void>(error_code::handler_failed, "first");
                              }
                              return result<void>(error_code::handler_failed, "second");
                            },
                            [&](const batch_progress&) { ++runs; }};
  const result<void> r = dispatch(visitor, d.view());
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "first");
  CHECK(runs == 3);
}

TEST_CASE("an exception text is capped in the error message", "[dispatch]") {
  owned_delivery d;
  d.events.emplace_back(enrollment("e0", "1", "course:1_1"));
  const std::string long_text(10000, 'x');
  auto visitor = [&](const batch_enrollment&) { throw std::runtime_error(long_text); };
  const result<void> r = dispatch(visitor, d.view());
  REQUIRE_FALSE(r);
  CHECK(r.error().message.size() < 300);
}

TEST_CASE("the handlers registry runs typed handlers, then on_any", "[dispatch][handlers]") {
  const owned_delivery d = mixed_delivery();
  std::vector<std::string> calls;
  handlers h;
  h.on<learner_completion>([&](const learner_completion& e, const event_context& ctx) {
     calls.push_back("completion:" + std::string(e.event_id) + "@" + std::to_string(ctx.index));
   })
      .on<learner_completion>([&](const learner_completion&) {
        calls.push_back("completion-second");
        return true;
      })
      .on<raw_event>([&](const raw_event& e) {
        calls.push_back("raw:" + std::string(e.event_name));
        return result<void>();
      })
      .on_any([&](const event& e, const event_context&) {
        calls.push_back("any:" + std::string(event_id_of(e)));
      });
  CHECK(h.handles<learner_completion>());
  CHECK(h.handles<batch_ci_stats>());  // on_any sees everything

  REQUIRE(dispatch(h, d.view()));
  CHECK(calls == std::vector<std::string>{"completion:e0@0", "completion-second", "any:e0",
                                          "any:e1", "raw:SOMETHING_NEW", "any:e2", "any:e3"});
}

TEST_CASE("the handlers registry reports a failure and stops that event's handlers",
          "[dispatch][handlers]") {
  owned_delivery d;
  d.events.emplace_back(enrollment("e0", "1", "course:1_1"));
  d.events.emplace_back(enrollment("e1", "1", "course:1_1"));
  std::vector<std::string> calls;
  std::vector<std::string> errors;
  handlers h;
  h.on<batch_enrollment>([&](const batch_enrollment& e) {
     calls.push_back("first:" + std::string(e.event_id));
     if (e.event_id == "e0") throw std::logic_error("broken");
   })
      .on<batch_enrollment>([&](const batch_enrollment& e) {
        calls.push_back("second:" + std::string(e.event_id));
        return e.event_id != "e1";
      })
      .on_any([&](const event& e) { calls.push_back("any:" + std::string(event_id_of(e))); })
      .on_error([&](const error& e, const event_context& ctx) {
        errors.push_back(std::to_string(ctx.index) + ":" + e.message);
        throw std::runtime_error("an error hook that throws is ignored");
      });
  CHECK(h.handles<batch_progress>());  // on_any is registered

  const result<void> r = dispatch(h, d.view());
  REQUIRE_FALSE(r);
  CHECK(r.code() == error_code::handler_failed);
  CHECK(calls == std::vector<std::string>{"first:e0", "first:e1", "second:e1"});
  CHECK(errors ==
        std::vector<std::string>{"0:the handler threw: broken", "1:the handler reported failure"});
}

TEST_CASE("an empty registry handles nothing and succeeds", "[dispatch][handlers]") {
  const owned_delivery d = mixed_delivery();
  handlers h;
  CHECK_FALSE(h.handles<learner_completion>());
  CHECK(dispatch(h, d.view()));
}

TEST_CASE("an AsyncAPI delivery gives its format and account in the context", "[dispatch]") {
  owned_delivery d;
  d.format = body_format::asyncapi;
  d.account = "acct-9";
  d.events.emplace_back(learner_event<learner_enrollment>("a1", "5", "course:1_1", 5));
  event_context seen;
  auto visitor = [&](const learner_enrollment&, const event_context& ctx) { seen = ctx; };
  REQUIRE(dispatch(visitor, d.view()));
  CHECK(seen.format == body_format::asyncapi);
  CHECK(seen.account_id == "acct-9");
  CHECK(seen.delivery_id.empty());
  CHECK(seen.count == 1);
}
