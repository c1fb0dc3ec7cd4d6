// Generic readers from simdjson On-Demand values into the typed event structs. The field tables
// (fields_of<T>) drive everything: one reader per member type, one member loop for every struct,
// so adding a field to a table is all it takes for the parser to read it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <simdjson.h>

#include "alm/webhooks/array_view.hpp"
#include "alm/webhooks/asyncapi_events.hpp"
#include "alm/webhooks/batch_events.hpp"
#include "alm/webhooks/detail/enum_lookup.hpp"
#include "alm/webhooks/detail/json_scan.hpp"
#include "alm/webhooks/detail/json_validate.hpp"
#include "alm/webhooks/detail/parse_context.hpp"
#include "alm/webhooks/detail/reflection.hpp"
#include "alm/webhooks/detail/value_traits.hpp"
#include "alm/webhooks/enums.hpp"
#include "alm/webhooks/id.hpp"
#include "alm/webhooks/raw_json.hpp"
#include "alm/webhooks/time.hpp"

namespace alm::webhooks::detail {

// ---- Per-field rules, fixed at compile time from the field tables ------------------------

/// Which fields of T a body must carry: the AsyncAPI base fields (eventType, eventId,
/// accountId, timestamp) and the batch entry's eventId and eventName.
template <class T>
constexpr std::uint64_t required_mask() noexcept {
  if constexpr (std::is_base_of_v<event_header, T>) {
    return 0xF;
  } else if constexpr (std::is_base_of_v<batch_event_header, T>) {
    return 0x3;
  } else {
    return 0;
  }
}

struct field_rules {
  bool required{false};
  bool number_as_text{false};  // an identifier kept as text that some senders write as a number
  bool percent{false};         // an integer from 0 to 100
};

template <class T, std::size_t I>
constexpr std::string_view field_name() noexcept {
  return std::get<I>(fields_of<T>::value).name;
}

template <class T, std::size_t I>
constexpr field_rules rules_of() noexcept {
  constexpr std::string_view name = field_name<T, I>();
  return {((required_mask<T>() >> I) & 1U) != 0, name == "eventId" || name == "userId",
          name == "progressPercent"};
}

constexpr field_rules element_rules{true, false, false};

/// Whether T (or anything it holds) has an array_view member.
template <class T>
constexpr bool has_arrays() noexcept;

template <class M>
constexpr bool member_has_arrays() noexcept {
  if constexpr (is_array_view<M>::value) {
    return true;
  } else if constexpr (is_optional<M>::value) {
    return member_has_arrays<typename M::value_type>();
  } else if constexpr (is_described_v<M>) {
    return has_arrays<M>();
  } else {
    return false;
  }
}

template <class T>
constexpr bool has_arrays() noexcept {
  return std::apply(
      [](const auto&... f) {
        return (member_has_arrays<typename std::decay_t<decltype(f)>::member_type>() || ...);
      },
      fields_of<T>::value);
}

/// A default-constructed T to copy from. Copies compile to plain moves, whereas a T built in
/// place is first cleared, and GCC clears anything over 64 bytes with `rep stos`, about 12 ns
/// where the copy costs 2: once per event, object header and nested object. Not const, so that
/// the compiler cannot turn the copy back into a clear; never written (constant-initialized, so
/// no guard and no race).
template <class T>
const T& blank() noexcept {
  static T value;
  return value;
}

// ---- Scalars --------------------------------------------------------------------------------

inline bool raw_value(od::value& v, std::string_view& out, parse_context& ctx);

/// is_null()'s error for a token that starts like null but is not (`nan`, `nul`): bad JSON,
/// not a value of another type.
constexpr simdjson::error_code not_null(simdjson::error_code e) noexcept {
  return e == simdjson::INCORRECT_TYPE ? simdjson::N_ATOM_ERROR : e;
}

/// After a type mismatch: a null leaves an optional field absent; anything else is wrong_type.
ALM_WEBHOOKS_COLD inline bool mismatch(od::value& v, parse_context& ctx, field_rules rules,
                                       std::string_view expected) {
  od::json_type type{};
  if (auto e = v.type().get(type)) return ctx.fail_json(e);
  if (type == od::json_type::null) {
    bool null = false;
    if (auto e = v.is_null().get(null)) return ctx.fail_json(not_null(e));
    if (!null) return ctx.fail_json(simdjson::N_ATOM_ERROR);
    if (!rules.required) return true;
    std::string why(expected);
    why += ", got null";
    return ctx.fail(error_code::wrong_type, why);
  }
  // Still held to the grammar: the parser sets wrong_type aside until it knows the body's
  // format, and a malformed value must not pass unnoticed then.
  std::string_view ignored;
  if (!raw_value(v, ignored, ctx)) return false;
  return ctx.fail(error_code::wrong_type, expected);
}

/// Checks a number against the JSON grammar (simdjson parses numbers only when asked). Any
/// valid number passes, however large: callers that need a range check it themselves.
ALM_WEBHOOKS_COLD inline bool check_number(od::value& v, parse_context& ctx) {
  double ignored = 0;
  const auto err = v.get_double().get(ignored);
  if (!err || err == simdjson::NUMBER_OUT_OF_RANGE) return true;
  // simdjson refuses some valid numbers (a long exponent): the grammar decides.
  if (json_fault(trim_json_space_right(v.raw_json_token())) == nullptr) return true;
  // A token that starts like a number ('-' alone, say) but is none.
  return ctx.fail_json(err == simdjson::INCORRECT_TYPE ? simdjson::NUMBER_ERROR : err);
}

/// A number token kept as text (identifiers). The usual plain integer is checked by eye; any
/// other token goes through the JSON number grammar.
ALM_WEBHOOKS_INLINE bool read_number_text(od::value& v, std::string_view& out, parse_context& ctx) {
  const std::string_view token = trim_json_space_right(v.raw_json_token());
  if (simdjson_unlikely(!is_plain_integer(token)) && !check_number(v, ctx)) return false;
  out = token;
  return true;
}

ALM_WEBHOOKS_COLD inline bool string_failure(od::value& v, simdjson::error_code err,
                                             std::string_view& out, parse_context& ctx,
                                             field_rules rules, std::string_view expected) {
  if (err != simdjson::INCORRECT_TYPE) return ctx.fail_json(err);
  if (rules.number_as_text) {
    od::json_type type{};
    if (auto e = v.type().get(type)) return ctx.fail_json(e);
    if (type == od::json_type::number) return read_number_text(v, out, ctx);
  }
  return mismatch(v, ctx, rules, expected);
}

ALM_WEBHOOKS_INLINE bool read_string(od::value& v, std::string_view& out, parse_context& ctx,
                                     field_rules rules,
                                     std::string_view expected = "expected a string") {
  std::string_view text;
  const auto err = v.get_string().get(text);
  if (simdjson_unlikely(err)) return string_failure(v, err, out, ctx, rules, expected);
  if (simdjson_unlikely(ctx.copy_cursor != nullptr)) text = ctx.keep(text);
  out = text;
  return true;
}

ALM_WEBHOOKS_INLINE bool read_value(od::value& v, std::string_view& out, parse_context& ctx,
                                    field_rules rules) {
  return read_string(v, out, ctx, rules,
                     rules.number_as_text ? "expected a string or a number" : "expected a string");
}

ALM_WEBHOOKS_INLINE bool read_value(od::value& v, id_value& out, parse_context& ctx,
                                    field_rules rules) {
  od::json_type type{};
  if (auto e = v.type().get(type)) return ctx.fail_json(e);
  std::string_view text;
  if (type == od::json_type::number) {
    if (!read_number_text(v, text, ctx)) return false;
    out = id_value(text, true);
    return true;
  }
  if (type != od::json_type::string)
    return mismatch(v, ctx, rules, "expected an integer or a string");
  if (!read_string(v, text, ctx, rules)) return false;
  out = id_value(text, false);
  return true;
}

template <class Enum>
ALM_WEBHOOKS_INLINE bool read_value(od::value& v, enum_value<Enum>& out, parse_context& ctx,
                                    field_rules rules) {
  std::string_view text;
  if (!read_string(v, text, ctx, rules)) return false;
  out = enum_value<Enum>(enum_of_text<Enum>(text), text);
  return true;
}

/// An integer that get_int64() refused: out of range, a fraction, or not a number at all.
ALM_WEBHOOKS_COLD inline bool integer_failure(od::value& v, simdjson::error_code err,
                                              parse_context& ctx, field_rules rules,
                                              std::string_view expected) {
  if (err != simdjson::INCORRECT_TYPE) return ctx.fail_json(err);
  od::json_type type{};
  if (auto e = v.type().get(type)) return ctx.fail_json(e);
  if (type != od::json_type::number) return mismatch(v, ctx, rules, expected);
  const std::string_view token = trim_json_space_right(v.raw_json_token());
  if (!check_number(v, ctx)) return false;
  if (is_integer_token(token)) {
    return ctx.fail(error_code::number_out_of_range, "the integer does not fit in 64 bits");
  }
  return ctx.fail(error_code::wrong_type, "expected an integer, got a fraction or an exponent");
}

ALM_WEBHOOKS_COLD inline bool percent_failure(parse_context& ctx) {
  return ctx.fail(error_code::number_out_of_range, "a percentage must be between 0 and 100");
}

ALM_WEBHOOKS_INLINE bool read_value(od::value& v, std::optional<std::int64_t>& out,
                                    parse_context& ctx, field_rules rules) {
  std::int64_t number = 0;
  const auto err = v.get_int64().get(number);
  if (simdjson_unlikely(err)) return integer_failure(v, err, ctx, rules, "expected an integer");
  if (rules.percent && (number < 0 || number > 100)) return percent_failure(ctx);
  out = number;
  return true;
}

/// A scalar getter's failure: null or another type is a mismatch, the rest a JSON fault.
ALM_WEBHOOKS_COLD inline bool scalar_failure(od::value& v, simdjson::error_code err,
                                             parse_context& ctx, field_rules rules,
                                             std::string_view expected) {
  if (err == simdjson::INCORRECT_TYPE) return mismatch(v, ctx, rules, expected);
  return ctx.fail_json(err);
}

ALM_WEBHOOKS_INLINE bool read_value(od::value& v, std::optional<double>& out, parse_context& ctx,
                                    field_rules rules) {
  double number = 0;
  const auto err = v.get_double().get(number);
  if (simdjson_unlikely(err)) return scalar_failure(v, err, ctx, rules, "expected a number");
  out = number;
  return true;
}

ALM_WEBHOOKS_INLINE bool read_value(od::value& v, std::optional<bool>& out, parse_context& ctx,
                                    field_rules rules) {
  bool flag = false;
  const auto err = v.get_bool().get(flag);
  if (simdjson_unlikely(err)) return scalar_failure(v, err, ctx, rules, "expected true or false");
  out = flag;
  return true;
}

ALM_WEBHOOKS_COLD inline bool date_failure(const error& e, parse_context& ctx) {
  return ctx.fail(error_code::invalid_value, e.message);
}

/// The other forms of a date, after get_int64() refused the value: ISO-8601 or epoch digits in
/// a string, or a fault. Out of line: the number form is the one worth inlining everywhere.
ALM_WEBHOOKS_NOINLINE inline bool read_date_text(od::value& v, simdjson::error_code int_error,
                                                 date_time& out, bool& present, parse_context& ctx,
                                                 field_rules rules) {
  constexpr std::string_view expected = "expected an epoch number or an ISO-8601 string";
  od::json_type type{};
  if (auto e = v.type().get(type)) return ctx.fail_json(e);
  if (type == od::json_type::number) return integer_failure(v, int_error, ctx, rules, expected);
  if (type != od::json_type::string) return mismatch(v, ctx, rules, expected);
  std::string_view text;
  if (auto e = v.get_string().get(text)) return ctx.fail_json(e);
  auto parsed = date_time::parse(text);
  if (simdjson_unlikely(!parsed)) return date_failure(parsed.error(), ctx);
  out = *parsed;
  present = true;
  return true;
}

/// Dates: epoch seconds or milliseconds as a number or a digit string, or ISO-8601 text.
/// `present` stays false for a null in an optional field.
ALM_WEBHOOKS_INLINE bool read_date(od::value& v, date_time& out, bool& present, parse_context& ctx,
                                   field_rules rules) {
  std::int64_t number = 0;
  const auto err = v.get_int64().get(number);
  if (simdjson_unlikely(err)) return read_date_text(v, err, out, present, ctx, rules);
  out = date_time::from_epoch_number(number);
  present = true;
  return true;
}

ALM_WEBHOOKS_INLINE bool read_value(od::value& v, date_time& out, parse_context& ctx,
                                    field_rules rules) {
  bool present = false;
  return read_date(v, out, present, ctx, rules);
}

ALM_WEBHOOKS_INLINE bool read_value(od::value& v, std::optional<date_time>& out, parse_context& ctx,
                                    field_rules rules) {
  date_time value;
  bool present = false;
  if (!read_date(v, value, present, ctx, rules)) return false;
  if (present) out = value;
  return true;
}

// ---- Raw JSON and skipped values --------------------------------------------------------

/// Fails with too_deep when a value's raw text nests deeper than the limit allows here.
inline bool check_nesting(std::string_view raw, parse_context& ctx) {
  const std::size_t room = ctx.max_depth > ctx.depth ? ctx.max_depth - ctx.depth : 0;
  if (scan_nesting(raw, room).exceeded) {
    return ctx.fail(error_code::too_deep, "nesting exceeds the depth limit");
  }
  return true;
}

/// Fails with invalid_json when the raw text of a value breaks the JSON grammar inside (On-Demand
/// skips containers and strings without checking them).
inline bool check_grammar(std::string_view raw, parse_context& ctx) {
  const char* fault = json_fault(raw);
  return fault == nullptr ||
         ctx.fail(error_code::invalid_json, std::string("invalid JSON: ") + fault);
}

/// The raw text of any value, consuming it. Containers are checked for depth and, like strings,
/// against the grammar (On-Demand skips them without looking inside); literals and numbers are
/// checked against the grammar too.
inline bool raw_value(od::value& v, std::string_view& out, parse_context& ctx) {
  od::json_type type{};
  if (auto e = v.type().get(type)) return ctx.fail_json(e);
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto e = v.get_object().get(object)) return ctx.fail_json(e);
      if (auto e = object.raw_json().get(out)) return ctx.fail_json(e);
      out = trim_json_space_right(out);
      return check_nesting(out, ctx) && check_grammar(out, ctx);
    }
    case od::json_type::array: {
      od::array array;
      if (auto e = v.get_array().get(array)) return ctx.fail_json(e);
      if (auto e = array.raw_json().get(out)) return ctx.fail_json(e);
      out = trim_json_space_right(out);
      return check_nesting(out, ctx) && check_grammar(out, ctx);
    }
    case od::json_type::number:
      out = trim_json_space_right(v.raw_json_token());
      return check_number(v, ctx);
    case od::json_type::boolean: {
      out = trim_json_space_right(v.raw_json_token());
      bool flag = false;
      if (auto e = v.get_bool().get(flag)) return ctx.fail_json(e);
      return true;
    }
    case od::json_type::null: {
      out = trim_json_space_right(v.raw_json_token());
      bool null = false;
      if (auto e = v.is_null().get(null)) return ctx.fail_json(not_null(e));
      return null || ctx.fail_json(simdjson::N_ATOM_ERROR);
    }
    case od::json_type::string: {
      out = trim_json_space_right(v.raw_json_token());
      // Consumed here: left to the object iterator's skip, a string followed by ':' would pass
      // for a key, and `"k":"a":"b"}` would close the object without an error.
      od::raw_json_string consumed;
      if (auto e = v.get_raw_json_string().get(consumed)) return ctx.fail_json(e);
      return check_grammar(out, ctx);
    }
  }
  return ctx.fail_json(simdjson::TAPE_ERROR);
}

