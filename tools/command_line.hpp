// A small command-line reader: `--name value`, `--name=value`, `--flag`, repeated options and
// positional arguments, checked against what each command accepts.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/core.h>

namespace alm::webhooks {}

namespace alm_webhooks_cli {

namespace hooks = alm::webhooks;

/// Exit status for a command line that cannot be understood (sysexits' EX_USAGE).
inline constexpr int usage_error = 64;

class command_line {
 public:
  /// Reads args; `valued` lists options that take a value, `flags` those that do not. Returns
  /// nullopt (after printing why to stderr) for an unknown option or a missing value.
  static std::optional<command_line> read(const std::vector<std::string_view>& args,
                                          const std::vector<std::string_view>& valued,
                                          const std::vector<std::string_view>& flags) {
    command_line line;
    for (std::size_t i = 0; i < args.size(); ++i) {
      std::string_view arg = args[i];
      if (arg == "-" || arg.substr(0, 2) != "--") {
        line.positional_.push_back(arg);
        continue;
      }
      arg.remove_prefix(2);
      std::optional<std::string_view> inline_value;
      if (const auto eq = arg.find('='); eq != std::string_view::npos) {
        inline_value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      }
      if (contains(flags, arg) && !inline_value) {
        line.options_.emplace_back(arg, std::string_view{});
      } else if (contains(valued, arg)) {
        if (!inline_value && i + 1 >= args.size()) {
          fmt::print(stderr, "alm-webhooks: --{} needs a value\n", arg);
          return std::nullopt;
        }
        line.options_.emplace_back(arg, inline_value ? *inline_value : args[++i]);
      } else {
        fmt::print(stderr, "alm-webhooks: unknown option --{}\n", arg);
        return std::nullopt;
      }
    }
    return line;
  }

  bool has(std::string_view name) const {
    for (const auto& option : options_) {
      if (option.first == name) return true;
    }
    return false;
  }
  /// The last value given for `name`.
  std::optional<std::string_view> value(std::string_view name) const {
    std::optional<std::string_view> found;
    for (const auto& option : options_) {
      if (option.first == name) found = option.second;
    }
    return found;
  }
  std::vector<std::string_view> values(std::string_view name) const {
    std::vector<std::string_view> found;
    for (const auto& option : options_) {
      if (option.first == name) found.push_back(option.second);
    }
    return found;
  }
  const std::vector<std::string_view>& positional() const { return positional_; }

 private:
  static bool contains(const std::vector<std::string_view>& names, std::string_view name) {
    for (const auto n : names) {
      if (n == name) return true;
    }
    return false;
  }

  std::vector<std::pair<std::string_view, std::string_view>> options_;
  std::vector<std::string_view> positional_;
};

/// The secrets given with --secret, or else the one in ALM_WEBHOOK_SECRET (which keeps it out of
/// the shell history and the process list).
inline std::vector<std::string> secrets_of(const command_line& line) {
  std::vector<std::string> secrets;
  for (const auto s : line.values("secret"))
    secrets.emplace_back(s);
  if (secrets.empty()) {
    if (const char* env = std::getenv("ALM_WEBHOOK_SECRET"); env != nullptr && *env != '\0') {
      secrets.emplace_back(env);
    }
  }
  return secrets;
}

}  // namespace alm_webhooks_cli
