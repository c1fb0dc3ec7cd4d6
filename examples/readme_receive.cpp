// README example: receive_in_your_server
// links: httplib::httplib
#include <fmt/core.h>
#include <alm/webhooks.hpp>
#include <alm/webhooks/adapters/httplib.hpp>
#include <cstdlib>

namespace hooks = alm::webhooks;

struct my_handlers {  // an overload per event you care about; called from the server's threads
  void on(const hooks::batch_completion& e, const hooks::event_context& ctx) {
    fmt::print("account {}: user {} completed {}\n", ctx.account_id.text, e.data.user_id.text,
               e.data.lo_id);
  }
  void on_unhandled(const hooks::event& e) { fmt::print("got {}\n", hooks::event_name_of(e)); }
};

int main() {
  hooks::verifier_options auth;  // ALM's HMAC signature in X-ALM-Webhook-Signature
  const char* secret = std::getenv("ALM_WEBHOOK_SECRET");
  auth.alm_hmac.secrets = {secret != nullptr ? secret : ""};
  auto verifier = hooks::make_verifier(auth);
  if (!verifier) return fmt::print(stderr, "{}\n", verifier.error()), 1;

  my_handlers handlers;
  hooks::endpoint endpoint(handlers, *verifier);  // challenge, 401, 400, de-dup, 200 or 500
  httplib::Server server;
  hooks::adapters::mount(server, "/alm/webhooks", endpoint);
  server.listen("0.0.0.0", 8080);
}