inline bool read_value(od::value& v, raw_json& out, parse_context& ctx, field_rules) {
  return raw_value(v, out.text, ctx);
}

/// An unknown member: ignored, but still held to the depth limit and the JSON grammar.
inline bool skip_member(od::raw_json_string key, od::value& v, parse_context& ctx) {
  // An unknown key is compared, never decoded, so its escapes are checked here.
  const std::string_view name = raw_key_text(key);
  if (simdjson_unlikely(!check_grammar(std::string_view(name.data() - 1, name.size() + 2), ctx))) {
    return ctx.at_key(name);
  }
  std::string_view ignored;
  if (simdjson_likely(raw_value(v, ignored, ctx))) return true;
  return ctx.at_key(name);
}

// ---- Objects ----------------------------------------------------------------------------

template <class T>
bool read_object(od::object& object, T& out, parse_context& ctx);

template <class T, std::enable_if_t<is_described_v<T>, int> = 0>
bool read_value(od::value& v, T& out, parse_context& ctx, field_rules rules) {
  od::object object;
  const auto err = v.get_object().get(object);
  if (simdjson_unlikely(err)) return scalar_failure(v, err, ctx, rules, "expected an object");
  return read_object(object, out, ctx);
}

template <class T, std::enable_if_t<is_described_v<T>, int> = 0>
bool read_value(od::value& v, std::optional<T>& out, parse_context& ctx, field_rules rules) {
  od::object object;
  const auto err = v.get_object().get(object);
  if (simdjson_unlikely(err)) return scalar_failure(v, err, ctx, rules, "expected an object");
  return read_object(object, out.emplace(blank<T>()), ctx);
}

