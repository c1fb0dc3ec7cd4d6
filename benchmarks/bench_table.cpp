// Reads Google Benchmark JSON outputs (--benchmark_out, with or without repetitions; the HTTP
// script writes the same shape) and prints one Markdown table per benchmark family: the median
// CPU time of each contender per body (requests per second for HTTP), the ratios the project
// targets with a verdict each, and the heap allocations per request where they were counted.
//
//   bench_table [--check] results1.json [results2.json ...]
//
// Benchmark names are "<family>/<contender>/<body>". A repeated run contributes its median; a
// single run (the smoke mode) its only figure. A contender named "<a>_vs_<b>" is a pair
// (paired.hpp): its `ratio` counter, not a time, and it is the ratio judged for a / b. With --check
// the exit status is 1 when a target is missed; without it the verdicts are informative only (no
// timing assertion).

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using json = nlohmann::json;

/// One benchmark's figure: CPU nanoseconds per iteration (or requests per second for HTTP) and
/// allocations per iteration when counted.
struct figure {
  double value{0};
  std::optional<double> allocations;
  bool median{false};
};

/// "numerator / denominator" compared with a threshold, on one body or on all of them.
struct target {
  std::string family;
  std::string numerator;
  std::string denominator;
  bool at_most{true};  // the ratio must be <= threshold (else >=)
  double threshold{0};
  std::string only_body;  // empty: every body
  // A contender doing only the work every receiver must do (the floors). Where it misses the
  // threshold against the same denominator too, no receiver can meet the target on that body:
  // the target is then held against the reference instead (numerator / reference, the same
  // threshold), and shown as out of reach when that holds.
  std::string reference;
};

/// The project's targets (issue "Performance") and the verifier's (issue "Authentication").
const std::vector<target> targets = {
    {"verify", "sdk", "floor", true, 1.15, "", ""},
    {"verify", "hmac_oneshot", "sdk", false, 4, "360", ""},
    {"parse", "sdk", "floor", true, 1.25, "", ""},
    {"parse", "nlohmann", "sdk", false, 10, "", ""},
    {"e2e", "sdk", "floors", true, 1.3, "360", ""},
    {"e2e", "nlohmann_hmac", "sdk", false, 6, "360", ""},
    // HTTP, every body. On a large body the hash and the parse, even at their floors, can cost
    // more than a fifth of the bare server's request: the floors server then misses too.
    {"http", "sdk", "bare", false, 0.8, "", "floors"},
};

/// Families whose figure is a throughput (higher is better) rather than a time.
bool is_throughput(std::string_view family) {
  return family == "http";
}

double to_nanoseconds(double value, const std::string& unit) {
  if (unit == "us") return value * 1e3;
  if (unit == "ms") return value * 1e6;
  if (unit == "s") return value * 1e9;
  return value;
}

struct name_parts {
  std::string family;
  std::string contender;
  std::string body;
};

std::optional<name_parts> split(const std::string& name) {
  const std::size_t first = name.find('/');
  if (first == std::string::npos) return std::nullopt;
  const std::size_t second = name.find('/', first + 1);
  if (second == std::string::npos) return std::nullopt;
  return name_parts{name.substr(0, first), name.substr(first + 1, second - first - 1),
                    name.substr(second + 1)};
}

/// The contenders' column order: the SDK, then its floor, then the rest as first seen.
int contender_rank(const std::string& name) {
  if (name == "sdk") return 0;
  if (name == "floor" || name == "floors" || name == "bare") return 1;
  return 2;
}

