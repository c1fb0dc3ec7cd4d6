# Optional Redis support: the target alm::webhooks_redis (INTERFACE: alm::webhooks + hiredis) for
# the headers under include/alm/webhooks/redis/. hiredis comes from its CMake package where one
# exists (vcpkg, Conan: hiredis::hiredis), else from pkg-config (Debian's libhiredis-dev ships
# hiredis.pc). On by default in a top-level build that finds hiredis; a consumer that wants it
# through add_subdirectory or FetchContent sets ALM_WEBHOOKS_WITH_REDIS=ON.

set(_alm_webhooks_hiredis_target "")
find_package(hiredis CONFIG QUIET)
if(TARGET hiredis::hiredis)
  set(_alm_webhooks_hiredis_target hiredis::hiredis)
else()
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(ALM_WEBHOOKS_HIREDIS QUIET IMPORTED_TARGET hiredis)
    if(ALM_WEBHOOKS_HIREDIS_FOUND)
      set(_alm_webhooks_hiredis_target PkgConfig::ALM_WEBHOOKS_HIREDIS)
    endif()
  endif()
endif()

if(ALM_WEBHOOKS_TOP_LEVEL AND _alm_webhooks_hiredis_target)
  set(_alm_webhooks_redis_default ON)
else()
  set(_alm_webhooks_redis_default OFF)
endif()
option(ALM_WEBHOOKS_WITH_REDIS
  "Provide alm::webhooks_redis (Redis idempotency store and stream hand-off; needs hiredis)"
  ${_alm_webhooks_redis_default})

if(ALM_WEBHOOKS_WITH_REDIS)
  if(NOT _alm_webhooks_hiredis_target)
    message(FATAL_ERROR "ALM_WEBHOOKS_WITH_REDIS is ON but hiredis was found neither as a CMake "
      "package nor through pkg-config (Debian: apt-get install libhiredis-dev)")
  endif()
  add_library(alm_webhooks_redis INTERFACE)
  add_library(alm::webhooks_redis ALIAS alm_webhooks_redis)
  target_link_libraries(alm_webhooks_redis INTERFACE alm::webhooks ${_alm_webhooks_hiredis_target})
  message(STATUS "alm-webhooks: Redis support on (${_alm_webhooks_hiredis_target})")
endif()

unset(_alm_webhooks_hiredis_target)
unset(_alm_webhooks_redis_default)
