// The decoding and header-reading building blocks of the verifier: hex, base64, header lookup,
// token lists, Unix timestamps and constant-time comparison.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "alm/webhooks/detail/auth_headers.hpp"
#include "alm/webhooks/detail/base64.hpp"
#include "alm/webhooks/detail/constant_time.hpp"
#include "alm/webhooks/detail/hex.hpp"
#include "auth_test_support.hpp"
#include "catch.hpp"

namespace d = alm::webhooks::detail;

namespace {

std::string decoded(std::string_view text, std::size_t capacity = 64) {
  std::array<unsigned char, 64> out{};
  const auto size = d::decode_base64(text, out.data(), capacity);
  return size ? std::string(reinterpret_cast<const char*>(out.data()), *size) : "<invalid>";
}

std::string encoded(std::string_view bytes, d::base64_alphabet alphabet, bool pad) {
  return d::encode_base64(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                          alphabet, pad);
}

}  // namespace

TEST_CASE("hex decoding and encoding") {
  std::array<unsigned char, 4> out{};
  REQUIRE(d::decode_hex("00fFa9Z0", out.data(), 4) == false);
  REQUIRE(d::decode_hex("00fFa910", out.data(), 4));
  CHECK(out == std::array<unsigned char, 4>{0x00, 0xff, 0xa9, 0x10});
  CHECK_FALSE(d::decode_hex("00ff", out.data(), 4));
  CHECK_FALSE(d::decode_hex("00ffa9100", out.data(), 4));
  CHECK_FALSE(d::decode_hex("00 fa910", out.data(), 4));
  CHECK_FALSE(d::decode_hex(std::string("00\0fa910", 8), out.data(), 4));
  CHECK_FALSE(d::decode_hex("00ffa9g0", out.data(), 4));
  CHECK(d::decode_hex("", out.data(), 0));
  REQUIRE(d::decode_hex("00fFa910", out.data(), 4));
  CHECK(d::to_hex(out.data(), out.size()) == "00ffa910");
  CHECK(d::to_hex(out.data(), out.size(), true) == "00FFA910");
}

TEST_CASE("hex decoding agrees with the table for every byte in every position") {
  // 42 digits: one 32-digit vector step, one 8-digit word step and a one-byte tail.
  const std::string digits = "0123456789abcdefABCDEF0123456789fedcbaFE10";
  std::array<unsigned char, 21> out{};
  for (std::size_t position = 0; position < digits.size(); ++position) {
    for (int b = 0; b < 256; ++b) {
      std::string text = digits;
      text[position] = static_cast<char>(b);
      const unsigned value = d::hex_digit_values[static_cast<unsigned char>(b)];
      CAPTURE(position, b);
      REQUIRE(d::decode_hex(text, out.data(), out.size()) == (value != 0xff));
      if (value != 0xff) {
        const unsigned byte = out[position / 2];
        CHECK((position % 2 == 0 ? byte >> 4 : byte & 0x0f) == value);
      }
    }
  }
  REQUIRE(d::decode_hex(digits, out.data(), out.size()));
  CHECK(d::to_hex(out.data(), out.size()) == "0123456789abcdefabcdef0123456789fedcbafe10");
  // Runs of 8 digits followed by a tail of fewer.
  std::array<unsigned char, 5> five{};
  REQUIRE(d::decode_hex("0123456789", five.data(), 5));
  CHECK(five == std::array<unsigned char, 5>{0x01, 0x23, 0x45, 0x67, 0x89});
  CHECK_FALSE(d::decode_hex("012345678g", five.data(), 5));
}

TEST_CASE("base64: RFC 4648 test vectors in both alphabets, padded or not") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, text] : vectors) {
    CAPTURE(plain);
    CHECK(encoded(plain, d::base64_alphabet::standard, true) == text);
    CHECK(decoded(text) == plain);
    std::string unpadded(text);
    while (!unpadded.empty() && unpadded.back() == '=')
      unpadded.pop_back();
    CHECK(encoded(plain, d::base64_alphabet::url, false) == unpadded);
    CHECK(decoded(unpadded) == plain);
  }
  const std::string bytes = "\xfb\xff\xbf";
  CHECK(encoded(bytes, d::base64_alphabet::standard, true) == "+/+/");
  CHECK(encoded(bytes, d::base64_alphabet::url, true) == "-_-_");
  CHECK(decoded("+/+/") == bytes);
  CHECK(decoded("-_-_") == bytes);
}

TEST_CASE("base64: invalid text and capacity") {
  for (const char* bad : {"Z", "Zg=", "Zg===", "=", "==", "====", "Z=g=", "Zm9v!", "Zm 9v",
                          "Zm9v\n", "Zg==Zg==", "Zm9vYg==="}) {
    CAPTURE(bad);
    CHECK(decoded(bad) == "<invalid>");
  }
  CHECK(decoded(std::string("Zm\0v", 4)) == "<invalid>");
  CHECK(decoded("Zm9vYmFy", 6) == "foobar");
  CHECK(decoded("Zm9vYmFy", 5) == "<invalid>");
  CHECK(decoded("Zm9vYg", 4) == "foob");
  CHECK(decoded("Zm9vYg", 3) == "<invalid>");
  CHECK(d::decode_base64(std::string_view("QUJD")).value() == "ABC");
  CHECK(d::decode_base64(std::string_view("QUI")).value() == "AB");
  CHECK_FALSE(d::decode_base64(std::string_view("Q")).has_value());
}