// ---- Arrays -----------------------------------------------------------------------------

template <class E>
bool read_element(od::value& v, E& out, parse_context& ctx) {
  if constexpr (std::is_same_v<E, std::string_view>) {
    return read_string(v, out, ctx, element_rules);
  } else {
    static_assert(!has_arrays<E>(), "arrays inside array elements are not supported");
    return read_value(v, out, ctx, element_rules);
  }
}

template <class E>
bool read_value(od::value& v, array_view<E>& out, parse_context& ctx, field_rules rules) {
  od::array array;
  const auto err = v.get_array().get(array);
  if (simdjson_unlikely(err)) return scalar_failure(v, err, ctx, rules, "expected an array");
  if (!ctx.enter()) return false;
  auto& arena = ctx.storage->of(static_cast<E*>(nullptr));
  const std::size_t first = arena.size();
  std::size_t index = 0;
  for (auto element_result : array) {
    if (simdjson_unlikely(element_result.error())) {
      ctx.fail_json(element_result.error());
      return ctx.at_index(index);
    }
    od::value&& element = std::move(element_result).value_unsafe();
    E item{};
    if (!read_element(element, item, ctx)) return ctx.at_index(index);
    arena.push_back(item);
    ++index;
  }
  ctx.leave();
  out = offset_view<E>(first, arena.size() - first);
  return true;
}

