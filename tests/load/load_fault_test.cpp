// Load and fault test: the cpp-httplib adapter on 127.0.0.1 under many concurrent clients for a
// fixed time. The traffic mixes valid signed deliveries (batch envelopes and AsyncAPI events),
// redeliveries of earlier ones, bad signatures, malformed and oversize bodies; handlers throw
// for randomly chosen events the first time they see them, and the clients then redeliver as
// ALM does. At the end it checks that every accepted event was handled exactly once, every
// failed one after its retry, every bad request got its 4xx, no 5xx came but the induced ones,
// and the idempotency store stayed within its cap. (The store remembers its cap of most recent
// keys: a redelivery that a stalled thread sends after more events than that may run again, as
// promised; such redeliveries are counted, and are 0 in a normal run.) Prints a one-line
// summary; exits 1 on any violation.
//
// Usage: load_fault_test [--seconds N] [--clients N] [--store-entries N] [--fail-percent N]
//                        [--seed N]
// Defaults: 10 s, 16 clients, 5,000 store entries, 5 % of events fail once, a random seed.
#include <httplib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "alm/webhooks/adapters/httplib.hpp"
#include "alm/webhooks/endpoint.hpp"
#include "alm/webhooks/signing.hpp"

namespace aw = alm::webhooks;

namespace {

using clock_type = std::chrono::steady_clock;

constexpr std::string_view secret = "load-test-secret";
constexpr std::string_view wrong_secret = "not-the-load-test-secret";
constexpr std::size_t max_body_size = 64 * 1024;
constexpr int max_attempts = 5;  // per delivery: the first send and four redeliveries

struct settings {
  int seconds{10};
  int clients{16};
  std::size_t store_entries{5000};
  int fail_percent{5};
  std::uint64_t seed{std::random_device{}()};
};

bool parse_args(int argc, char** argv, settings& s) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const long long value = std::atoll(argv[i + 1]);
    if (flag == "--seconds" && value > 0) {
      s.seconds = static_cast<int>(value);
    } else if (flag == "--clients" && value > 0) {
      s.clients = static_cast<int>(value);
    } else if (flag == "--store-entries" && value > 0) {
      s.store_entries = static_cast<std::size_t>(value);
    } else if (flag == "--fail-percent" && value >= 0 && value <= 100) {
      s.fail_percent = static_cast<int>(value);
    } else if (flag == "--seed") {
      s.seed = static_cast<std::uint64_t>(value);
    } else {
      return false;
    }
  }
  return argc % 2 == 1;
}

// ---- What happened to every event, by number ---------------------------------------------

/// One 16-bit word per event id, in chunks allocated as ids are handed out: bits 0-3 count the
/// handler's calls, bits 4-7 its successful calls, bit 8 marks an induced failure, bit 9 a
/// delivery the endpoint accepted (2xx), bit 10 a delivery that must never reach a handler,
/// bit 11 a redelivery that came after more events than the store is sure to remember.
class ledger {
 public:
  static constexpr std::uint16_t call = 0x1;
  static constexpr std::uint16_t success = 0x10;
  static constexpr std::uint16_t induced = 0x100;
  static constexpr std::uint16_t accepted = 0x200;
  static constexpr std::uint16_t refused = 0x400;
  static constexpr std::uint16_t beyond_window = 0x800;

  /// `count` consecutive new ids; returns the first.
  std::uint64_t allocate(std::uint64_t count) {
    const std::uint64_t first = next_.fetch_add(count);
    std::lock_guard<std::mutex> lock(grow_);
    for (std::uint64_t id = first; id < first + count; ++id) {
      auto& chunk = chunks_.at(id / chunk_size);
      if (chunk.load(std::memory_order_acquire) == nullptr) {
        owned_.push_back(std::make_unique<std::atomic<std::uint16_t>[]>(chunk_size));
        chunk.store(owned_.back().get(), std::memory_order_release);
      }
    }
    return first;
  }
  std::atomic<std::uint16_t>& operator[](std::uint64_t id) {
    return chunks_.at(id / chunk_size).load(std::memory_order_acquire)[id % chunk_size];
  }
  std::uint64_t size() const { return next_.load(); }

