// A strict JSON grammar check (RFC 8259) for the raw text of one value. simdjson On-Demand
// skips over values it is not asked to read without looking inside them, so a value the parser
// ignores or keeps as raw JSON is checked here: otherwise `{"x":[1 2]}`, NaN, a bad escape or a
// trailing comma inside an unknown member would pass, and reach users as "raw JSON".
// UTF-8 is not checked here: simdjson validates the whole body before any of it is read.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace alm::webhooks::detail {

/// Deepest nesting json_fault() follows; deeper text is reported as a fault. The parser's own
/// depth limit (64 by default) is checked first and is far below it.
inline constexpr std::size_t max_validated_depth = 4096;

namespace json_grammar {

constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// A cursor over the text; every reader advances it past what it accepted or fails.
struct cursor {
  std::string_view text;
  std::size_t at{0};

  constexpr bool done() const noexcept { return at >= text.size(); }
  constexpr char peek() const noexcept { return done() ? '\0' : text[at]; }
  constexpr void skip_space() noexcept {
    while (!done() && is_space(text[at]))
      ++at;
  }
};

/// Four hex digits after "\u"; the code unit, or -1.
constexpr long read_hex4(cursor& c) noexcept {
  if (c.text.size() - c.at < 4) return -1;
  long unit = 0;
  for (int i = 0; i < 4; ++i) {
    const int digit = hex_value(c.text[c.at++]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

/// A string starting at its opening quote. Surrogates must pair, as simdjson requires when it
/// unescapes a string, so the verdict does not depend on whether a field was read or skipped.
constexpr const char* read_string(cursor& c) noexcept {
  ++c.at;  // the opening quote
  while (!c.done()) {
    const char ch = c.text[c.at++];
    if (ch == '"') return nullptr;
    if (static_cast<unsigned char>(ch) < 0x20) return "a control character inside a string";
    if (ch != '\\') continue;
    if (c.done()) break;
    const char escape = c.text[c.at++];
    switch (escape) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        continue;
      case 'u': {
        const long unit = read_hex4(c);
        if (unit < 0) return "a \\u escape without four hex digits";
        if (unit >= 0xDC00 && unit <= 0xDFFF) return "an unpaired UTF-16 surrogate escape";
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          if (c.text.size() - c.at < 2 || c.text[c.at] != '\\' || c.text[c.at + 1] != 'u') {
            return "an unpaired UTF-16 surrogate escape";
          }
          c.at += 2;
          const long low = read_hex4(c);
          if (low < 0xDC00 || low > 0xDFFF) return "an unpaired UTF-16 surrogate escape";
        }
        continue;
      }
      default:
        return "an invalid escape in a string";
    }
  }
  return "an unterminated string";
}

constexpr const char* read_number(cursor& c) noexcept {
  constexpr const char* fault = "an invalid number";
  if (c.peek() == '-') ++c.at;
  if (c.peek() == '0') {
    ++c.at;
  } else if (is_digit(c.peek())) {
    while (is_digit(c.peek()))
      ++c.at;
  } else {
    return fault;
  }
  if (c.peek() == '.') {
    ++c.at;
    if (!is_digit(c.peek())) return fault;
    while (is_digit(c.peek()))
      ++c.at;
  }
  if (c.peek() == 'e' || c.peek() == 'E') {
    ++c.at;
    if (c.peek() == '+' || c.peek() == '-') ++c.at;
    if (!is_digit(c.peek())) return fault;
    while (is_digit(c.peek()))
      ++c.at;
  }
  // A number runs up to a delimiter: "1x" or "01" is not a number followed by something.
  const char next = c.peek();
  if (!c.done() && !is_space(next) && next != ',' && next != ']' && next != '}') return fault;
  return nullptr;
}

constexpr const char* read_literal(cursor& c) noexcept {
  for (const std::string_view word :
       {std::string_view("true"), std::string_view("false"), std::string_view("null")}) {
    if (c.text.substr(c.at, word.size()) == word) {
      c.at += word.size();
      const char next = c.peek();
      if (!c.done() && !is_space(next) && next != ',' && next != ']' && next != '}') break;
      return nullptr;
    }
  }
  return "an invalid literal (JSON has only true, false and null; no NaN or Infinity)";
}

/// Containers open at each depth: a set bit is an object, a clear one an array.
class container_stack {
 public:
  bool push(bool object) noexcept {
    if (depth_ == max_validated_depth) return false;
    const std::uint64_t bit = std::uint64_t{1} << (depth_ % 64);
    if (object) {
      bits_[depth_ / 64] |= bit;
    } else {
      bits_[depth_ / 64] &= ~bit;
    }
    ++depth_;
    return true;
  }
  void pop() noexcept { --depth_; }
  bool empty() const noexcept { return depth_ == 0; }
  bool in_object() const noexcept {
    const std::size_t top = depth_ - 1;
    return (bits_[top / 64] >> (top % 64)) & 1u;
  }

 private:
  std::array<std::uint64_t, max_validated_depth / 64> bits_{};
  std::size_t depth_{0};
};

}  // namespace json_grammar

/// Checks that `text` is exactly one JSON value, optionally surrounded by whitespace. Returns
/// nullptr when it is, else a short description of the first fault. Iterative, no allocation.
inline const char* json_fault(std::string_view text) noexcept {
  namespace g = json_grammar;
  constexpr const char* misplaced = "a misplaced comma, colon, brace or bracket";
  g::cursor c{text};
  g::container_stack stack;
  // After '{' or ',' in an object a key comes next; `want_value` says a value is due.
  bool want_value = true;
  while (true) {
    c.skip_space();
    if (want_value) {
      const char ch = c.peek();
      if (c.done()) return "the value ends before it is complete";
      if (ch == ',' || ch == ':' || ch == '}' || ch == ']') return misplaced;
      if (ch == '{' || ch == '[') {
        if (!stack.push(ch == '{')) return "nesting too deep to check";
        ++c.at;
        c.skip_space();
        const char close = ch == '{' ? '}' : ']';
        if (c.peek() == close) {
          ++c.at;
          stack.pop();
          want_value = false;
          if (stack.empty()) break;
          continue;
        }
        if (ch == '{') {
          if (c.peek() != '"') return "an object key that is not a string";
          if (const char* fault = g::read_string(c)) return fault;
          c.skip_space();
          if (c.peek() != ':') return misplaced;
          ++c.at;
        }
        continue;  // a value is due
      }
      const char* fault = ch == '"'                        ? g::read_string(c)
                          : (ch == '-' || g::is_digit(ch)) ? g::read_number(c)
                                                           : g::read_literal(c);
      if (fault != nullptr) return fault;
      want_value = false;
      if (stack.empty()) break;
      continue;
    }
    // After a value inside a container: a comma or the matching close.
    const char ch = c.peek();
    const bool object = stack.in_object();
    if (ch == ',') {
      ++c.at;
      if (object) {
        c.skip_space();
        if (c.peek() != '"') return "an object key that is not a string";
        if (const char* fault = g::read_string(c)) return fault;
        c.skip_space();
        if (c.peek() != ':') return misplaced;
        ++c.at;
      }
      want_value = true;
      continue;
    }
    if (c.done()) return "the value ends before it is complete";
    if (ch != (object ? '}' : ']')) return misplaced;
    ++c.at;
    stack.pop();
    if (stack.empty()) break;
  }
  c.skip_space();
  return c.done() ? nullptr : "content after the value";
}

}  // namespace alm::webhooks::detail
