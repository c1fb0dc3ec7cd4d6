// alm-webhooks: see real payloads, sign test requests and watch deliveries.
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "command_line.hpp"
#include "commands/listen.hpp"
#include "commands/parse.hpp"
#include "commands/sample.hpp"
#include "commands/send.hpp"
#include "commands/sign.hpp"
#include "commands/verify.hpp"

namespace {

using namespace alm_webhooks_cli;

constexpr std::string_view main_help = R"(usage: alm-webhooks COMMAND [OPTIONS]

Commands:
  parse    print the typed events of a body, one JSON line each (or --pretty)
  sign     print the signature header(s) a sender adds to a body
  verify   check a body's signature against its headers
  sample   print a realistic body for any known event of either format
  send     POST a signed body to a receiver and show the answer
  listen   run a local receiver that verifies, parses and prints each event

Run `alm-webhooks COMMAND --help` for a command's options. Secrets may come from the
ALM_WEBHOOK_SECRET environment variable instead of --secret.
)";

struct command {
  std::string_view name;
  std::string_view help;
  int (*run)(const command_line&);
  std::vector<std::string_view> valued;
  std::vector<std::string_view> flags;
};

}  // namespace

int main(int argc, char** argv) {
  const std::vector<command> commands = {
      {"parse", parse_help, run_parse, {}, {"pretty"}},
      {"sign", sign_help, run_sign, {"scheme", "secret", "encoding", "id", "timestamp"}, {}},
      {"verify", verify_help, run_verify, {"scheme", "secret", "header", "now"}, {}},
      {"sample", sample_help, run_sample, {"format"}, {"all", "list"}},
      {"send", send_help, run_send, {"scheme", "secret", "encoding", "format"}, {}},
      {"listen", listen_help, run_listen, {"scheme", "secret", "port", "path"}, {}},
  };
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    fmt::print(args.empty() ? stderr : stdout, "{}", main_help);
    return args.empty() ? usage_error : 0;
  }
  for (const command& c : commands) {
    if (c.name != args[0]) continue;
    const std::vector<std::string_view> rest(args.begin() + 1, args.end());
    for (const auto arg : rest) {
      if (arg == "--help" || arg == "-h") {
        fmt::print("{}", c.help);
        return 0;
      }
    }
    const auto line = command_line::read(rest, c.valued, c.flags);
    if (!line) return usage_error;
    return c.run(*line);
  }
  fmt::print(stderr, "alm-webhooks: unknown command '{}'\n\n{}", args[0], main_help);
  return usage_error;
}
