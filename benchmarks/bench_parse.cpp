// Parsing: the SDK's typed parse (one parser reused, the body read in place) against a
// hand-written simdjson On-Demand loop extracting the same fields into plain structs (the floor,
// floor_parser.hpp) and against nlohmann::json plus extraction into owning structs (the common
// choice, nlohmann_parser.hpp), on batch envelopes of 1, 10 and 100 events (360 B, 3.4 KB,
// 34 KB) and on the maximal AsyncAPI event of each of the 13 types. Before timing, each body's
// extraction is summarised for all three and compared, so that none does less work.
// Also parse + dispatch to an empty visitor, whose steady state must not allocate, and the SDK
// and the floor paired in alternating slices (paired.hpp), which gives the judged ratio.
//
//   build-bench/benchmarks/bench_parse --benchmark_repetitions=10
//       --benchmark_report_aggregates_only=true

#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <simdjson.h>

#include "allocation_counter.hpp"
#include "alm/webhooks/dispatch.hpp"
#include "alm/webhooks/parser.hpp"
#include "asyncapi_bodies.hpp"
#include "bench_main.hpp"
#include "bodies.hpp"
#include "extraction_summary.hpp"
#include "floor_parser.hpp"
#include "nlohmann_parser.hpp"
#include "paired.hpp"

namespace {

namespace hooks = alm::webhooks;

enum class format { batch, asyncapi };

/// One benchmark body, padded for simdjson (the SDK and the floor parse it in place).
struct body {
  std::string argument;  // the benchmark name's last part: the size, or the event type
  format kind;
  simdjson::padded_string text;
};

const std::vector<body>& bodies() {
  static const std::vector<body> all = [] {
    std::vector<body> out;
    for (std::size_t size : alm_bench::body_sizes) {
      out.push_back({std::to_string(size), format::batch,
                     simdjson::padded_string(alm_bench::batch_body(size))});
    }
    for (std::string_view name : alm_bench::asyncapi_events) {
      out.push_back({std::string(name), format::asyncapi,
                     simdjson::padded_string(alm_bench::asyncapi_body(name))});
    }
    return out;
  }();
  return all;
}

/// The visitor of the dispatch benchmark: one catch-all that does nothing with the event.
struct empty_visitor {
  template <class Event>
  void on(const Event& e) noexcept {
    benchmark::DoNotOptimize(&e);
  }
};

/// Runs every contender once on `b` and compares what they extracted. Empty when they agree.
std::string check_equivalence(const body& b) {
  hooks::parser sdk;
  const auto parsed = sdk.parse(simdjson::padded_string_view(b.text));
  if (!parsed) return "the SDK failed: " + parsed.error().message;
  const bench::extraction_summary expected = bench::summarize(*parsed);
  bench::floor_parser floor;
  bench::extraction_summary from_floor;
  bench::extraction_summary from_nlohmann;
  if (b.kind == format::batch) {
    bench::floor_parser::view_batch out;
    if (floor.parse_batch(simdjson::padded_string_view(b.text), out)) return "the floor failed";
    from_floor = bench::summarize(out);
    from_nlohmann = bench::summarize(bench::nlohmann_path::parse_batch(b.text));
  } else {
    bench::floor_parser::view_asyncapi out;
    if (floor.parse_asyncapi(simdjson::padded_string_view(b.text), out)) return "the floor failed";
    from_floor = bench::summarize(out);
    from_nlohmann = bench::summarize(bench::nlohmann_path::parse_asyncapi(b.text));
  }
  if (from_floor != expected) return "the floor extracted something else than the SDK";
  if (from_nlohmann != expected) return "the nlohmann path extracted something else than the SDK";
  return {};
}

/// Before timing: the equivalence check and a warm-up call of each `once` (one parse; false on
/// failure), which sizes the buffers. False, with the benchmark marked failed, when either fails.
template <class... Once>
bool prepare(benchmark::State& state, const body& b, Once&... once) {
  if (const std::string fault = check_equivalence(b); !fault.empty()) {
    state.SkipWithError(fault.c_str());
    return false;
  }
  if (!(once() && ...)) {
    state.SkipWithError("the first parse failed");
    return false;
  }
  return true;
}

/// The frame of every benchmark here but the pairs: prepare(), then the allocation counter and
/// the byte rate around the timed calls of `once`.
template <class Once>
void run(benchmark::State& state, const body& b, Once&& once) {
  if (!prepare(state, b, once)) return;
  const bench::allocation_meter meter;
  for (auto _ : state) {
    if (!once()) {
      state.SkipWithError("a parse failed");
      break;
    }
  }
  meter.report(state);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * b.text.size()));
}