bool is_number(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Everything read, in first-seen order per family (sorted for printing).
struct results {
  std::vector<std::string> families;
  std::map<std::string, std::vector<std::string>> contenders;
  std::map<std::string, std::vector<std::string>> bodies;
  std::map<std::string, figure> figures;  // by full run name
  // Paired ratios ("<family>/<numerator>_vs_<denominator>/<body>", see paired.hpp), by run name.
  std::map<std::string, double> pairs;
  // Registration order (Google Benchmark's family_index), which random interleaving hides.
  std::map<std::string, long> body_order;

  /// Bodies in order: batch sizes ascending, then the named (AsyncAPI) bodies as registered.
  bool body_before(const std::string& a, const std::string& b) const {
    if (is_number(a) != is_number(b)) return is_number(a);
    if (is_number(a)) return std::stoull(a) < std::stoull(b);
    return body_order.at(a) < body_order.at(b);
  }

  void add(const name_parts& parts, const std::string& run_name, const figure& f, long order) {
    const auto known = body_order.find(parts.body);
    if (known == body_order.end() || order < known->second) body_order[parts.body] = order;
    auto note = [](std::vector<std::string>& list, const std::string& item) {
      if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
    };
    note(families, parts.family);
    note(contenders[parts.family], parts.contender);
    note(bodies[parts.family], parts.body);
    auto existing = figures.find(run_name);
    if (existing != figures.end() && existing->second.median && !f.median) return;
    figures[run_name] = f;
  }

  const figure* find(const std::string& family, const std::string& contender,
                     const std::string& body) const {
    const auto it = figures.find(family + "/" + contender + "/" + body);
    return it == figures.end() ? nullptr : &it->second;
  }

  /// The paired ratio of `t` on `body`, when the run measured one.
  std::optional<double> pair(const target& t, const std::string& body) const {
    const auto it = pairs.find(t.family + "/" + t.numerator + "_vs_" + t.denominator + "/" + body);
    if (it == pairs.end()) return std::nullopt;
    return it->second;
  }
};

bool read_file(const char* path, results& out) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "bench_table: cannot read %s\n", path);
    return false;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Google Benchmark writes non-finite aggregates (the spread of an all-zero counter) as bare
  // NaN or inf, which JSON does not have: they become null.
  for (const std::string_view bad : {"-nan", "nan", "NaN", "-inf", "inf"}) {
    const std::string token = std::string(": ") + std::string(bad);
    for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at)) {
      const std::size_t end = at + token.size();
      if (end < text.size() && text[end] != ',' && text[end] != '\n' && text[end] != '}') {
        at = end;
        continue;
      }
      text.replace(at, token.size(), ": null");
    }
  }
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    std::fprintf(stderr, "bench_table: %s: %s\n", path, e.what());
    return false;
  }
  for (const json& b : doc.value("benchmarks", json::array())) {
    const std::string run_type = b.value("run_type", "iteration");
    const bool median = run_type == "aggregate";
    if (median && b.value("aggregate_name", "") != "median") continue;
    if (b.contains("error_occurred") && b.value("error_occurred", false)) continue;
    const std::string run_name = b.value("run_name", b.value("name", ""));
    const std::optional<name_parts> parts = split(run_name);
    if (!parts) continue;
    if (parts->contender.find("_vs_") != std::string::npos) {
      // A pair: its ratio counter, the median over repetitions when repeated.
      if (b.contains("ratio") && b["ratio"].is_number()) {
        if (median || out.pairs.count(run_name) == 0)
          out.pairs[run_name] = b["ratio"].get<double>();
      }
      continue;
    }
    figure f;
    f.median = median;
    const char* const metric = is_throughput(parts->family) ? "items_per_second" : "cpu_time";
    if (!b.contains(metric) || !b[metric].is_number()) continue;
    f.value = b[metric].get<double>();
    if (!is_throughput(parts->family))
      f.value = to_nanoseconds(f.value, b.value("time_unit", "ns"));
    if (b.contains("allocs_per_iter") && b["allocs_per_iter"].is_number()) {
      f.allocations = b["allocs_per_iter"].get<double>();
    }
    out.add(*parts, run_name, f, b.value("family_index", 0L));
  }
  return true;
}