 private:
  static constexpr std::uint64_t chunk_size = 1u << 20;
  std::atomic<std::uint64_t> next_{0};
  std::mutex grow_;
  std::array<std::atomic<std::atomic<std::uint16_t>*>, 4096> chunks_{};
  std::vector<std::unique_ptr<std::atomic<std::uint16_t>[]>> owned_;
};

std::string event_id(std::uint64_t n) {
  return fmt::format("ev-{}", n);
}

std::uint64_t event_number(std::string_view id) {
  std::uint64_t n = 0;
  for (const char c : id.substr(3))
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  return n;
}

/// The handlers: every event is counted; an event picked at random (by its number and the
/// seed) throws the first time it is seen.
class handlers {
 public:
  handlers(ledger& book, std::uint64_t seed, int fail_percent)
      : book_(book), seed_(seed), fail_percent_(fail_percent) {}

  void on_unhandled(const aw::event& e, const aw::event_context&) {
    const std::string_view id = aw::event_id_of(e);
    if (id.substr(0, 3) != "ev-") throw std::runtime_error("an event the test did not send");
    calls_.fetch_add(1);
    std::atomic<std::uint16_t>& word = book_[event_number(id)];
    const std::uint16_t before = word.fetch_add(ledger::call);
    if ((before & 0xF) == 0 && fails(event_number(id))) {
      word.fetch_or(ledger::induced);
      induced_.fetch_add(1);
      throw std::runtime_error("induced handler failure");
    }
    word.fetch_add(ledger::success);
  }
  std::uint64_t induced() const { return induced_.load(); }
  /// Handler calls so far; each followed a claim that stored a key.
  std::uint64_t calls() const { return calls_.load(); }
  bool fails(std::uint64_t n) const {
    std::uint64_t x = (n + 1) * 0x9E3779B97F4A7C15ull ^ seed_;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 29;
    return static_cast<int>(x % 100) < fail_percent_;
  }

 private:
  ledger& book_;
  std::uint64_t seed_;
  int fail_percent_;
  std::atomic<std::uint64_t> induced_{0};
  std::atomic<std::uint64_t> calls_{0};
};

// ---- Bodies --------------------------------------------------------------------------------

