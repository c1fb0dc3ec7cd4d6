// What every benchmark binary shares around its benchmarks: registration per body size and the
// main() that runs them and reports the ratios.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "bodies.hpp"
#include "ratio_reporter.hpp"

namespace alm_bench {

using benchmark_function = void (*)(benchmark::State&);

/// Registers each (name, function) once per size of body_sizes, the size as its argument.
template <std::size_t N>
void register_per_body_size(const std::pair<const char*, benchmark_function> (&contenders)[N]) {
  for (const auto& [name, function] : contenders) {
    benchmark::internal::Benchmark* b = benchmark::RegisterBenchmark(name, function);
    for (std::size_t size : body_sizes)
      b->Arg(static_cast<std::int64_t>(size));
  }
}

/// The main() of every benchmark binary: Google Benchmark's flags, `register_all()`, then the
/// run, reported with `ratios` after the usual table. Returns the process's exit status: 1 when
/// a benchmark failed, so that scripts/bench.sh (and CI's brief run) stops there.
inline int run_benchmarks(int argc, char** argv, void (*register_all)(),
                          std::vector<ratio> ratios) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  register_all();
  ratio_reporter reporter(std::move(ratios));
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return reporter.failed().empty() ? 0 : 1;
}

}  // namespace alm_bench
