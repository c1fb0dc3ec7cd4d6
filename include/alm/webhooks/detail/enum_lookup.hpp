// The parser's enum lookup: the spellings of an enumeration grouped by length at compile time,
// so that naming a value compares at most a few spellings instead of scanning the whole table.
#pragma once

#include <array>
#include <cstddef>
#include <iterator>
#include <string_view>

#include "alm/webhooks/detail/attributes.hpp"
#include "alm/webhooks/detail/word_ops.hpp"
#include "alm/webhooks/enums.hpp"

namespace alm::webhooks::detail {

/// The spellings of an enumeration grouped by length, built at compile time: a lookup compares
/// only the spellings as long as the text (at most three for any enumeration here), where a
/// scan of the whole table takes a branch per spelling (33 for batch event names).
template <class Enum>
struct enum_spellings {
  // std::pair's assignment is not constexpr before C++20.
  struct entry {
    Enum value{};
    std::string_view name;
  };
  static constexpr auto& names = enum_traits<Enum>::names;
  static constexpr std::size_t count = std::size(names);
  static constexpr std::size_t longest = [] {
    std::size_t size = 0;
    for (const auto& e : names)
      size = e.second.size() > size ? e.second.size() : size;
    return size;
  }();

  struct table {
    std::array<entry, count> by_length{};          // the spellings, shortest first
    std::array<std::size_t, longest + 2> first{};  // by_length[first[n]..first[n + 1]) have size n
  };
  static constexpr table value = [] {
    table t{};
    for (const auto& e : names)
      ++t.first[e.second.size() + 1];
    for (std::size_t n = 1; n < t.first.size(); ++n)
      t.first[n] += t.first[n - 1];
    std::array<std::size_t, longest + 2> next = t.first;
    for (const auto& e : names)
      t.by_length[next[e.second.size()]++] = entry{e.first, e.second};
    return t;
  }();
};

/// The value of an enum spelling (enum_from_string, without library calls or a full scan): out
/// of line, one copy per enumeration, so that the lookup is not repeated at every field of that
/// type.
template <class Enum>
ALM_WEBHOOKS_NOINLINE Enum enum_of_text(std::string_view text) noexcept {
  using spellings = enum_spellings<Enum>;
  if (text.size() > spellings::longest) return Enum::unknown;
  const auto& table = spellings::value;
  for (std::size_t k = table.first[text.size()]; k < table.first[text.size() + 1]; ++k) {
    if (same_bytes(table.by_length[k].name.data(), text.data(), text.size())) {
      return table.by_length[k].value;
    }
  }
  return Enum::unknown;
}

}  // namespace alm::webhooks::detail