/// AsyncAPI fixtures whose eventId is replaced per delivery.
class asyncapi_templates {
 public:
  asyncapi_templates() {
    for (const char* name : {"learner_enrollment", "learner_progress", "course_created",
                             "badge_awarded", "user_created"}) {
      const std::string path = std::string(ALM_WEBHOOKS_TEST_DATA) + "/asyncapi/" + name + ".json";
      std::ifstream in(path, std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const std::size_t key = text.find("\"eventId\"");
      const std::size_t open = text.find('"', text.find(':', key));
      const std::size_t close = text.find('"', open + 1);
      if (key == std::string::npos || close == std::string::npos) {
        throw std::runtime_error("no eventId in " + path);
      }
      parts_.push_back({text.substr(0, open + 1), text.substr(close)});
    }
  }
  std::string body(std::uint64_t id, std::mt19937_64& rng) const {
    const auto& [head, tail] = parts_[rng() % parts_.size()];
    return head + event_id(id) + tail;
  }

 private:
  struct template_parts {
    std::string head;
    std::string tail;
  };
  std::vector<template_parts> parts_;
};

/// A batch envelope of `count` events numbered from `first`, of assorted kinds (one kind the
/// SDK does not know, which goes to the catch-all).
std::string batch_body(std::uint64_t first, std::uint64_t count, std::mt19937_64& rng) {
  std::string body = R"({"accountId":1010,"events":[)";
  for (std::uint64_t i = 0; i < count; ++i) {
    if (i > 0) body += ',';
    const std::uint64_t user = 4000000 + rng() % 100000;
    const std::uint64_t course = 7000000 + rng() % 1000;
    const std::string common =
        fmt::format(R"("eventId":"{}","timestamp":{},"eventInfo":"load")", event_id(first + i),
                    1727414643000 + static_cast<std::int64_t>(rng() % 10000000));
    switch (rng() % 4) {
      case 0:
        body += fmt::format(
            R"({{{},"eventName":"COURSE_ENROLLMENT","data":{{"userId":{},"loId":"course:{}",)"
            R"("loInstanceId":"course:{}_1","loType":"course"}}}})",
            common, user, course, course);
        break;
      case 1:
        body += fmt::format(
            R"({{{},"eventName":"LEARNER_PROGRESS","data":{{"userId":"{}","loId":"course:{}",)"
            R"("loType":"course","progressPercent":{}}}}})",
            common, user, course, rng() % 101);
        break;
      case 2:
        body += fmt::format(
            R"({{{},"eventName":"COURSE_COMPLETION","data":{{"userId":{},"loId":"course:{}",)"
            R"("loInstanceId":"course:{}_1","loType":"course","dateCompleted":1727414643}}}})",
            common, user, course, course);
        break;
      default:
        body += fmt::format(
            R"({{{},"eventName":"SOMETHING_NEW","data":{{"anything":[1,2,{{"x":null}}]}}}})",
            common);
        break;
    }
  }
  body += "]}";
  return body;
}

// ---- Clients -------------------------------------------------------------------------------

enum class kind : std::uint8_t { valid, duplicate, bad_signature, malformed, oversize, count };
constexpr std::array<std::string_view, static_cast<std::size_t>(kind::count)> kind_names = {
    "valid", "duplicate", "bad signature", "malformed", "oversize"};

struct tally {
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(kind::count)> sent{};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> events{0};       // events in accepted valid deliveries
  std::atomic<std::uint64_t> redelivered{0};  // resends after an induced 500
  std::atomic<std::uint64_t> responses_500{0};
  std::atomic<std::uint64_t> beyond_window{0};  // redeliveries the store may have forgotten
  std::atomic<std::uint64_t> violations{0};
  std::mutex mutex;
  std::vector<std::string> examples;

  void violation(std::string what) {
    violations.fetch_add(1);
    std::lock_guard<std::mutex> lock(mutex);
    if (examples.size() < 10) examples.push_back(std::move(what));
  }
};

/// A delivery a client may redeliver later as a duplicate.
struct sent_delivery {
  std::string body;
  std::string signature;
  std::uint64_t first;  // its event ids
  std::uint64_t count;
  std::uint64_t calls_at;  // handler calls in total before it was first sent
};

struct shared_state {
  const settings& config;
  ledger& book;
  handlers& work;
  tally& counts;
  const asyncapi_templates& asyncapi;
  int port;
  clock_type::time_point deadline;
};

std::string sign(std::string_view body, std::string_view key = secret) {
  return *aw::sign_alm_hmac(key, body);
}

class client {
 public:
  client(shared_state& shared, int index)
      : s_(shared),
        rng_(shared.config.seed * 1000003u + static_cast<std::uint64_t>(index)),
        http_("127.0.0.1", shared.port) {
    http_.set_keep_alive(true);
    http_.set_tcp_nodelay(true);  // else Nagle and delayed ACKs cap each client at 25 requests/s
    http_.set_connection_timeout(10);
    http_.set_read_timeout(60);
    http_.set_write_timeout(60);
  }

  /// Opens the kept-alive connection with a verification challenge. The clients connect one by
  /// one: cpp-httplib listens with a backlog of 5, and a burst of connections beyond it fails.
  bool connect() {
    const httplib::Result r = http_.Get("/alm?challenge=load-test");
    return r && r->status == 200 && r->body == "load-test";
  }

  void run() {
    while (clock_type::now() < s_.deadline) {
      const std::uint64_t roll = rng_() % 100;
      if (roll < 55) {
        send_valid();
      } else if (roll < 70) {
        send_duplicate();
      } else if (roll < 80) {
        send_refused(kind::bad_signature);
      } else if (roll < 92) {
        send_refused(kind::malformed);
      } else {
        send_refused(kind::oversize);
      }
    }
  }