// ---- The member loop ----------------------------------------------------------------------

/// Reads field I of T from `v`, rejecting a second occurrence in the same object. `key` names
/// the field in the error path (it differs from the table name for aliases such as eventTime).
template <class T, std::size_t I>
ALM_WEBHOOKS_INLINE bool read_field_at(od::value& v, T& out, std::uint64_t& seen,
                                       parse_context& ctx, std::string_view key) {
  constexpr std::uint64_t bit = std::uint64_t{1} << I;
  if (simdjson_unlikely((seen & bit) != 0)) {
    // Still held to the grammar, as duplicate_key too may be set aside (see mismatch()).
    std::string_view ignored;
    if (raw_value(v, ignored, ctx)) ctx.fail(error_code::duplicate_key, "duplicate key");
    return ctx.at_key(key);
  }
  seen |= bit;
  constexpr auto& field = std::get<I>(fields_of<T>::value);
  if (simdjson_likely(read_value(v, out.*(field.member), ctx, rules_of<T, I>()))) return true;
  return ctx.at_key(key);
}

enum class match : std::uint8_t { none, ok, failed };

/// The index of T's field named `key` (compared raw: simdjson's raw_json_string or the plain
/// reader's text), or the field count when none is. `hint` is the index of the field expected
/// next.
template <class T, class Key, std::size_t... I>
ALM_WEBHOOKS_INLINE std::size_t find_field(Key key, std::size_t hint,
                                           std::index_sequence<I...>) noexcept {
  std::size_t index = sizeof...(I);
  // Senders write fields in a fixed order, mostly the table's: try the field after the last
  // match first, so that a key usually costs one compare.
  (void)(((hint == I) && key_is(key, field_name<T, I>()) && ((index = I), true)) || ...);
  if (index == sizeof...(I)) {
    (void)(((I != hint) && key_is(key, field_name<T, I>()) && ((index = I), true)) || ...);
  }
  return index;
}

