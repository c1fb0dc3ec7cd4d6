// What every example needs besides the SDK: the webhook bodies named on its command line (files,
// or "-" for standard input), parsed one after the other with one reused parser.
#pragma once

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include <alm/webhooks.hpp>

namespace examples {

/// Parses each body named in `paths` and hands every delivery to `on_delivery`. A body that
/// cannot be read or parsed is reported on stderr and skipped, as a receiver would answer 400 and
/// carry on. Returns the number of bodies skipped.
template <class OnDelivery>
int for_each_delivery(const std::vector<std::string_view>& paths, OnDelivery&& on_delivery) {
  alm::webhooks::parser parser;
  int skipped = 0;
  for (const std::string_view path : paths) {
    std::ostringstream text;
    if (path == "-") {
      text << std::cin.rdbuf();
    } else {
      std::ifstream file{std::string(path), std::ios::binary};
      if (!file) {
        fmt::print(stderr, "cannot read {}\n", path);
        ++skipped;
        continue;
      }
      text << file.rdbuf();
    }
    const std::string body = text.str();
    const auto delivery = parser.parse(body);
    if (!delivery) {
      fmt::print(stderr, "{}: {}\n", path, delivery.error());
      ++skipped;
      continue;
    }
    on_delivery(*delivery);
  }
  return skipped;
}

/// The arguments that are not options ("--name value" pairs are left to the caller).
inline std::vector<std::string_view> body_paths(int argc, char** argv, int first = 1) {
  std::vector<std::string_view> paths;
  for (int i = first; i < argc; ++i)
    paths.emplace_back(argv[i]);
  return paths;
}

}  // namespace examples
