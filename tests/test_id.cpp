#include "alm/webhooks/id.hpp"

#include <cstdint>

#include "catch.hpp"

using alm::webhooks::id_value;

TEST_CASE("identifiers read as 64-bit integers only when they fit", "[id]") {
  CHECK(id_value("4279332", true).as_int64() == 4279332);
  CHECK(id_value("-42").as_int64() == -42);
  CHECK(id_value("9223372036854775807").as_int64() == INT64_MAX);
  CHECK(id_value("-9223372036854775808").as_int64() == INT64_MIN);
  CHECK_FALSE(id_value("9223372036854775808").as_int64().has_value());
  CHECK_FALSE(id_value("18446744073709551616").as_int64().has_value());  // 2^64 would wrap
  CHECK_FALSE(id_value("99999999999999999999").as_int64().has_value());
  CHECK_FALSE(id_value("course:7374992").as_int64().has_value());
  CHECK_FALSE(id_value("").as_int64().has_value());
  CHECK_FALSE(id_value("-").as_int64().has_value());
  CHECK(id_value("42", true) == id_value("42", false));  // same id whatever its JSON form
}
