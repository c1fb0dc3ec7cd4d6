# Finds cpp-httplib for the optional adapter's tests and examples and defines the imported
# target httplib::httplib (global, so that every directory of the build sees it):
# 1. cpp-httplib's own CMake package (vcpkg, Conan, an upstream install), when there is one;
# 2. pkg-config's cpp-httplib (Debian's libcpp-httplib-dev: a compiled library whose flags must
#    match how it was built);
# 3. a bare httplib.h (the header-only form).
# Sets httplib_FOUND. Never REQUIRED by the project: the adapter is optional.
if(TARGET httplib::httplib)
  set(httplib_FOUND TRUE)
  return()
endif()

find_package(httplib CONFIG QUIET)
if(TARGET httplib::httplib)
  set(httplib_FOUND TRUE)
  return()
endif()

find_package(Threads QUIET)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(ALM_WEBHOOKS_HTTPLIB QUIET IMPORTED_TARGET GLOBAL cpp-httplib)
endif()

if(TARGET PkgConfig::ALM_WEBHOOKS_HTTPLIB)
  add_library(httplib::httplib INTERFACE IMPORTED GLOBAL)
  target_link_libraries(httplib::httplib INTERFACE PkgConfig::ALM_WEBHOOKS_HTTPLIB Threads::Threads)
  set(httplib_VERSION "${ALM_WEBHOOKS_HTTPLIB_VERSION}")
  set(ALM_WEBHOOKS_HTTPLIB_HEADER "${ALM_WEBHOOKS_HTTPLIB_INCLUDEDIR}")
else()
  find_path(ALM_WEBHOOKS_HTTPLIB_HEADER httplib.h)
  if(ALM_WEBHOOKS_HTTPLIB_HEADER)
    add_library(httplib::httplib INTERFACE IMPORTED GLOBAL)
    target_include_directories(httplib::httplib INTERFACE "${ALM_WEBHOOKS_HTTPLIB_HEADER}")
    target_link_libraries(httplib::httplib INTERFACE Threads::Threads)
  endif()
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(httplib REQUIRED_VARS ALM_WEBHOOKS_HTTPLIB_HEADER
                                  VERSION_VAR httplib_VERSION)
