// result<T>: a value or an error, in the style of simdjson_result and std::expected.
#pragma once

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "alm/webhooks/error.hpp"

namespace alm::webhooks {

/// Holds either a `T` or an `error`. Accessing the value of a result that holds an error (or the
/// error of one that holds a value) is a precondition violation, checked by assert in debug
/// builds; test with `has_value()` or `if (r)` first. Nothing here throws.
template <class T>
class [[nodiscard]] result {
 public:
  using value_type = T;

  result(const T& value) : state_(std::in_place_index<0>, value) {}
  result(T&& value) : state_(std::in_place_index<0>, std::move(value)) {}
  result(webhooks::error e) : state_(std::in_place_index<1>, std::move(e)) {}
  result(error_code code, std::string message, std::string path = {})
      : state_(std::in_place_index<1>, webhooks::error{code, std::move(message), std::move(path)}) {
  }

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & noexcept { return *checked_value(); }
  const T& value() const& noexcept { return *checked_value(); }
  T&& value() && noexcept { return std::move(*checked_value()); }
  T& operator*() & noexcept { return value(); }
  const T& operator*() const& noexcept { return value(); }
  T* operator->() noexcept { return checked_value(); }
  const T* operator->() const noexcept { return checked_value(); }

  const webhooks::error& error() const& noexcept {
    assert(!has_value());
    return *std::get_if<1>(&state_);
  }
  /// Shorthand for error().code; only valid on failure.
  error_code code() const noexcept { return error().code; }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? *std::get_if<0>(&state_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  T* checked_value() noexcept {
    assert(has_value());
    return std::get_if<0>(&state_);
  }
  const T* checked_value() const noexcept {
    assert(has_value());
    return std::get_if<0>(&state_);
  }

  std::variant<T, webhooks::error> state_;
};

/// A result that carries no value: success, or an error.
template <>
class [[nodiscard]] result<void> {
 public:
  using value_type = void;

  result() = default;
  result(webhooks::error e) : error_(std::move(e)) {}
  result(error_code code, std::string message, std::string path = {})
      : error_(webhooks::error{code, std::move(message), std::move(path)}) {}

  bool has_value() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  const webhooks::error& error() const& noexcept {
    assert(error_.has_value());
    return *error_;
  }
  error_code code() const noexcept { return error().code; }

 private:
  // Empty on success: a successful result, the common case on every hot path, constructs and
  // destroys no strings.
  std::optional<webhooks::error> error_;
};

}  // namespace alm::webhooks