 private:
  /// One POST; -1 when the connection failed.
  int post(const std::string& body, const std::string& signature, bool with_signature = true) {
    httplib::Headers headers;
    if (with_signature) headers.emplace("X-ALM-Webhook-Signature", signature);
    s_.counts.requests.fetch_add(1);
    const httplib::Result r = http_.Post("/alm", headers, body, "application/json");
    if (!r) {
      s_.counts.violation(fmt::format("transport error {}", httplib::to_string(r.error())));
      return -1;
    }
    return r->status;
  }

  /// New events, never sent before; redelivered after an induced failure until accepted.
  void send_valid() {
    s_.counts.sent[static_cast<std::size_t>(kind::valid)].fetch_add(1);
    const bool batch = rng_() % 5 != 0;
    const std::uint64_t count = batch ? 1 + rng_() % 5 : 1;
    const std::uint64_t first = s_.book.allocate(count);
    const std::string body = batch ? batch_body(first, count, rng_) : s_.asyncapi.body(first, rng_);
    const std::string signature = sign(body);
    const std::uint64_t calls_before = s_.work.calls();
    for (int attempt = 1; attempt <= max_attempts; ++attempt) {
      const int status = post(body, signature);
      if (status == 200) {
        for (std::uint64_t id = first; id < first + count; ++id) {
          s_.book[id].fetch_or(ledger::accepted);
        }
        // A retry after a long stall (or into a store too small for the clients) may find the
        // events that succeeded the first time forgotten, and run them again.
        if (attempt > 1) flag_if_forgotten(first, count, calls_before);
        s_.counts.events.fetch_add(count);
        // Its keys were stored after calls_before handler calls (or later, which is safe).
        remember({body, signature, first, count, calls_before});
        return;
      }
      if (status != 500) {
        s_.counts.violation(
            fmt::format("valid delivery of {} answered {}", event_id(first), status));
        return;
      }
      // A 500 must come from a failure the test induced in this delivery.
      s_.counts.responses_500.fetch_add(1);
      bool induced = false;
      for (std::uint64_t id = first; id < first + count; ++id) {
        induced |= (s_.book[id].load() & ledger::induced) != 0;
      }
      if (!induced) {
        s_.counts.violation(fmt::format("500 for {} without an induced failure", event_id(first)));
        return;
      }
      s_.counts.redelivered.fetch_add(1);
    }
    s_.counts.violation(
        fmt::format("{} still failing after {} attempts", event_id(first), max_attempts));
  }

  /// An earlier accepted delivery again, as ALM redelivers: 200 and no handler runs (the ledger
  /// would show a second success), while the store still remembers it. Every handler call
  /// follows a claim that took one of the store's slots, so handler calls since the original
  /// count the keys stored after it: redeliveries are picked within half the store's capacity.
  void send_duplicate() {
    const std::uint64_t cap = s_.config.store_entries;
    while (!recent_.empty() && s_.work.calls() - recent_.front().calls_at > cap / 2) {
      recent_.pop_front();
    }
    if (recent_.empty()) {
      send_valid();
      return;
    }
    s_.counts.sent[static_cast<std::size_t>(kind::duplicate)].fetch_add(1);
    const sent_delivery& d = recent_[rng_() % recent_.size()];
    const int status = post(d.body, d.signature);
    if (status != 200) s_.counts.violation(fmt::format("duplicate answered {}", status));
    // A thread stalled between the pick and the server's claim may still come too late.
    flag_if_forgotten(d.first, d.count, d.calls_at);
  }

  /// Marks events whose keys the store may have evicted since `calls_at` handler calls: past
  /// its capacity (less the claims in flight, one per server thread, and the delivery's own),
  /// running them again is what the store promises. Rare; counted in the summary.
  void flag_if_forgotten(std::uint64_t first, std::uint64_t count, std::uint64_t calls_at) {
    const std::uint64_t in_flight = static_cast<std::uint64_t>(s_.config.clients) + 4 + count;
    if (s_.work.calls() - calls_at + in_flight <= s_.config.store_entries) return;
    s_.counts.beyond_window.fetch_add(1);
    for (std::uint64_t id = first; id < first + count; ++id) {
      s_.book[id].fetch_or(ledger::beyond_window);
    }
  }

