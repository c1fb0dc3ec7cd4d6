// The field tables that describe every event struct once: wire name and member. The parser, the
// JSON writer, the formatters and equality all walk these tables, so a field is added in one
// place and every one of them follows.
#pragma once

#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace alm::webhooks {

/// Specialised for every struct the SDK reads: `static constexpr auto value` is a tuple of
/// detail::field entries in wire order.
template <class T>
struct fields_of;

namespace detail {

template <class Class, class Member>
struct field {
  std::string_view name;  // the wire name, e.g. "loInstanceId"
  Member Class::*member;  // the C++ member, e.g. &enrollment_data::lo_instance_id
  using class_type = Class;
  using member_type = Member;
};

template <class Class, class Member>
constexpr field<Class, Member> make_field(std::string_view name, Member Class::*member) noexcept {
  return {name, member};
}

template <class T, class = void>
struct is_described : std::false_type {};
template <class T>
struct is_described<T, std::void_t<decltype(fields_of<T>::value)>> : std::true_type {};
template <class T>
inline constexpr bool is_described_v = is_described<T>::value;

template <class T>
inline constexpr std::size_t field_count_v =
    std::tuple_size_v<std::decay_t<decltype(fields_of<T>::value)>>;

/// Calls `fn(field, object.*field.member)` for every field of T, in wire order.
template <class T, class Fn>
constexpr void for_each_field(T& object, Fn&& fn) {
  using plain = std::remove_const_t<T>;
  std::apply([&](const auto&... fields) { (fn(fields, object.*(fields.member)), ...); },
             fields_of<plain>::value);
}

/// Calls `fn(field, a.*member, b.*member)` for every field of T, in wire order.
template <class T, class Fn>
constexpr void for_each_field_pair(const T& a, const T& b, Fn&& fn) {
  std::apply(
      [&](const auto&... fields) { (fn(fields, a.*(fields.member), b.*(fields.member)), ...); },
      fields_of<T>::value);
}

}  // namespace detail

/// Field-wise equality for every described struct: used by round-trip tests and by users who
/// compare events. Strings compare by content, dates by instant.
template <class T, std::enable_if_t<detail::is_described_v<T>, int> = 0>
constexpr bool operator==(const T& a, const T& b) {
  bool equal = true;
  detail::for_each_field_pair(
      a, b, [&equal](const auto&, const auto& x, const auto& y) { equal = equal && x == y; });
  return equal;
}
template <class T, std::enable_if_t<detail::is_described_v<T>, int> = 0>
constexpr bool operator!=(const T& a, const T& b) {
  return !(a == b);
}

}  // namespace alm::webhooks

// Internal: declare the field table of a struct, optionally after the fields of its base.
#define ALM_WEBHOOKS_FIELDS(Type, ...)                          \
  template <>                                                   \
  struct fields_of<Type> {                                      \
    static constexpr auto value = std::make_tuple(__VA_ARGS__); \
  }
#define ALM_WEBHOOKS_FIELDS_WITH_BASE(base_fields, Type, ...)                                \
  template <>                                                                                \
  struct fields_of<Type> {                                                                   \
    static constexpr auto value = std::tuple_cat(base_fields, std::make_tuple(__VA_ARGS__)); \
  }
