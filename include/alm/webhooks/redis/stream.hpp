// The layout of the Redis stream between receivers (stream_sink.hpp) and workers
// (stream_worker.hpp): its name, its trimming, and the fields of each entry. One entry per event:
//
//   XADD <stream> [MAXLEN ~ <n>] * event <json> event_id <id> event_name <name>
//        account_id <account> format <batch|asyncapi> received_at <ISO-8601 UTC> delivery_id <id>
//
// `event` is the event's JSON body as json_writer.hpp writes it: an AsyncAPI event as its own
// body, a batch event as an envelope of one (`{"accountId":...,"events":[...]}`), so the worker
// parses it with the same parser as a request body. The other fields are for people and tools
// (XRANGE, redis-cli) and for routing without parsing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "alm/webhooks/redis/connection.hpp"

namespace alm::webhooks::redis {

/// Field names of a stream entry.
namespace stream_field {
inline constexpr std::string_view event = "event";              ///< the event's JSON body
inline constexpr std::string_view event_id = "event_id";        ///< `eventId`
inline constexpr std::string_view event_name = "event_name";    ///< `eventName` / `eventType`
inline constexpr std::string_view account_id = "account_id";    ///< the account, may be empty
inline constexpr std::string_view format = "format";            ///< "batch" or "asyncapi"
inline constexpr std::string_view received_at = "received_at";  ///< when the receiver took it
inline constexpr std::string_view delivery_id = "delivery_id";  ///< the request's delivery id
/// Added to an entry moved to the dead-letter stream: why it could not be processed.
inline constexpr std::string_view dead_reason = "error";
}  // namespace stream_field

/// The stream both sides use.
struct stream_options {
  /// The stream's key.
  std::string stream{"alm:webhooks:events"};
  /// When not 0, XADD trims the stream to about this many entries (MAXLEN ~). Entries are kept
  /// after they are acknowledged, so this bounds memory; it must stay well above the backlog a
  /// worker outage can build, as a trimmed entry that was not yet handled is lost. 0: no trimming
  /// (trim with XTRIM yourself).
  std::size_t max_length{0};
};

namespace detail {

/// One entry of an XREADGROUP / XAUTOCLAIM / XRANGE reply: its id and its fields (a nil fields
/// reply means the entry was deleted, by trimming say, after it was delivered).
class stream_entry {
 public:
  explicit stream_entry(reply_view entry) noexcept
      : id_(entry.size() > 0 ? entry[0].text() : std::string_view()),
        fields_(entry.size() > 1 ? entry[1] : reply_view(nullptr)) {}

  std::string_view id() const noexcept { return id_; }
  bool deleted() const noexcept { return !fields_.is_array(); }
  /// The value of field `name`, or an empty view when absent.
  std::string_view field(std::string_view name) const noexcept {
    if (deleted()) return {};
    for (std::size_t i = 0; i + 1 < fields_.size(); i += 2) {
      if (fields_[i].text() == name) return fields_[i + 1].text();
    }
    return {};
  }
  bool has_field(std::string_view name) const noexcept {
    if (deleted()) return false;
    for (std::size_t i = 0; i + 1 < fields_.size(); i += 2) {
      if (fields_[i].text() == name) return true;
    }
    return false;
  }
  /// The raw field list ([name, value, ...]); only when !deleted().
  reply_view fields() const noexcept { return fields_; }

 private:
  std::string_view id_;
  reply_view fields_;
};

/// Calls fn(stream_entry) for each element of an entry list ([[id, [field, value, ...]], ...]).
template <class Fn>
void for_each_entry(reply_view list, Fn&& fn) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    const reply_view entry = list[i];
    if (entry.is_array() && entry.size() >= 1) fn(stream_entry(entry));
  }
}

}  // namespace detail

}  // namespace alm::webhooks::redis
