# Install rules: the headers (the whole include/ tree plus the generated version.hpp), the
# alm-webhooks tool when this build has it, the CMake package alm_webhooks (target alm::webhooks)
# and a pkg-config file. Included at the end of the top-level CMakeLists.txt, after tools/ has
# been added, so that `if(TARGET ...)` sees every target.
include(CMakePackageConfigHelpers)

# The package is header-only, so its CMake and pkg-config files are architecture-independent and
# go under share/. Packagers may move them.
set(ALM_WEBHOOKS_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/alm_webhooks"
  CACHE STRING "Install directory of alm_webhooksConfig.cmake, relative to the prefix")
set(ALM_WEBHOOKS_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATADIR}/pkgconfig"
  CACHE STRING "Install directory of alm_webhooks.pc, relative to the prefix")

install(DIRECTORY "${alm_webhooks_SOURCE_DIR}/include/" "${ALM_WEBHOOKS_GENERATED_INCLUDEDIR}/"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  COMPONENT alm_webhooks_development
  FILES_MATCHING PATTERN "*.hpp")

install(FILES "${alm_webhooks_SOURCE_DIR}/LICENSE"
  DESTINATION "${CMAKE_INSTALL_DOCDIR}"
  COMPONENT alm_webhooks_development)

install(TARGETS alm_webhooks EXPORT alm_webhooks_targets)
install(EXPORT alm_webhooks_targets
  NAMESPACE alm::
  FILE alm_webhooksTargets.cmake
  DESTINATION "${ALM_WEBHOOKS_INSTALL_CMAKEDIR}"
  COMPONENT alm_webhooks_development)

# alm::webhooks_redis (ALM_WEBHOOKS_WITH_REDIS) goes in a file of its own, which the package
# config loads only when hiredis can be found the way this build found it: a consumer without
# hiredis still gets alm::webhooks. Ask for it with find_package(... COMPONENTS redis).
set(ALM_WEBHOOKS_REDIS_HIREDIS "")
if(TARGET alm_webhooks_redis)
  set_target_properties(alm_webhooks_redis PROPERTIES EXPORT_NAME webhooks_redis)
  get_target_property(redis_links alm_webhooks_redis INTERFACE_LINK_LIBRARIES)
  list(REMOVE_ITEM redis_links alm::webhooks)
  list(LENGTH redis_links redis_link_count)
  if(NOT redis_link_count EQUAL 1)
    message(FATAL_ERROR "alm_webhooks_redis should link alm::webhooks and one hiredis target, "
      "links: ${redis_links}")
  endif()
  set(ALM_WEBHOOKS_REDIS_HIREDIS "${redis_links}")
  unset(redis_links)
  unset(redis_link_count)
  install(TARGETS alm_webhooks_redis EXPORT alm_webhooks_redis_targets)
  install(EXPORT alm_webhooks_redis_targets
    NAMESPACE alm::
    FILE alm_webhooks_redisTargets.cmake
    DESTINATION "${ALM_WEBHOOKS_INSTALL_CMAKEDIR}"
    COMPONENT alm_webhooks_development)
endif()

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/alm_webhooksConfig.cmake.in"
  "${alm_webhooks_BINARY_DIR}/alm_webhooksConfig.cmake"
  INSTALL_DESTINATION "${ALM_WEBHOOKS_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${alm_webhooks_BINARY_DIR}/alm_webhooksConfigVersion.cmake"
  VERSION "${alm_webhooks_VERSION}"
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)
install(FILES
  "${alm_webhooks_BINARY_DIR}/alm_webhooksConfig.cmake"
  "${alm_webhooks_BINARY_DIR}/alm_webhooksConfigVersion.cmake"
  DESTINATION "${ALM_WEBHOOKS_INSTALL_CMAKEDIR}"
  COMPONENT alm_webhooks_development)

# The .pc file finds its prefix from its own location (${pcfiledir}), so the installed tree stays
# relocatable: `cmake --install --prefix`, vcpkg and Conan all move it after configuration.
if(IS_ABSOLUTE "${ALM_WEBHOOKS_INSTALL_PKGCONFIGDIR}")
  message(FATAL_ERROR "ALM_WEBHOOKS_INSTALL_PKGCONFIGDIR must be relative to the prefix")
endif()
file(RELATIVE_PATH ALM_WEBHOOKS_PC_PREFIX "/prefix/${ALM_WEBHOOKS_INSTALL_PKGCONFIGDIR}" "/prefix")
string(REGEX REPLACE "/$" "" ALM_WEBHOOKS_PC_PREFIX "\${pcfiledir}/${ALM_WEBHOOKS_PC_PREFIX}")
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(ALM_WEBHOOKS_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(ALM_WEBHOOKS_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/alm_webhooks.pc.in"
  "${alm_webhooks_BINARY_DIR}/alm_webhooks.pc" @ONLY)
install(FILES "${alm_webhooks_BINARY_DIR}/alm_webhooks.pc"
  DESTINATION "${ALM_WEBHOOKS_INSTALL_PKGCONFIGDIR}"
  COMPONENT alm_webhooks_development)

if(TARGET alm-webhooks)
  install(TARGETS alm-webhooks
    RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
    COMPONENT alm_webhooks_tool)
endif()
