# Warnings for the project's own targets (tests, tools, examples); never imposed on consumers.
add_library(alm_webhooks_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(alm_webhooks_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
    -Wconversion -Wno-sign-conversion)
  if(ALM_WEBHOOKS_WERROR)
    target_compile_options(alm_webhooks_warnings INTERFACE -Werror)
  endif()
endif()
