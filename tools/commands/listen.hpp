// alm-webhooks listen --port P --secret S [--path /]
#pragma once

#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>
#include <pthread.h>

#include <alm/webhooks.hpp>
#include <alm/webhooks/adapters/httplib.hpp>

#include "../command_line.hpp"
#include "verify.hpp"

namespace alm_webhooks_cli {

inline constexpr std::string_view listen_help =
    R"(usage: alm-webhooks listen --port P --secret S [--path /] [--scheme alm_hmac|standard_webhooks|basic]

Runs a local receiver on 127.0.0.1:P with the SDK's endpoint (default scheme and limits: the
challenge echo, 405/415/413, signature check, parse, de-duplication by eventId) and prints each
event as it is handled, then the response sent. Ctrl-C (or SIGTERM) stops it cleanly.

  --port     the port on 127.0.0.1 (0: any free port, printed at start)
  --secret   the shared secret; repeat for rotation; default: $ALM_WEBHOOK_SECRET
  --path     where the endpoint is mounted (default /)

Exit status: 0 stopped by a signal; 1 could not listen; 64 bad command line.
)";

/// Prints every event as it is handled. Serialised: the server answers on several threads.
class printing_visitor {
 public:
  void on_unhandled(const hooks::event& e, const hooks::event_context& ctx) {
    const std::lock_guard<std::mutex> lock(mutex_);
    fmt::print("  [{}/{}] {}\n", ctx.index + 1, ctx.count, e);
    std::fflush(stdout);
  }

 private:
  std::mutex mutex_;
};

inline int run_listen(const command_line& line) {
  const auto secrets = secrets_of(line);
  const auto port_text = line.value("port");
  if (secrets.empty() || !port_text || !line.positional().empty()) {
    fmt::print(stderr, "{}", listen_help);
    return usage_error;
  }
  const auto port = hooks::id_value(*port_text).as_int64();
  if (!port || *port < 0 || *port > 65535) {
    fmt::print(stderr, "alm-webhooks: --port takes a number from 0 to 65535\n");
    return usage_error;
  }
  auto verifier = verifier_for(line, secrets);
  if (!verifier) {
    fmt::print(stderr, "alm-webhooks: {}\n", verifier.error());
    return usage_error;
  }
  printing_visitor printer;
  hooks::endpoint_options options;
  options.on_error = [](const hooks::error& e) { fmt::print("  error: {}\n", e); };
  const hooks::endpoint endpoint(printer, std::move(*verifier), std::move(options));

  // Signals are taken by one thread with sigwait, so stopping the server happens outside a
  // signal handler. Block them before any thread starts so that every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  httplib::Server server;
  const std::string path(line.value("path").value_or("/"));
  hooks::adapters::mount(server, path, endpoint);
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    fmt::print("{} {} -> {} {}\n", req.method, req.target, res.status, res.body);
    std::fflush(stdout);
  });
  const int bound = *port == 0 ? server.bind_to_any_port("127.0.0.1")
                               : (server.bind_to_port("127.0.0.1", static_cast<int>(*port))
                                      ? static_cast<int>(*port)
                                      : -1);
  if (bound < 0) {
    fmt::print(stderr, "alm-webhooks: cannot listen on 127.0.0.1:{}\n", *port);
    return 1;
  }
  std::thread stopper([&server, &stop_signals] {
    int received = 0;
    sigwait(&stop_signals, &received);
    server.stop();
  });
  fmt::print("listening on http://127.0.0.1:{}{} (Ctrl-C to stop)\n", bound, path);
  std::fflush(stdout);
  server.listen_after_bind();
  stopper.join();
  fmt::print("stopped\n");
  return 0;
}

}  // namespace alm_webhooks_cli