template <class T, std::size_t... I>
ALM_WEBHOOKS_INLINE match match_field(od::raw_json_string key, od::value& v, T& out,
                                      std::uint64_t& seen, parse_context& ctx, std::size_t& hint,
                                      std::index_sequence<I...> fields) {
  static_assert(sizeof...(I) <= 64, "the seen-mask holds 64 fields");
  const std::size_t index = find_field<T>(key, hint, fields);
  if (index == sizeof...(I)) return match::none;
  hint = index + 1;
  // One call site per field: its reader is inlined once, which keeps the loop small enough to
  // stay in the instruction cache next to the hashing and the rest of a request.
  match result = match::failed;
  (void)(((index == I) &&
          ((result = read_field_at<T, I>(v, out, seen, ctx, field_name<T, I>()) ? match::ok
                                                                                : match::failed),
           true)) ||
         ...);
  return result;
}

/// Looks `key` up in T's field table and reads the value into the matching member. `hint` is
/// the index of the field expected next (0 at the start of an object); it is updated.
template <class T>
ALM_WEBHOOKS_INLINE match read_known_field(od::raw_json_string key, od::value& v, T& out,
                                           std::uint64_t& seen, parse_context& ctx,
                                           std::size_t& hint) {
  return match_field(key, v, out, seen, ctx, hint, std::make_index_sequence<field_count_v<T>>{});
}

