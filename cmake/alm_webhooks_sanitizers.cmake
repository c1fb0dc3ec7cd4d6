# Sanitizers for the project's own targets (tests, tools, examples, benchmarks), never for a
# consumer of the library: ALM_WEBHOOKS_SANITIZE is a list of -fsanitize= names, e.g.
# "address;undefined" or "thread". Every own target links alm_webhooks_warnings, which carries
# the flags. Errors abort (no recovery), so a test that trips a sanitizer fails.
set(ALM_WEBHOOKS_SANITIZE "" CACHE STRING
  "Sanitizers for the project's own targets: address;undefined, or thread (clang or gcc)")

if(ALM_WEBHOOKS_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    message(FATAL_ERROR "ALM_WEBHOOKS_SANITIZE needs clang or gcc")
  endif()
  if("thread" IN_LIST ALM_WEBHOOKS_SANITIZE AND
     ("address" IN_LIST ALM_WEBHOOKS_SANITIZE OR "leak" IN_LIST ALM_WEBHOOKS_SANITIZE))
    message(FATAL_ERROR "ALM_WEBHOOKS_SANITIZE: thread cannot be combined with address or leak")
  endif()
  list(JOIN ALM_WEBHOOKS_SANITIZE "," alm_webhooks_sanitizers)
  set(alm_webhooks_sanitize_flags -fsanitize=${alm_webhooks_sanitizers}
    -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(alm_webhooks_warnings INTERFACE ${alm_webhooks_sanitize_flags})
  target_link_options(alm_webhooks_warnings INTERFACE ${alm_webhooks_sanitize_flags})
  message(STATUS "alm-webhooks: own targets built with -fsanitize=${alm_webhooks_sanitizers}")
  unset(alm_webhooks_sanitizers)
  unset(alm_webhooks_sanitize_flags)
endif()