/// The SDK's typed parse of one body, as a `() -> bool` call (false on failure).
class sdk_parse {
 public:
  explicit sdk_parse(const body& b) : body_(b) {}
  bool operator()() {
    const auto d = parser_.parse(simdjson::padded_string_view(body_.text));
    benchmark::DoNotOptimize(d.has_value());
    return d.has_value();
  }

 private:
  const body& body_;
  hooks::parser parser_;
};

/// The floor's parse of one body, as a `() -> bool` call (false on failure).
class floor_parse {
 public:
  explicit floor_parse(const body& b) : body_(b) {}
  bool operator()() {
    const simdjson::padded_string_view text(body_.text);
    const auto e = body_.kind == format::batch ? parser_.parse_batch(text, batch_)
                                               : parser_.parse_asyncapi(text, event_);
    benchmark::DoNotOptimize(batch_);
    benchmark::DoNotOptimize(event_);
    return e == simdjson::SUCCESS;
  }

 private:
  const body& body_;
  bench::floor_parser parser_;
  bench::floor_parser::view_batch batch_;
  bench::floor_parser::view_asyncapi event_;
};

void bench_sdk(benchmark::State& state, const body& b) {
  run(state, b, sdk_parse(b));
}

void bench_sdk_dispatch(benchmark::State& state, const body& b) {
  hooks::parser p;
  empty_visitor visitor;
  run(state, b, [&] {
    const auto d = p.parse(simdjson::padded_string_view(b.text));
    return d && hooks::dispatch(visitor, *d).has_value();
  });
}

void bench_floor(benchmark::State& state, const body& b) {
  run(state, b, floor_parse(b));
}

/// Two contenders in alternating slices (paired.hpp): Numerator's time over Denominator's, the
/// judged ratios.
template <class Numerator, class Denominator>
void bench_pair(benchmark::State& state, const body& b) {
  Numerator numerator(b);
  Denominator denominator(b);
  if (prepare(state, b, numerator, denominator)) {
    alm_bench::run_paired(state, numerator, denominator);
  }
}

/// nlohmann::json parse and extraction into owning structs, as a `() -> bool` call.
class nlohmann_parse {
 public:
  explicit nlohmann_parse(const body& b) : body_(b) {}
  bool operator()() const {
    try {
      if (body_.kind == format::batch) {
        auto out = bench::nlohmann_path::parse_batch(body_.text);
        benchmark::DoNotOptimize(out);
      } else {
        auto out = bench::nlohmann_path::parse_asyncapi(body_.text);
        benchmark::DoNotOptimize(out);
      }
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

 private:
  const body& body_;
};

void bench_nlohmann(benchmark::State& state, const body& b) {
  run(state, b, nlohmann_parse(b));
}

void register_all() {
  const std::pair<const char*, void (*)(benchmark::State&, const body&)> contenders[] = {
      {"parse/sdk/", bench_sdk},
      {"parse/floor/", bench_floor},
      {"parse/nlohmann/", bench_nlohmann},
      {"parse_dispatch/sdk/", bench_sdk_dispatch},
      {"parse/sdk_vs_floor/", bench_pair<sdk_parse, floor_parse>},
      {"parse/nlohmann_vs_sdk/", bench_pair<nlohmann_parse, sdk_parse>},
  };
  for (const body& b : bodies()) {
    for (const auto& [prefix, function] : contenders) {
      benchmark::RegisterBenchmark((prefix + b.argument).c_str(), function, std::cref(b));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  return alm_bench::run_benchmarks(argc, argv, register_all,
                                   {
                                       {"parse", "sdk", "floor", "target <= 1.25"},
                                       {"parse", "nlohmann", "sdk", "target >= 10"},
                                   });
}