  /// Requests the endpoint must refuse before any handler: their events are marked refused and
  /// checked at the end to have never been handled.
  void send_refused(kind k) {
    s_.counts.sent[static_cast<std::size_t>(k)].fetch_add(1);
    const std::uint64_t count = 1 + rng_() % 3;
    const std::uint64_t first = s_.book.allocate(count);
    for (std::uint64_t id = first; id < first + count; ++id)
      s_.book[id].fetch_or(ledger::refused);
    std::string body = batch_body(first, count, rng_);
    int expected = 0;
    int status = 0;
    switch (k) {
      case kind::bad_signature: {
        expected = 401;
        const std::uint64_t how = rng_() % 3;
        if (how == 0) {
          status = post(body, sign(body, wrong_secret));
        } else if (how == 1) {
          status = post(body, {}, false);
        } else {
          std::string mangled = sign(body);
          mangled[rng_() % mangled.size()] ^= 0x01;
          status = post(body, mangled);
        }
        break;
      }
      case kind::malformed: {
        expected = 400;
        const std::uint64_t how = rng_() % 3;
        if (how == 0) {
          body.resize(1 + rng_() % (body.size() - 2));  // truncated
        } else if (how == 1) {
          body[rng_() % body.size()] = '\x01';  // a control byte somewhere
          body.insert(0, "\x01");               // and one that no JSON allows
        } else {
          body.insert(body.size() - 1, R"(,"trailing":[1 2])");
        }
        status = post(body, sign(body));
        break;
      }
      case kind::oversize: {
        expected = 413;
        body.append(max_body_size + 1 + rng_() % (3 * max_body_size), ' ');
        status = post(body, sign(body));
        break;
      }
      default:
        break;
    }
    if (status != expected) {
      s_.counts.violation(fmt::format("{} request answered {}, expected {}",
                                      kind_names[static_cast<std::size_t>(k)], status, expected));
    }
  }

  void remember(sent_delivery d) {
    if (recent_.size() == 32) recent_.pop_front();
    recent_.push_back(std::move(d));
  }

