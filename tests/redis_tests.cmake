# Tests of the optional Redis components (alm::webhooks_redis), included from
# tests/CMakeLists.txt. They start their own redis-server on a loopback port and fail, saying so,
# when it is not installed.
if(TARGET alm::webhooks_redis)
  find_package(Threads REQUIRED)
  alm_webhooks_add_test(test_redis_idempotency LIBRARIES alm::webhooks_redis Threads::Threads
    LABELS redis)
  alm_webhooks_add_test(test_redis_stream LIBRARIES alm::webhooks_redis Threads::Threads
    LABELS redis)
endif()
