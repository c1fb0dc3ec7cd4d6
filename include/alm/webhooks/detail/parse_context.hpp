// The state one parse() threads through the field readers: limits, depth, the parser-owned
// arenas for arrays, and the error being reported. Errors are cold: nothing here allocates
// until something fails, and the JSON path is assembled only then, innermost segment first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "alm/webhooks/batch_events.hpp"
#include "alm/webhooks/detail/attributes.hpp"
#include "alm/webhooks/detail/word_ops.hpp"
#include "alm/webhooks/error.hpp"

namespace alm::webhooks::detail {

namespace od = simdjson::ondemand;

/// One step of a JSON path: an object key or an array index.
struct path_segment {
  std::string_view key;
  std::size_t index{0};
  bool is_index{false};
};

/// Parser-owned storage for the elements of array fields, reused across parses. While a parse
/// runs, an array_view's data pointer holds the offset of its first element in the arena (the
/// vectors may still grow); rebase_arrays() turns offsets into pointers at the end.
struct arenas {
  std::vector<std::string_view> strings;
  std::vector<user_group_member> members;

  void clear() noexcept {
    strings.clear();
    members.clear();
  }
  std::vector<std::string_view>& of(std::string_view*) noexcept { return strings; }
  std::vector<user_group_member>& of(user_group_member*) noexcept { return members; }
};

template <class T>
array_view<T> offset_view(std::size_t offset, std::size_t size) noexcept {
  // Offsets travel in the pointer until rebase; an integer-to-pointer round trip is exact.
  return array_view<T>(reinterpret_cast<const T*>(static_cast<std::uintptr_t>(offset)), size);
}

template <class T>
void rebase(array_view<T>& view, const std::vector<T>& arena) noexcept {
  if (view.empty()) {
    view = array_view<T>();
    return;
  }
  const auto offset = static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(view.data()));
  view = array_view<T>(arena.data() + offset, view.size());
}

struct parse_context {
  std::size_t max_depth{64};
  std::size_t depth{0};
  arenas* storage{nullptr};
  // Where strings that cannot view the body go, in the parser's copy buffer: while a deferred
  // `data` object is read by the second simdjson parser, whose string buffer the next deferred
  // object would overwrite, every string is copied here; the plain reader writes the strings
  // it unescapes here (without a buffer, null, an escape sends the body to simdjson).
  char* copy_cursor{nullptr};

  // The error being reported.
  error_code code{error_code::invalid_json};
  std::string message;
  std::vector<path_segment>* path{nullptr};  // innermost first
  simdjson::error_code json_error{simdjson::SUCCESS};

  /// Copies a string read by the second parser (see copy_cursor).
  std::string_view keep(std::string_view text) noexcept {
    std::memcpy(copy_cursor, text.data(), text.size());
    const std::string_view kept(copy_cursor, text.size());
    copy_cursor += text.size();
    return kept;
  }

  /// Records an error; always returns false so that callers can `return ctx.fail(...)`.
  ALM_WEBHOOKS_COLD bool fail(error_code c, std::string_view why) {
    code = c;
    message.assign(why.data(), why.size());
    path->clear();
    return false;
  }
  /// Adds the segment of the enclosing level while an error travels outwards.
  ALM_WEBHOOKS_COLD bool at_key(std::string_view key) {
    path->push_back(path_segment{key, 0, false});
    return false;
  }
  ALM_WEBHOOKS_COLD bool at_index(std::size_t index) {
    path->push_back(path_segment{{}, index, true});
    return false;
  }
  /// Maps a simdjson error to the SDK's codes.
  ALM_WEBHOOKS_COLD bool fail_json(simdjson::error_code e) {
    json_error = e;
    switch (e) {
      case simdjson::EMPTY:
        return fail(error_code::empty_body, "the body is empty");
      case simdjson::UTF8_ERROR:
        return fail(error_code::invalid_utf8, "invalid UTF-8");
      case simdjson::UNCLOSED_STRING:
      case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
        return fail(error_code::truncated, "the document ends before it is complete");
      case simdjson::NUMBER_OUT_OF_RANGE:
        return fail(error_code::number_out_of_range, "the number does not fit in 64 bits");
      case simdjson::DEPTH_ERROR:
        return fail(error_code::too_deep, "nesting exceeds the depth limit");
      case simdjson::CAPACITY:
        return fail(error_code::body_too_large, "the body exceeds the JSON parser's capacity");
      case simdjson::MEMALLOC:
        return fail(error_code::out_of_memory, "out of memory");
      case simdjson::INCORRECT_TYPE:
        return fail(error_code::wrong_type, "unexpected JSON type");
      case simdjson::TRAILING_CONTENT:
        return fail(error_code::trailing_content, "content after the end of the document");
      case simdjson::STRING_ERROR:
        return fail(error_code::invalid_json, "invalid string (bad escape sequence)");
      case simdjson::UNESCAPED_CHARS:
        return fail(error_code::invalid_json, "unescaped control character in a string");
      case simdjson::NUMBER_ERROR:
        return fail(error_code::invalid_json, "invalid number");
      case simdjson::T_ATOM_ERROR:
      case simdjson::F_ATOM_ERROR:
      case simdjson::N_ATOM_ERROR:
        return fail(error_code::invalid_json, "invalid literal (expected true, false or null)");
      default:
        return fail(error_code::invalid_json,
                    "invalid JSON (misplaced comma, brace, bracket, colon or value)");
    }
  }

  /// Enters an object or array; fails with too_deep past the limit.
  bool enter() {
    if (simdjson_unlikely(++depth > max_depth)) {
      return fail(error_code::too_deep, "nesting exceeds the depth limit");
    }
    return true;
  }
  void leave() noexcept { --depth; }

  /// "events[3].data.userId" from the recorded segments.
  std::string path_text() const {
    std::string out;
    for (auto it = path->rbegin(); it != path->rend(); ++it) {
      if (it->is_index) {
        out += '[';
        out += std::to_string(it->index);
        out += ']';
      } else {
        if (!out.empty()) out += '.';
        out.append(it->key.data(), it->key.size());
      }
    }
    return out;
  }
};

/// Whether an object key is exactly `name` (a table name: no quote, no backslash), compared
/// raw, without decoding the key. Word-wise, so that with `name` a constant the compare is a few
/// loads instead of a call to memcmp. Reads at most name.size() + 1 bytes of the key, which the
/// body (closing quote, or padding) always has.
ALM_WEBHOOKS_INLINE bool key_is(od::raw_json_string key, std::string_view name) noexcept {
  const char* raw = key.raw();
  return raw[name.size()] == '"' && std::memcmp(raw, name.data(), name.size()) == 0;
}

/// Whether a key found by the plain reader (its text, which holds no escape) is `name`.
ALM_WEBHOOKS_INLINE bool key_is(std::string_view key, std::string_view name) noexcept {
  return key.size() == name.size() && same_bytes(key.data(), name.data(), name.size());
}

/// The text of an object key as sent (escapes not decoded), for error paths.
inline std::string_view raw_key_text(od::raw_json_string key) noexcept {
  const char* start = key.raw();
  std::size_t n = 0;
  while (start[n] != '"')
    n += start[n] == '\\' ? 2 : 1;
  return std::string_view(start, n);
}

}  // namespace alm::webhooks::detail