std::string body_label(const std::string& body) {
  const bool number = !body.empty() && std::all_of(body.begin(), body.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
  return number ? "batch " + body + " B" : body;
}

std::string format_value(double value, bool throughput) {
  char text[32];
  if (throughput) {
    std::snprintf(text, sizeof text, "%.0f req/s", value);
  } else if (value >= 100000) {
    std::snprintf(text, sizeof text, "%.1f us", value / 1000);
  } else {
    std::snprintf(text, sizeof text, "%.0f ns", value);
  }
  return text;
}

bool applies(const target& t, const std::string& body) {
  return t.only_body.empty() || t.only_body == body;
}

bool meets(const target& t, double ratio) {
  return t.at_most ? ratio <= t.threshold : ratio >= t.threshold;
}

/// The reference contender's ratio against the target's denominator on `body`, when measured.
std::optional<double> reference_ratio(const results& r, const target& t, const std::string& body) {
  if (t.reference.empty()) return std::nullopt;
  const figure* a = r.find(t.family, t.reference, body);
  const figure* b = r.find(t.family, t.denominator, body);
  if (!a || !b || b->value <= 0) return std::nullopt;
  return a->value / b->value;
}

/// Targets missed, and targets out of any receiver's reach but met against the reference (see
/// target::reference).
struct verdicts {
  int missed{0};
  int out_of_reach{0};
};

/// Prints one family's table with its verdicts.
verdicts print_family(const results& r, const std::string& family) {
  const bool throughput = is_throughput(family);
  std::vector<std::string> contenders = r.contenders.at(family);
  std::stable_sort(contenders.begin(), contenders.end(),
                   [](const std::string& a, const std::string& b) {
                     return contender_rank(a) < contender_rank(b);
                   });
  std::vector<std::string> bodies = r.bodies.at(family);
  std::stable_sort(bodies.begin(), bodies.end(), [&r](const std::string& a, const std::string& b) {
    return r.body_before(a, b);
  });
  std::vector<const target*> ratios;
  for (const target& t : targets) {
    if (t.family == family) ratios.push_back(&t);
  }
  bool any_allocations = false;
  for (const auto& [name, f] : r.figures) {
    if (name.compare(0, family.size() + 1, family + "/") == 0 && f.allocations) {
      any_allocations = true;
    }
  }

  std::printf("\n### %s (%s)\n\n| body |", family.c_str(),
              throughput ? "requests per second, median" : "median CPU time per request");
  for (const std::string& c : contenders)
    std::printf(" %s |", c.c_str());
  for (const target* t : ratios) {
    std::printf(" %s / %s (%s %g%s) |", t->numerator.c_str(), t->denominator.c_str(),
                t->at_most ? "<=" : ">=", t->threshold,
                t->only_body.empty() ? "" : (" at " + body_label(t->only_body)).c_str());
  }
  if (any_allocations) std::printf(" allocations per request |");
  std::printf("\n|---|");
  for (std::size_t i = 0; i < contenders.size() + ratios.size() + (any_allocations ? 1 : 0); ++i) {
    std::printf("---|");
  }
  std::printf("\n");

  int missed = 0;
  int out_of_reach = 0;
  bool any_paired = false;
  for (const std::string& body : bodies) {
    std::printf("| %s |", body_label(body).c_str());
    for (const std::string& c : contenders) {
      const figure* f = r.find(family, c, body);
      std::printf(" %s |", f ? format_value(f->value, throughput).c_str() : "-");
    }
    for (const target* t : ratios) {
      const figure* a = r.find(family, t->numerator, body);
      const figure* b = r.find(family, t->denominator, body);
      const std::optional<double> paired = r.pair(*t, body);
      if (!paired && (!a || !b || b->value <= 0)) {
        std::printf(" - |");
        continue;
      }
      const double ratio = paired ? *paired : a->value / b->value;
      any_paired = any_paired || paired.has_value();
      if (!applies(*t, body)) {
        std::printf(" %.2fx |", ratio);
        continue;
      }
      const bool met = meets(*t, ratio);
      const std::optional<double> reference = reference_ratio(r, *t, body);
      if (!met && reference && !meets(*t, *reference)) {
        // Out of any receiver's reach: the numerator is held to the threshold against what the
        // reference reached instead.
        const double against_reference = ratio / *reference;
        const bool held = meets(*t, against_reference);
        ++(held ? out_of_reach : missed);
        std::printf(" **%.2fx** out of reach (%s %.2fx; %s / %s %.2fx %s) |", ratio,
                    t->reference.c_str(), *reference, t->numerator.c_str(), t->reference.c_str(),
                    against_reference, held ? "ok" : "MISSED");
        continue;
      }
      if (!met) ++missed;
      std::printf(" **%.2fx** %s |", ratio, met ? "ok" : "MISSED");
    }
    if (any_allocations) {
      std::string counts;
      for (const std::string& c : contenders) {
        const figure* f = r.find(family, c, body);
        if (!f || !f->allocations) continue;
        char text[64];
        std::snprintf(text, sizeof text, "%s%s %.4g", counts.empty() ? "" : ", ", c.c_str(),
                      *f->allocations);
        counts += text;
      }
      std::printf(" %s |", counts.c_str());
    }
    std::printf("\n");
  }
  if (any_paired) {
    std::printf(
        "\nRatios with a pair measured (`%s/<numerator>_vs_<denominator>`) are paired: the "
        "median of the ratios of alternating slices, not the ratio of the medians.\n",
        family.c_str());
  }
  return verdicts{missed, out_of_reach};
}

}  // namespace

int main(int argc, char** argv) {
  bool check = false;
  results r;
  int files = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--check") {
      check = true;
      continue;
    }
    if (!read_file(argv[i], r)) return 2;
    ++files;
  }
  if (files == 0) {
    std::fprintf(stderr, "usage: bench_table [--check] results.json [...]\n");
    return 2;
  }
  int missed = 0;
  int out_of_reach = 0;
  for (const std::string& family : r.families) {
    const verdicts v = print_family(r, family);
    missed += v.missed;
    out_of_reach += v.out_of_reach;
  }

  // Allocation target: parse + dispatch allocates nothing once warm.
  int allocating = 0;
  for (const auto& [name, f] : r.figures) {
    if (name.compare(0, 15, "parse_dispatch/") == 0 && f.allocations && *f.allocations > 0) {
      ++allocating;
    }
  }
  std::printf(
      "\nTargets missed: %d; out of reach, met against the floors: %d; parse + dispatch bodies "
      "allocating in steady state: %d\n",
      missed, out_of_reach, allocating);
  return check && (missed > 0 || allocating > 0) ? 1 : 0;
}
