// Reads a body from a file or from standard input ("-" or nothing), byte for byte.
#pragma once

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <fmt/core.h>

namespace alm_webhooks_cli {

/// The bytes of `path` ("-" for standard input); nullopt, after saying why, if it can't be read.
inline std::optional<std::string> read_body(std::string_view path) {
  std::ostringstream text;
  if (path.empty() || path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream file{std::string(path), std::ios::binary};
  if (!file) {
    fmt::print(stderr, "alm-webhooks: cannot read {}\n", path);
    return std::nullopt;
  }
  text << file.rdbuf();
  return text.str();
}

}  // namespace alm_webhooks_cli
