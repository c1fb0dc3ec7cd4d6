// Realistic webhook bodies of chosen sizes for benchmarks: ALM batch envelopes holding a mix of
// enrollment, completion, progress and unenrollment events, as compact JSON.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include <fmt/format.h>

namespace alm_bench {

/// The body sizes every benchmark reports: a one-event delivery, a small batch, a large batch.
inline constexpr std::array<std::size_t, 3> body_sizes = {360, 3400, 34000};

/// The events in the body of `size` bytes: 1, 10 and 100 for body_sizes (an event takes about
/// 330 bytes; batch_body fills the rest with spaces).
constexpr std::size_t event_count(std::size_t size) noexcept {
  return size < 680 ? 1 : size / 340;
}

/// Event `i` of a batch, as compact JSON. Deterministic: the same `i` gives the same bytes.
/// `batch` changes the eventId only, keeping the size: the events of batch 1 are new to an
/// idempotency store that has seen batch 0 (65536 distinct batches).
inline std::string batch_event(std::size_t i, std::size_t batch = 0) {
  const std::size_t user = 4279332 + i * 17;
  const std::size_t course = 7374992 + i % 23;
  const long long ms = 1727414643000LL + static_cast<long long>(i) * 1000;
  const std::string head = fmt::format(
      R"({{"eventId":"d5fb7071-10a9-{:04x}-9f9e-{:012x}","eventName":"{}","timestamp":{},)"
      R"("eventInfo":"{}-047210-84242-{}","data":{{"userId":{},"loId":"course:{}",)"
      R"("loInstanceId":"course:{}_{}","loType":"course",)",
      (0x46b2 + batch) & 0xFFFF, 0x79dde346c052 + i,
      i % 4 == 0   ? "COURSE_ENROLLMENT_BATCH"
      : i % 4 == 1 ? "COURSE_COMPLETED"
      : i % 4 == 2 ? "LEARNER_PROGRESS"
                   : "COURSE_UNENROLLMENT",
      ms, ms, i, user, course, course + 1100, 10250977 + i);
  switch (i % 4) {
    case 0:
      return head +
             fmt::format(R"("enrollmentSource":"ADMIN_ENROLL","dateEnrolled":{}}}}})", ms / 1000);
    case 1:
      return head +
             fmt::format(R"("enrollmentSource":"SELF_ENROLL","dateCompleted":{},"hasPassed":true,)"
                         R"("score":{}}}}})",
                         ms / 1000, 60 + i % 41);
    case 2:
      return head +
             fmt::format(R"("dateStarted":{},"progressPercent":{},"moduleId":"module:{}"}}}})",
                         ms / 1000 - 3600, i * 7 % 101, 3318420 + i % 7);
    default:
      return head + R"("enrollmentSource":"SELF_ENROLL"}})";
  }
}

/// The batch envelope of `size` bytes (at least the size of an empty envelope): event_count(size)
/// events, fewer if they do not fit, then spaces, which JSON allows between tokens, to reach the
/// size (4 at 360 B, under 4% of the larger body_sizes). `batch` as for batch_event: same bytes
/// but for the eventIds.
inline std::string batch_body(std::size_t size, std::size_t batch = 0) {
  std::string body = R"({"accountId":1010,"events":[)";
  const std::string close = "]}";
  for (std::size_t i = 0; i < event_count(size); ++i) {
    const std::string event = (i == 0 ? "" : ",") + batch_event(i, batch);
    if (body.size() + event.size() + close.size() > size) break;
    body += event;
  }
  if (body.size() + close.size() < size) body.append(size - body.size() - close.size(), ' ');
  return body + close;
}

}  // namespace alm_bench
