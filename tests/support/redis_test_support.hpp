// Helpers shared by the Redis tests (besides endpoint_support.hpp's batch bodies and signed
// requests): an AsyncAPI body with a chosen event id, and a thread-safe visitor that records what
// reached it, with its context, and fails on demand.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "alm/webhooks/dispatch.hpp"
#include "alm/webhooks/event.hpp"

namespace redis_test {

/// An AsyncAPI LEARNER_COMPLETION body (account "1010") with the given event id.
inline std::string asyncapi_body(const std::string& event_id) {
  return R"({"eventType":"LEARNER_COMPLETION","eventId":")" + event_id +
         R"(","accountId":"1010","timestamp":"2024-11-12T16:05:31.250Z",)"
         R"("learner":{"userId":"4279332"},"learningObject":{"loId":"learningProgram:155203",)"
         R"("loType":"learningProgram","instanceId":"learningProgram:155203_201877"},)"
         R"("completedOn":"2024-11-12T16:05:30.000Z","hasPassed":true,"progressPercent":100})";
}

/// Records every event that reaches it (thread-safe). Throws for the event ids in `fail_ids`
/// while they are there, so a test can make a handler fail and then succeed on the retry.
class recording_visitor {
 public:
  struct seen {
    std::string event_id;
    std::string name;
    std::string account;
    alm::webhooks::body_format format;
    std::string delivery_id;
  };

  void on_unhandled(const alm::webhooks::event& e, const alm::webhooks::event_context& ctx) {
    const std::string id(alm::webhooks::event_id_of(e));
    std::lock_guard<std::mutex> lock(mutex_);
    ++attempts_[id];
    if (fail_ids_.count(id) != 0) throw std::runtime_error("handler failed on purpose: " + id);
    handled_.push_back(seen{id, std::string(alm::webhooks::event_name_of(e)),
                            std::string(ctx.account_id.text), ctx.format,
                            std::string(ctx.delivery_id)});
  }

  void fail(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    fail_ids_.insert(id);
  }
  void heal(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    fail_ids_.erase(id);
  }

  /// How many times the handler succeeded for `id`.
  int handled(const std::string& id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = 0;
    for (const seen& s : handled_)
      n += s.event_id == id ? 1 : 0;
    return n;
  }
  /// How many times the handler ran (succeeded or threw) for `id`.
  int attempts(const std::string& id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = attempts_.find(id);
    return it == attempts_.end() ? 0 : it->second;
  }
  std::vector<seen> all() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return handled_;
  }
  std::size_t count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return handled_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<seen> handled_;
  std::map<std::string, int> attempts_;
  std::set<std::string> fail_ids_;
};

}  // namespace redis_test
