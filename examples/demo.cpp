// The demo: reads every sample body under a folder (both wire formats), parses each with one
// reused parser and prints its typed events, one line each.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/core.h>

#include <alm/webhooks.hpp>

namespace fs = std::filesystem;
namespace hooks = alm::webhooks;

int main(int argc, char** argv) {
  const fs::path root = argc > 1 ? argv[1] : "tests/data";
  std::vector<fs::path> bodies;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() == ".json" && entry.path().filename() != "signatures.json") {
      bodies.push_back(entry.path());
    }
  }
  std::sort(bodies.begin(), bodies.end());

  hooks::parser parser;  // one per thread, reused: no allocation once warm
  int failures = 0;
  for (const fs::path& path : bodies) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    const std::string body = text.str();
    const auto parsed = parser.parse(body);
    const std::string name = fs::relative(path, root).string();
    if (!parsed) {
      // Samples of bad input live beside the good ones; show what the parser says of them.
      fmt::print("{}: rejected: {}\n", name, parsed.error());
      ++failures;
      continue;
    }
    fmt::print("{}: {} body, account {}, {} event(s)\n", name, parsed->format, parsed->account_id,
               parsed->events.size());
    for (const hooks::event& e : parsed->events)
      fmt::print("  {}\n", e);
  }
  fmt::print("{} bodies, {} rejected\n", bodies.size(), failures);
  return 0;
}
