// Smallest use of the packaged SDK: its headers compile and link, and a timestamp parses.
#include <alm/webhooks.hpp>
#include <cstdio>

int main() {
  const auto when = alm::webhooks::date_time::parse("2024-11-08T03:49:52.000Z");
  if (!when) return 1;
  std::printf("alm-webhooks %s: %s\n", ALM_WEBHOOKS_VERSION_STRING, when->to_iso8601().c_str());
  return 0;
}
