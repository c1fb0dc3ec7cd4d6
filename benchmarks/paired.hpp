// Paired measurement of two contenders. On a virtual machine whose neighbours come and go, the
// same code runs at one speed for a few seconds and at two thirds of it the next; separate
// benchmarks, even interleaved, then catch the two contenders in different phases, and the ratio
// of their medians swings by more than the differences being measured. Here both run in
// alternating slices of about a millisecond, each pair of slices gives one ratio, and the median
// of those ratios is reported: two adjacent slices see the same machine. What remains is real:
// a busier machine slows some code more than other code, so the ratio of a loaded phase differs
// from that of a quiet one (docs/performance.md).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

#include <benchmark/benchmark.h>

namespace alm_bench {

namespace paired_detail {

/// Seconds that `calls` calls of `once` take (wall time: a slice is too short to be preempted
/// often, and the median drops the slices that were). False from `once` stops and returns a
/// negative time.
template <class Once>
double time_slice(Once& once, std::size_t calls) {
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < calls; ++i) {
    if (!once()) return -1;
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

inline double median(std::vector<double> values) {
  if (values.empty()) return 0;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

}  // namespace paired_detail

/// Runs `numerator` and `denominator` (each `() -> bool`, false on failure; both already warm)
/// in alternating slices, the first of each pair alternating too, one pair per iteration of
/// `state`. Reports the counters `ratio` (median over pairs of numerator time / denominator
/// time), `numerator_ns` and `denominator_ns` (median nanoseconds per call of each).
template <class Numerator, class Denominator>
void run_paired(benchmark::State& state, Numerator&& numerator, Denominator&& denominator) {
  using paired_detail::time_slice;
  // Calls per slice: enough for a millisecond of the numerator.
  constexpr double slice_seconds = 1e-3;
  std::size_t calls = 1;
  for (;;) {
    const double took = time_slice(numerator, calls);
    if (took < 0) {
      state.SkipWithError("the numerator failed");
      return;
    }
    if (took >= slice_seconds || calls >= (std::size_t{1} << 24)) break;
    calls *= 2;
  }
  std::vector<double> ratios;
  std::vector<double> numerator_times;
  std::vector<double> denominator_times;
  bool numerator_first = true;
  for (auto _ : state) {
    double a = 0;
    double b = 0;
    if (numerator_first) {
      a = time_slice(numerator, calls);
      b = time_slice(denominator, calls);
    } else {
      b = time_slice(denominator, calls);
      a = time_slice(numerator, calls);
    }
    numerator_first = !numerator_first;
    if (a < 0 || b <= 0) {
      state.SkipWithError(a < 0 ? "the numerator failed" : "the denominator failed");
      return;
    }
    ratios.push_back(a / b);
    numerator_times.push_back(a);
    denominator_times.push_back(b);
  }
  const double per_call = 1e9 / static_cast<double>(calls);
  state.counters["ratio"] = paired_detail::median(ratios);
  state.counters["numerator_ns"] = paired_detail::median(numerator_times) * per_call;
  state.counters["denominator_ns"] = paired_detail::median(denominator_times) * per_call;
}

}  // namespace alm_bench
