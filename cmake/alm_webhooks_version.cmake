# Generates alm/webhooks/version.hpp from project(VERSION), so the version is written down once.
# The header lands in the build tree and is added to the target for builds (add_subdirectory,
# FetchContent); the install rules copy it next to the other headers.
set(ALM_WEBHOOKS_GENERATED_INCLUDEDIR "${alm_webhooks_BINARY_DIR}/generated/include")
configure_file("${CMAKE_CURRENT_LIST_DIR}/alm_webhooks_version.hpp.in"
  "${ALM_WEBHOOKS_GENERATED_INCLUDEDIR}/alm/webhooks/version.hpp" @ONLY)
target_include_directories(alm_webhooks INTERFACE
  $<BUILD_INTERFACE:${ALM_WEBHOOKS_GENERATED_INCLUDEDIR}>)
