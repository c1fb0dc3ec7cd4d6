// Helpers shared by the endpoint, queue and adapter tests: signed webhook bodies, requests that
// own their bytes, and a thread-safe visitor that counts how often each event reached it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alm/webhooks/dispatch.hpp"
#include "alm/webhooks/http.hpp"
#include "alm/webhooks/signature.hpp"
#include "alm/webhooks/signing.hpp"

namespace endpoint_test {

namespace aw = alm::webhooks;

inline constexpr std::string_view secret = "endpoint-test-secret";

/// A batch envelope carrying one COURSE_ENROLLMENT per id, in order.
inline std::string batch_body(const std::vector<std::string>& event_ids,
                              std::string_view account = "1010") {
  std::string body = R"({"accountId":)" + std::string(account) + R"(,"events":[)";
  for (std::size_t i = 0; i < event_ids.size(); ++i) {
    if (i > 0) body += ',';
    body += R"({"eventId":")" + event_ids[i] +
            R"(","eventName":"COURSE_ENROLLMENT","timestamp":1727414643000,)"
            R"("data":{"userId":4279332,"loId":"course:7374992",)"
            R"("loInstanceId":"course:7376092_10250977","loType":"course"}})";
  }
  body += "]}";
  return body;
}

/// The X-ALM-Webhook-Signature value for `body` under `secret`.
inline std::string sign(std::string_view body, std::string_view key = secret) {
  aw::result<std::string> signature = aw::sign_alm_hmac(key, body);
  if (!signature) throw std::runtime_error("signing failed");
  return *signature;
}

/// An alm_hmac verifier for `secret`.
inline aw::verifier hmac_verifier() {
  aw::verifier_options options;
  options.alm_hmac.secrets = {std::string(secret)};
  aw::result<aw::verifier> v = aw::make_verifier(options);
  if (!v) throw std::runtime_error("verifier configuration failed");
  return *v;
}

/// A request that owns its bytes; view() is valid while this object is unchanged.
struct owned_request {
  std::string method{"POST"};
  std::string target{"/alm"};
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::vector<aw::http_header> header_views;

  owned_request& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  aw::request_view view() {
    header_views.clear();
    for (const auto& [name, value] : headers)
      header_views.push_back({name, value});
    aw::request_view v;
    v.method = method;
    v.target = target;
    v.headers = aw::header_list(header_views.data(), header_views.size());
    v.body = body;
    v.body_padding = body.capacity() - body.size();
    return v;
  }
};

/// A POST of `body` with a JSON content type and a valid signature.
inline owned_request signed_post(std::string body) {
  owned_request r;
  r.header("Content-Type", "application/json").header("X-ALM-Webhook-Signature", sign(body));
  r.body = std::move(body);
  return r;
}

/// Counts the runs of each event id; throws for the ids in `failing`; may hold every handler
/// until release() (to keep a queue's worker busy). Thread-safe.
class counting_visitor {
 public:
  void on_unhandled(const aw::event& e, const aw::event_context& ctx) {
    std::unique_lock<std::mutex> lock(mutex_);
    const std::string id(aw::event_id_of(e));
    ++runs_[id];
    delivery_ids_.emplace_back(ctx.delivery_id);
    ++started_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return !holding_; });
    if (failing_.count(id) != 0) throw std::runtime_error("handler failed for " + id);
  }

  void fail(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    failing_.insert(id);
  }
  void heal() {
    std::lock_guard<std::mutex> lock(mutex_);
    failing_.clear();
  }
  void hold() {
    std::lock_guard<std::mutex> lock(mutex_);
    holding_ = true;
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex_);
    holding_ = false;
    changed_.notify_all();
  }
  /// Blocks until at least `n` handler calls have started.
  void wait_started(std::size_t n) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return started_ >= n; });
  }
  std::map<std::string, int> runs() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return runs_;
  }
  std::vector<std::string> delivery_ids() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return delivery_ids_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, int> runs_;
  std::vector<std::string> delivery_ids_;
  std::set<std::string> failing_;
  std::size_t started_{0};
  bool holding_{false};
};

}  // namespace endpoint_test