TEST_CASE("header lookup: one pass, case-insensitive, repeats counted, size checked first") {
  alm_test::owned_headers headers{{"Content-Type", "application/json"},
                                  {"X-Sig", "  abc \t"},
                                  {"x-twice", "1"},
                                  {"X-TWICE", "2"},
                                  {"x-empty", " \t "},
                                  {"x-big", std::string(100, 'b')}};
  const auto list = headers.list();
  const auto sig = d::lookup_header(list, d::header_name("x-sig"), 10);
  CHECK(sig.status == d::header_status::present);
  CHECK(sig.value == "abc");
  CHECK(d::lookup_header(list, d::header_name("x-twice"), 10).status == d::header_status::repeated);
  CHECK(d::lookup_header(list, d::header_name("x-twice"), 10).count == 2);
  CHECK(d::lookup_header(list, d::header_name("x-empty"), 10).status == d::header_status::empty);
  CHECK(d::lookup_header(list, d::header_name("x-big"), 99).status == d::header_status::oversized);
  CHECK(d::lookup_header(list, d::header_name("x-big"), 100).status == d::header_status::present);
  CHECK(d::lookup_header(list, d::header_name("x-missing"), 10).status ==
        d::header_status::missing);
  // The limit applies to the value as received, before trimming, so it needs no scan.
  CHECK(d::lookup_header(list, d::header_name("x-sig"), 7).status == d::header_status::present);
  CHECK(d::lookup_header(list, d::header_name("x-sig"), 6).status == d::header_status::oversized);
}

TEST_CASE("header names match ignoring ASCII case only") {
  const d::header_name name("X-ALM-Webhook-Signature");
  CHECK(name.name() == "X-ALM-Webhook-Signature");
  CHECK(name.matches("X-ALM-Webhook-Signature"));
  CHECK(name.matches("x-alm-webhook-signature"));
  CHECK(name.matches("X-ALM-WEBHOOK-SIGNATURE"));
  CHECK(name.matches("x-Alm-wEbhook-signaturE"));
  CHECK_FALSE(name.matches("X-ALM-Webhook-Signatur"));
  CHECK_FALSE(name.matches("X-ALM-Webhook-Signatures"));
  CHECK_FALSE(name.matches("X_ALM-Webhook-Signature"));
  CHECK_FALSE(name.matches("X\rALM-Webhook-Signature"));  // '-' | 0x20 would be '\r' | 0x20
  CHECK_FALSE(name.matches("X-ALM-Webhook-Signaturf"));
  CHECK_FALSE(name.matches(""));
  // Every single-byte change of every position is refused unless it flips a letter's case.
  const std::string original = "webhook-id.2";
  const d::header_name short_name(original);
  for (std::size_t i = 0; i < original.size(); ++i) {
    for (int b = 0; b < 256; ++b) {
      std::string changed = original;
      changed[i] = static_cast<char>(b);
      const bool same_letter = alm::webhooks::detail::ascii_lower(changed[i]) == original[i];
      CAPTURE(i, b);
      CHECK(short_name.matches(changed) == same_letter);
    }
  }
  CHECK(d::header_name().matches(""));
  CHECK(d::header_name().empty());
}

TEST_CASE("token lists") {
  d::token_reader reader(" ,a,b  c,,\td ", ", \t");
  std::string_view token;
  std::string seen;
  while (reader.next(token))
    seen += std::string(token) + "|";
  CHECK(seen == "a|b|c|d|");
  d::token_reader empty(" , ", ", ");
  CHECK_FALSE(empty.next(token));
  d::token_reader spaces_only("v1,a v1,b", " ");
  REQUIRE(spaces_only.next(token));
  CHECK(token == "v1,a");
}

TEST_CASE("Unix timestamps and distances") {
  CHECK(d::parse_unix_seconds("0") == 0);
  CHECK(d::parse_unix_seconds("1614265330") == 1614265330);
  CHECK(d::parse_unix_seconds("999999999999999999") == 999999999999999999);
  for (const char* bad : {"", " 1", "1 ", "+1", "-1", "1.0", "1e3", "0x1", "1234567890123456789"}) {
    CAPTURE(bad);
    CHECK_FALSE(d::parse_unix_seconds(bad).has_value());
  }
  CHECK(d::distance(10, 7) == 3);
  CHECK(d::distance(7, 10) == 3);
  CHECK(d::distance(INT64_MAX, INT64_MIN) == UINT64_MAX);
}

TEST_CASE("constant-time comparison and wiping") {
  const unsigned char a[] = {1, 2, 3, 4};
  const unsigned char b[] = {1, 2, 3, 5};
  CHECK(d::equal_constant_time(a, a, 4));
  CHECK_FALSE(d::equal_constant_time(a, b, 4));
  CHECK(d::equal_constant_time(a, b, 3));
  CHECK(d::equal_constant_time(a, b, 0));
  // Lengths around the 16-byte pieces: a difference anywhere is found.
  for (std::size_t size : {1, 15, 16, 17, 31, 32, 33, 64}) {
    std::vector<unsigned char> x(size, 7);
    for (std::size_t i = 0; i < size; ++i) {
      std::vector<unsigned char> y = x;
      y[i] ^= 1;
      CAPTURE(size, i);
      CHECK_FALSE(d::equal_constant_time(x.data(), y.data(), size));
    }
    CHECK(d::equal_constant_time(x.data(), std::vector<unsigned char>(size, 7).data(), size));
  }
  unsigned char secret[] = {9, 9, 9};
  d::wipe(secret, sizeof secret);
  CHECK(secret[0] == 0);
  CHECK(secret[2] == 0);
}