/// What an unknown-member handler tells the loop.
enum class member_step : std::uint8_t { next, failed, stop };

/// Reads the members of an object from the iterator's position on: known keys into `out`,
/// the rest through `on_unknown(key, value) -> member_step`. Returns failed, or stop when the
/// handler asked to stop, or next when the object is done.
template <class T, class OnUnknown>
member_step read_members(od::object_iterator& it, od::object_iterator& end, T& out,
                         std::uint64_t& seen, parse_context& ctx, OnUnknown&& on_unknown) {
  std::size_t hint = 0;
  for (; it != end; ++it) {
    auto member_result = *it;
    if (simdjson_unlikely(member_result.error())) {
      ctx.fail_json(member_result.error());
      return member_step::failed;
    }
    // Bound in place: copying the field out of its result costs more than the key compare.
    od::field&& member = std::move(member_result).value_unsafe();
    const od::raw_json_string key = member.key();
    switch (read_known_field(key, member.value(), out, seen, ctx, hint)) {
      case match::ok:
        break;
      case match::failed:
        return member_step::failed;
      case match::none: {
        const member_step step = on_unknown(key, member.value());
        if (step != member_step::next) return step;
        break;
      }
    }
  }
  return member_step::next;
}

template <class T, std::size_t... I>
constexpr std::array<std::string_view, sizeof...(I)> field_names(std::index_sequence<I...>) {
  return {field_name<T, I>()...};
}

/// Fails with missing_field, naming the first required field of T absent from `seen`.
template <class T>
bool check_required(std::uint64_t seen, parse_context& ctx) {
  constexpr std::uint64_t mask = required_mask<T>();
  if (simdjson_likely((seen & mask) == mask)) return true;
  constexpr auto names = field_names<T>(std::make_index_sequence<field_count_v<T>>{});
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (((mask >> i) & 1U) != 0 && ((seen >> i) & 1U) == 0) {
      ctx.fail(error_code::missing_field, "missing required field");
      return ctx.at_key(names[i]);
    }
  }
  return false;
}

/// Fails with invalid_value naming the first required field of `object` that was sent empty
/// (""): an event cannot go without its id or name, and the model cannot tell an empty one from
/// a missing one (the JSON writer would leave it out).
template <class T>
bool check_required_not_empty(const T& object, parse_context& ctx) {
  constexpr std::uint64_t mask = required_mask<T>();
  std::size_t index = 0;
  std::string_view empty;
  for_each_field(object, [&](const auto& field, const auto& member) {
    if (((mask >> index++) & 1U) != 0 && empty.empty() && !is_present(member)) empty = field.name;
  });
  if (simdjson_likely(empty.empty())) return true;
  ctx.fail(error_code::invalid_value, "a required field is empty");
  return ctx.at_key(empty);
}

/// Reads a whole object into a described struct (nested objects and batch `data`).
template <class T>
bool read_object(od::object& object, T& out, parse_context& ctx) {
  if (!ctx.enter()) return false;
  od::object_iterator it;
  od::object_iterator end;
  if (auto e = object.begin().get(it)) return ctx.fail_json(e);
  if (auto e = object.end().get(end)) return ctx.fail_json(e);
  std::uint64_t seen = 0;
  const member_step step =
      read_members(it, end, out, seen, ctx, [&ctx](od::raw_json_string key, od::value& v) {
        return skip_member(key, v, ctx) ? member_step::next : member_step::failed;
      });
  if (step == member_step::failed) return false;
  ctx.leave();
  return check_required<T>(seen, ctx);
}

// ---- Array fix-up ------------------------------------------------------------------------

/// Turns the arena offsets in every array_view of `object` into pointers (see arenas).
template <class T>
void rebase_arrays(T& object, arenas& storage) noexcept;

template <class M>
void rebase_member(M& member, arenas& storage) noexcept {
  if constexpr (is_array_view<M>::value) {
    using element = typename M::value_type;
    rebase(member, storage.of(static_cast<element*>(nullptr)));
  } else if constexpr (is_optional<M>::value) {
    if constexpr (member_has_arrays<typename M::value_type>()) {
      if (member) rebase_member(*member, storage);
    }
  } else if constexpr (is_described_v<M>) {
    if constexpr (has_arrays<M>()) rebase_arrays(member, storage);
  }
}

template <class T>
void rebase_arrays(T& object, arenas& storage) noexcept {
  for_each_field(object, [&storage](const auto&, auto& member) { rebase_member(member, storage); });
}

}  // namespace alm::webhooks::detail
