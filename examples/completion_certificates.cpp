// Completion certificate automation: every passed completion (batch completions, AsyncAPI
// LEARNER_COMPLETION and CERTIFICATION_COMPLETED) becomes a certificate record, one JSON line
// each. Failed attempts get none. A redelivered event does not issue a second certificate.
//
//   completion_certificates BODY...
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <fmt/core.h>

#include <alm/webhooks.hpp>

#include "support/bodies.hpp"
#include "support/json_text.hpp"

namespace hooks = alm::webhooks;

class certificate_issuer {
 public:
  void on(const hooks::batch_completion& e) {
    issue(e.event_id, e.data.user_id.text, e.data.lo_id, e.data.date_completed, e.data.has_passed,
          e.data.score, {});
  }
  void on(const hooks::learner_completion& e) {
    issue(e.event_id, e.learner ? e.learner->user_id : std::string_view{},
          e.learning_object ? e.learning_object->lo_id : std::string_view{}, e.completed_on,
          e.has_passed, e.score, {});
  }
  void on(const hooks::certification_completed& e) {
    issue(e.event_id, e.learner ? e.learner->user_id : std::string_view{},
          e.certification ? e.certification->certification_id : std::string_view{}, e.completed_on,
          std::nullopt, std::nullopt, e.valid_until);
  }

  int issued() const { return issued_; }

 private:
  void issue(std::string_view event_id, std::string_view user_id, std::string_view lo_id,
             std::optional<hooks::date_time> completed_on, std::optional<bool> passed,
             std::optional<double> score, std::optional<hooks::date_time> valid_until) {
    if (!seen_.insert(std::string(event_id)).second) return;  // redelivered
    if (passed == false) {
      fmt::print(stderr, "no certificate: user {} did not pass {}\n", user_id, lo_id);
      return;
    }
    ++issued_;
    const std::string date = completed_on ? completed_on->to_iso8601() : std::string();
    fmt::print("{{\"certificateId\":{},\"userId\":{},\"learningObject\":{},\"completedOn\":{}",
               examples::quoted(fmt::format("CERT-{}-{}", user_id, date.substr(0, 10))),
               examples::quoted(user_id), examples::quoted(lo_id),
               completed_on ? examples::quoted(date) : "null");
    if (score) fmt::print(",\"score\":{}", *score);
    if (valid_until) fmt::print(",\"validUntil\":{}", examples::quoted(valid_until->to_iso8601()));
    fmt::print("}}\n");
  }

  std::set<std::string> seen_;
  int issued_{0};
};

int main(int argc, char** argv) {
  certificate_issuer issuer;
  examples::for_each_delivery(examples::body_paths(argc, argv),
                              [&](const hooks::delivery& d) { (void)hooks::dispatch(issuer, d); });
  fmt::print(stderr, "{} certificate(s) issued\n", issuer.issued());
  return 0;
}
