// array_view<T>: a read-only view of contiguous elements, the C++17 stand-in for std::span.
#pragma once

#include <cstddef>

namespace alm::webhooks {

/// A non-owning view of `size()` elements. The elements of the arrays in a parsed event live in
/// the parser and stay valid until that parser parses again (see parser.hpp).
template <class T>
class array_view {
 public:
  using value_type = T;
  using const_iterator = const T*;

  constexpr array_view() noexcept = default;
  constexpr array_view(const T* data, std::size_t size) noexcept : data_(data), size_(size) {}

  constexpr const T* data() const noexcept { return data_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr const T* begin() const noexcept { return data_; }
  constexpr const T* end() const noexcept { return data_ + size_; }
  /// Unchecked, like std::span: `index` must be below size().
  constexpr const T& operator[](std::size_t index) const noexcept { return data_[index]; }

  /// Element-wise equality.
  friend bool operator==(const array_view& a, const array_view& b) noexcept {
    if (a.size_ != b.size_) return false;
    for (std::size_t i = 0; i < a.size_; ++i) {
      if (!(a.data_[i] == b.data_[i])) return false;
    }
    return true;
  }
  friend bool operator!=(const array_view& a, const array_view& b) noexcept { return !(a == b); }

 private:
  const T* data_{nullptr};
  std::size_t size_{0};
};

}  // namespace alm::webhooks
