// A summary of everything a parse extracted (how many strings and their bytes, how many dates
// and their sum, the numbers and flags), computed the same way from the SDK's typed events and
// from the baselines' plain structs. The benchmarks compare the three before timing anything, so
// that no contender is measured doing less work than the others.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <alm/webhooks/detail/reflection.hpp>
#include <alm/webhooks/detail/value_traits.hpp>
#include <alm/webhooks/event.hpp>

#include "flat_events.hpp"

namespace bench {

struct extraction_summary {
  std::size_t events{0};
  std::size_t strings{0};  // non-empty strings, identifiers and enum texts
  std::size_t string_bytes{0};
  std::size_t dates{0};
  std::int64_t date_sum{0};  // milliseconds
  std::size_t numbers{0};    // integers, decimals and flags
  double number_sum{0};

  friend bool operator==(const extraction_summary& a, const extraction_summary& b) {
    return a.events == b.events && a.strings == b.strings && a.string_bytes == b.string_bytes &&
           a.dates == b.dates && a.date_sum == b.date_sum && a.numbers == b.numbers &&
           a.number_sum == b.number_sum;
  }
  friend bool operator!=(const extraction_summary& a, const extraction_summary& b) {
    return !(a == b);
  }

  void add_string(std::string_view s) {
    if (s.empty()) return;
    ++strings;
    string_bytes += s.size();
  }
  void add_date(std::int64_t ms) {
    ++dates;
    date_sum += ms;
  }
  void add_number(double value) {
    ++numbers;
    number_sum += value;
  }
};

// ---- The SDK's typed events, walked through their field tables --------------------------------

template <class T>
void summarize_member(extraction_summary& s, const T& member);

template <class T>
void summarize_described(extraction_summary& s, const T& object) {
  alm::webhooks::detail::for_each_field(
      object, [&s](const auto&, const auto& member) { summarize_member(s, member); });
}

template <class T>
void summarize_member(extraction_summary& s, const T& member) {
  namespace hd = alm::webhooks::detail;
  if constexpr (std::is_same_v<T, std::string_view>) {
    s.add_string(member);
  } else if constexpr (std::is_same_v<T, alm::webhooks::id_value>) {
    s.add_string(member.text);
  } else if constexpr (hd::is_enum_value<T>::value) {
    s.add_string(member.text);
  } else if constexpr (std::is_same_v<T, alm::webhooks::date_time>) {
    s.add_date(member.milliseconds_since_epoch());
  } else if constexpr (std::is_same_v<T, alm::webhooks::raw_json>) {
    s.add_string(member.text);
  } else if constexpr (hd::is_optional<T>::value) {
    if (member) summarize_member(s, *member);
  } else if constexpr (hd::is_array_view<T>::value) {
    for (const auto& element : member)
      summarize_member(s, element);
  } else if constexpr (std::is_arithmetic_v<T>) {
    s.add_number(static_cast<double>(member));
  } else {
    summarize_described(s, member);
  }
}

inline extraction_summary summarize(const alm::webhooks::delivery& d) {
  extraction_summary s;
  s.add_string(d.account_id.text);
  for (const alm::webhooks::event& e : d.events) {
    ++s.events;
    std::visit([&s](const auto& typed) { summarize_described(s, typed); }, e);
  }
  return s;
}

// ---- The baselines' plain structs ---------------------------------------------------------------

template <class S, class E>
void summarize_flat(extraction_summary& s, const flat_enum<S, E>& e) {
  s.add_string(e.text);
}
template <class S>
void summarize_flat(extraction_summary& s, const flat_id<S>& id) {
  s.add_string(id.text);
}
inline void summarize_flat(extraction_summary& s, const flat_date& d) {
  if (d.present) s.add_date(d.ms);
}
inline void summarize_flat(extraction_summary& s, std::string_view text) {
  s.add_string(text);
}
template <class S>
void summarize_flat(extraction_summary& s, const std::vector<S>& list) {
  for (const S& text : list)
    s.add_string(text);
}

template <class... Fields>
void summarize_all(extraction_summary& s, const Fields&... fields) {
  (summarize_flat(s, fields), ...);
}

inline void summarize_optionals(extraction_summary& s, std::int8_t flag, bool has_score,
                                double score, std::int64_t percent) {
  if (flag >= 0) s.add_number(flag);
  if (has_score) s.add_number(score);
  if (percent >= 0) s.add_number(static_cast<double>(percent));
}

template <class S>
extraction_summary summarize(const flat_batch<S>& b) {
  extraction_summary s;
  summarize_flat(s, b.account_id);
  for (const flat_batch_event<S>& e : b.events) {
    ++s.events;
    summarize_all(s, e.event_id, e.event_name, e.timestamp, e.event_info, e.user_id, e.lo_id,
                  e.lo_instance_id, e.lo_type, e.enrollment_source, e.date, e.module_id);
    summarize_optionals(s, e.has_passed, e.has_score, e.score, e.progress_percent);
  }
  return s;
}

template <class S>
extraction_summary summarize(const flat_asyncapi_event<S>& e) {
  extraction_summary s;
  s.events = 1;
  // accountId counts twice on the SDK's side (the delivery's and the event's).
  summarize_all(s, e.account_id, e.event_type, e.event_id, e.account_id, e.timestamp, e.source,
                e.person.user_id, e.person.name, e.person.email, e.roles, e.person.user_type,
                e.learning_object.lo_id, e.learning_object.lo_type, e.learning_object.name,
                e.learning_object.instance_id, e.award.id, e.award.name, e.award.detail,
                e.job.job_id, e.job.job_type, e.job.status, e.job.download_url, e.enrollment_id,
                e.enrollment_type, e.unenrolled_by, e.creation_method, e.created_by, e.updated_by,
                e.updated_fields, e.date, e.valid_until, e.recertification_deadline);
  summarize_optionals(s, e.has_passed, e.has_score, e.score, e.progress_percent);
  if (e.award.has_credits) s.add_number(e.award.credits);
  if (e.job.records_processed >= 0) s.add_number(static_cast<double>(e.job.records_processed));
  if (e.job.records_failed >= 0) s.add_number(static_cast<double>(e.job.records_failed));
  return s;
}

}  // namespace bench
