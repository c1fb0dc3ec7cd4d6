// Counts heap allocations: the benchmark executables that link allocation_counter.cpp replace the
// global operator new, so every allocation in the process (the SDK's, simdjson's, nlohmann's, the
// standard library's) is counted. Benchmarks read the count around their timed loop and report
// allocations per iteration as a counter.
#pragma once

#include <cstddef>
#include <cstdint>

#include <benchmark/benchmark.h>

namespace bench {

/// Allocations (operator new, every form) since the program started.
std::uint64_t allocation_count() noexcept;

/// Reads the count at construction; report() sets the counter `allocs_per_iter` of `state` to
/// the allocations since then divided by the iterations.
class allocation_meter {
 public:
  allocation_meter() noexcept : start_(allocation_count()) {}
  void report(benchmark::State& state) const {
    const auto allocations = static_cast<double>(allocation_count() - start_);
    state.counters["allocs_per_iter"] =
        benchmark::Counter(allocations / static_cast<double>(state.iterations()));
  }

 private:
  std::uint64_t start_;
};

}  // namespace bench