  shared_state& s_;
  std::mt19937_64 rng_;
  httplib::Client http_;
  std::deque<sent_delivery> recent_;
};

std::uint64_t rss_kib(std::string_view field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, field.size(), field) == 0) {
      return static_cast<std::uint64_t>(std::atoll(line.c_str() + field.size()));
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  settings config;
  if (!parse_args(argc, argv, config)) {
    std::fprintf(stderr,
                 "usage: %s [--seconds N] [--clients N] [--store-entries N] [--fail-percent N] "
                 "[--seed N]\n",
                 argv[0]);
    return 2;
  }

  ledger book;
  handlers work(book, config.seed, config.fail_percent);
  tally counts;
  const asyncapi_templates asyncapi;

  aw::memory_idempotency_options store_options;
  store_options.max_entries = config.store_entries;
  auto store = std::make_shared<aw::memory_idempotency_store>(store_options);
  aw::verifier_options auth;
  auth.alm_hmac.secrets = {std::string(secret)};
  aw::endpoint_options options;
  options.max_body_size = max_body_size;
  options.idempotency = store;
  aw::endpoint ep(work, *aw::make_verifier(auth), options);

  httplib::Server server;
  // A worker per client (and some to spare), so that kept-alive connections never starve.
  const auto workers = static_cast<std::size_t>(config.clients + 4);
  server.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  server.set_payload_max_length(8 * max_body_size);
  server.set_keep_alive_max_count(std::numeric_limits<std::size_t>::max());
  server.set_tcp_nodelay(true);
  aw::adapters::mount(server, "/alm", ep);
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::fprintf(stderr, "load_fault_test: cannot bind to 127.0.0.1\n");
    return 1;
  }
  std::thread listener([&server] { server.listen_after_bind(); });
  while (!server.is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));

  shared_state shared{config, book, work, counts, asyncapi, port, {}};
  std::vector<std::unique_ptr<client>> clients;
  for (int i = 0; i < config.clients; ++i) {
    clients.push_back(std::make_unique<client>(shared, i));
    if (!clients.back()->connect()) {
      std::fprintf(stderr, "load_fault_test: client %d cannot connect\n", i);
      server.stop();
      listener.join();
      return 1;
    }
  }
  const auto start = clock_type::now();
  shared.deadline = start + std::chrono::seconds(config.seconds);
  std::atomic<bool> done{false};
  std::atomic<std::size_t> store_peak{0};
  std::thread monitor([&] {
    while (!done.load()) {
      std::size_t size = store->size();
      std::size_t peak = store_peak.load();
      while (size > peak && !store_peak.compare_exchange_weak(peak, size)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::vector<std::thread> threads;
  for (auto& c : clients)
    threads.emplace_back([&c] { c->run(); });
  for (std::thread& t : threads)
    t.join();
  const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
  done.store(true);
  monitor.join();
  server.stop();
  listener.join();

  // Every event: accepted ones handled exactly once (after their retry when one was induced),
  // refused ones never.
  std::uint64_t accepted_events = 0;
  std::uint64_t retried_events = 0;
  for (std::uint64_t id = 0; id < book.size(); ++id) {
    const std::uint16_t word = book[id].load();
    const unsigned calls = word & 0xF;
    const unsigned successes = (word >> 4) & 0xF;
    if (word & ledger::refused) {
      if (calls != 0) counts.violation(fmt::format("refused {} reached a handler", event_id(id)));
      continue;
    }
    if (word & ledger::accepted) {
      ++accepted_events;
      const bool may_repeat = (word & ledger::beyond_window) != 0;
      if (successes == 0 || (successes > 1 && !may_repeat)) {
        counts.violation(fmt::format("{} handled {} times", event_id(id), successes));
      }
      if (word & ledger::induced) {
        ++retried_events;
        if (calls < 2) counts.violation(fmt::format("{} failed and was not retried", event_id(id)));
      }
    }
  }
  if (counts.responses_500.load() > work.induced()) {
    counts.violation("more 500 answers than induced failures");
  }
  const std::size_t store_size = store->size();
  if (store_peak.load() > config.store_entries || store_size > config.store_entries) {
    counts.violation(fmt::format("the store held {} entries, over its cap of {}",
                                 std::max(store_peak.load(), store_size), config.store_entries));
  }
  // Full once more events than its cap went through: every slot holds a key, but for those
  // whose claim a failed handler released (at most one per induced failure).
  if (accepted_events > config.store_entries &&
      store_size + work.induced() < config.store_entries) {
    counts.violation(fmt::format("the store holds {} entries, short of its cap of {}", store_size,
                                 config.store_entries));
  }

  const auto sent = [&counts](kind k) { return counts.sent[static_cast<std::size_t>(k)].load(); };
  const bool pass = counts.violations.load() == 0;
  fmt::print(
      "load_fault_test: {} in {:.1f} s, {} clients, seed {}: {} requests ({:.0f}/s); {} valid "
      "deliveries, {} events, each handled exactly once; {} duplicates skipped; {} handler "
      "failures injected, {} redeliveries, {} events handled on retry; {} bad signatures -> 401, "
      "{} malformed -> 400, {} oversize -> 413; {} redeliveries came after more events than the "
      "store holds; store {}/{} entries (peak {}); RSS {} MiB (peak {} MiB); {} violations\n",
      pass ? "PASS" : "FAIL", elapsed, config.clients, config.seed, counts.requests.load(),
      static_cast<double>(counts.requests.load()) / elapsed, sent(kind::valid), accepted_events,
      sent(kind::duplicate), work.induced(), counts.redelivered.load(), retried_events,
      sent(kind::bad_signature), sent(kind::malformed), sent(kind::oversize),
      counts.beyond_window.load(), store_size, config.store_entries, store_peak.load(),
      rss_kib("VmRSS:") / 1024, rss_kib("VmHWM:") / 1024, counts.violations.load());
  for (const std::string& example : counts.examples)
    std::printf("  %s\n", example.c_str());
  return pass ? 0 : 1;
}
