// Smallest use of the packaged SDK: the headers compile, simdjson links, a batch body parses.
#include <alm/webhooks.hpp>
#include <cstdio>
#include <string_view>

int main() {
  constexpr std::string_view body =
      R"({"accountId":1010,"events":[{"eventId":"e-1","eventName":"COURSE_ENROLLMENT_BATCH",)"
      R"("timestamp":1727414643000,"data":{"userId":42,"loId":"course:7374992"}}]})";
  alm::webhooks::parser parser;
  const auto delivery = parser.parse(body);
  if (!delivery || delivery->events.size() != 1) return 1;
  std::printf("alm-webhooks %s parsed %zu event\n", ALM_WEBHOOKS_VERSION_STRING,
              delivery->events.size());
  return 0;
}
