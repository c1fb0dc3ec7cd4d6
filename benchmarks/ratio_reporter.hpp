// A console reporter for Google Benchmark that also prints, after the usual table, how each
// benchmark compares with another one of the same family and argument: "sdk / floor = 1.04x".
// Benchmarks are named "<family>/<variant>/<argument>" (e.g. "verify/sdk/360"). With
// --benchmark_repetitions the median is compared; otherwise the single run. CPU time, not wall
// time: single-threaded code on a shared machine waits for the CPU, which wall time would count.
// It also counts the benchmarks that failed (SkipWithError: a contender disagreed with the others
// or a request was refused), so that a broken benchmark fails its binary instead of vanishing from
// the table. (With --benchmark_report_aggregates_only only a benchmark whose every repetition
// failed is seen; the benchmarks' checks are deterministic, so one failed repetition means all.)
#pragma once

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

namespace alm_bench {

namespace detail {
// Google Benchmark 1.7 marks a failed run with `error_occurred`; 1.8 replaced it with `skipped`.
template <class Run>
auto run_failed(const Run& run, int) -> decltype(static_cast<bool>(run.error_occurred)) {
  return run.error_occurred;
}
template <class Run>
auto run_failed(const Run& run, long) -> decltype(static_cast<int>(run.skipped) != 0) {
  return static_cast<int>(run.skipped) != 0;
}
}  // namespace detail

/// "numerator / denominator" within one family, e.g. {"verify", "sdk", "floor"}.
struct ratio {
  std::string family;
  std::string numerator;
  std::string denominator;
  /// Printed with the ratio, e.g. "target <= 1.15"; empty for none.
  std::string note;
};

class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  explicit ratio_reporter(std::vector<ratio> ratios) : ratios_(std::move(ratios)) {}

  void ReportRuns(const std::vector<Run>& reports) override {
    ConsoleReporter::ReportRuns(reports);
    for (const Run& run : reports) {
      if (detail::run_failed(run, 0)) {
        const std::string name = run.benchmark_name();
        if (std::find(failed_.begin(), failed_.end(), name) == failed_.end())
          failed_.push_back(name);
        continue;
      }
      const bool aggregate = run.run_type == Run::RT_Aggregate;
      if (aggregate && run.aggregate_name != "median") continue;
      std::string name = run.benchmark_name();
      if (aggregate) name.resize(name.size() - std::string("_median").size());
      // A median, once seen, wins over the individual repetitions of the same benchmark.
      if (!aggregate && medians_.count(name) != 0) continue;
      if (aggregate) medians_[name] = true;
      times_[name] = run.GetAdjustedCPUTime();
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nRatios of CPU time (median when repeated):\n");
    for (const ratio& r : ratios_) {
      const std::string prefix = r.family + "/" + r.numerator + "/";
      std::vector<std::string> arguments;
      for (const auto& entry : times_) {
        if (entry.first.compare(0, prefix.size(), prefix) == 0) {
          arguments.push_back(entry.first.substr(prefix.size()));
        }
      }
      // Numeric arguments (body sizes) in increasing order, whatever order the runs came in.
      std::sort(arguments.begin(), arguments.end(), [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
      });
      for (const std::string& argument : arguments) {
        const auto other = times_.find(r.family + "/" + r.denominator + "/" + argument);
        if (other == times_.end() || other->second <= 0) continue;
        std::printf("  %-8s %-6s %s / %s = %.2fx%s%s\n", r.family.c_str(), argument.c_str(),
                    r.numerator.c_str(), r.denominator.c_str(),
                    times_[prefix + argument] / other->second, r.note.empty() ? "" : "   ",
                    r.note.c_str());
      }
    }
    for (const std::string& name : failed_)
      std::printf("FAILED: %s (its error is in the table above)\n", name.c_str());
    std::fflush(stdout);
  }

  /// The benchmarks that reported an error, by name.
  const std::vector<std::string>& failed() const noexcept { return failed_; }

 private:
  std::vector<ratio> ratios_;
  std::map<std::string, double> times_;
  std::map<std::string, bool> medians_;
  std::vector<std::string> failed_;
};

}  // namespace alm_bench
