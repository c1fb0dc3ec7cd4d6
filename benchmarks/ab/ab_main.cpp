// bench_ab: two revisions of the SDK end to end in one process (scripts/ab.sh builds it). On a
// shared virtual machine the same code runs at one speed for a few seconds and at two thirds of
// it the next, so two binaries run one after the other, or even interleaved, cannot resolve a
// change of a few percent. Here side a's SDK, side b's SDK and the floors run in rotating slices
// of about a millisecond each; every round gives b/a and each SDK's ratio to the floors from
// adjacent slices, and the medians over the rounds are printed. The sides' code sits at
// different addresses, which alone moves a ratio by a few percent (scripts/ab.sh measures
// both orders to cancel it).
//
//   bench_ab [--body-size 360] [--rounds 2000]

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "ab/ab_contender.hpp"

namespace {

/// Nanoseconds per call over `calls` calls, or a negative value when a call failed.
double time_slice(const ab_contender& c, std::size_t calls) {
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < calls; ++i) {
    if (!c.call(c.self)) return -1;
  }
  const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
  return took.count() / static_cast<double>(calls);
}

double median(std::vector<double> values) {
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

int usage() {
  std::fprintf(stderr, "usage: bench_ab [--body-size BYTES] [--rounds N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t body_size = 360;
  std::size_t rounds = 2000;
  for (int i = 1; i < argc; ++i) {
    if (i + 1 < argc && std::strcmp(argv[i], "--body-size") == 0) {
      body_size = std::strtoul(argv[++i], nullptr, 10);
    } else if (i + 1 < argc && std::strcmp(argv[i], "--rounds") == 0) {
      rounds = std::strtoul(argv[++i], nullptr, 10);
    } else {
      return usage();
    }
  }
  if (body_size == 0 || rounds == 0) return usage();

  const ab_contender contenders[3] = {ab_sdk_a(body_size), ab_sdk_b(body_size),
                                      ab_floors(body_size)};
  for (const ab_contender& c : contenders) {
    if (c.call == nullptr) {
      std::fprintf(stderr, "bench_ab: a contender failed its warm-up pass\n");
      return 1;
    }
  }
  // Calls per slice: enough for a millisecond of side a's SDK.
  std::size_t calls = 16;
  while (calls < (std::size_t{1} << 24) &&
         time_slice(contenders[0], calls) * static_cast<double>(calls) < 1e6) {
    calls *= 2;
  }

  std::vector<double> times[3];
  std::vector<double> b_over_a;
  std::vector<double> a_over_floors;
  std::vector<double> b_over_floors;
  for (std::size_t round = 0; round < rounds; ++round) {
    double took[3];
    for (std::size_t k = 0; k < 3; ++k) {
      const std::size_t which = (k + round) % 3;  // each contender leads in turn
      took[which] = time_slice(contenders[which], calls);
      if (took[which] < 0) {
        std::fprintf(stderr, "bench_ab: a request failed\n");
        return 1;
      }
    }
    for (std::size_t k = 0; k < 3; ++k)
      times[k].push_back(took[k]);
    b_over_a.push_back(took[1] / took[0]);
    a_over_floors.push_back(took[0] / took[2]);
    b_over_floors.push_back(took[1] / took[2]);
  }
  for (std::size_t k = 0; k < 2; ++k) {
    if (!contenders[k].dispatched_all(contenders[k].self)) {
      std::fprintf(stderr, "bench_ab: side %c skipped events as duplicates; its time is void\n",
                   k == 0 ? 'a' : 'b');
      return 1;
    }
  }
  std::printf(
      "body %zu B, %zu rounds of %zu calls: b/a %.3f | a/floors %.3f, b/floors %.3f | "
      "a %.0f ns, b %.0f ns, floors %.0f ns\n",
      body_size, rounds, calls, median(b_over_a), median(a_over_floors), median(b_over_floors),
      median(times[0]), median(times[1]), median(times[2]));
  return 0;
}
