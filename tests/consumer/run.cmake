# Builds the consumer in this directory against an alm-webhooks source tree in one of the supported
# ways, checks what that way brings into the consumer's build, and runs the consumer on a sample
# body. One CTest test per way (registered by tests.cmake):
#
#   cmake -DVIA=<install|add_subdirectory|FetchContent> -DSOURCE_DIR=<alm-webhooks tree>
#         -DWORK_DIR=<scratch dir> -DBODY=<sample body> -DVERSION=<project version>
#         -DGENERATOR=<generator> [-DMAKE_PROGRAM=...] [-DCXX_COMPILER=...] [-DCXX_STANDARD=...]
#         [-DBUILD_TYPE=...] [-DWITH_REDIS=ON] -P run.cmake
#
# install:          configure the tree with tests and examples off, build, `cmake --install` to a
#                   fresh prefix, check the installed files, the version file and the pkg-config
#                   file, then build the consumer with find_package and with pkg-config.
# add_subdirectory,
# FetchContent:     build the consumer with the tree as a subproject and check that the
#                   subproject added no target but alm_webhooks (no tests, tools or examples).
# WITH_REDIS:       the consumer also links alm::webhooks_redis, asking for the package's redis
#                   component or turning ALM_WEBHOOKS_WITH_REDIS on in the subproject.
cmake_minimum_required(VERSION 3.19)  # string(JSON)

foreach(required VIA SOURCE_DIR WORK_DIR BODY VERSION GENERATOR)
  if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
    message(FATAL_ERROR "run.cmake: -D${required}=... is required")
  endif()
endforeach()
set(consumer_dir "${CMAKE_CURRENT_LIST_DIR}")

# Runs a command; stops the test with its output when it fails. Leaves stdout in run_output.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "failed (${status}): ${command}\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

# Options every configure step shares, so that all builds use the main build's toolchain.
set(toolchain_args -G "${GENERATOR}")
foreach(pair "MAKE_PROGRAM;CMAKE_MAKE_PROGRAM" "CXX_COMPILER;CMAKE_CXX_COMPILER"
    "CXX_STANDARD;CMAKE_CXX_STANDARD" "BUILD_TYPE;CMAKE_BUILD_TYPE")
  list(GET pair 0 ours)
  list(GET pair 1 theirs)
  if(NOT "${${ours}}" STREQUAL "")
    list(APPEND toolchain_args "-D${theirs}=${${ours}}")
  endif()
endforeach()
set(with_redis OFF)
if(WITH_REDIS)
  set(with_redis ON)
endif()
set(redis_args -DALM_CONSUMER_WITH_REDIS=${with_redis})
set(config_args "")
if(NOT "${BUILD_TYPE}" STREQUAL "")
  set(config_args --config "${BUILD_TYPE}")
endif()

# Reads the CMake file API's codemodel of a configured build: sets <out_names> to the names of its
# targets and <out_consumer> to the path of the consumer executable.
function(read_codemodel build_dir out_names out_consumer)
  file(GLOB index "${build_dir}/.cmake/api/v1/reply/index-*.json")
  if(NOT index)
    message(FATAL_ERROR "no file API reply in ${build_dir}")
  endif()
  set(reply_dir "${build_dir}/.cmake/api/v1/reply")
  file(READ "${index}" json)
  string(JSON codemodel_file GET "${json}" reply codemodel-v2 jsonFile)
  file(READ "${reply_dir}/${codemodel_file}" codemodel)
  string(JSON configuration GET "${codemodel}" configurations 0)
  string(JSON count LENGTH "${configuration}" targets)
  set(names "")
  set(consumer "")
  math(EXPR last "${count} - 1")
  foreach(i RANGE ${last})
    string(JSON name GET "${configuration}" targets ${i} name)
    list(APPEND names "${name}")
    if(name STREQUAL "consumer")
      string(JSON target_file GET "${configuration}" targets ${i} jsonFile)
      file(READ "${reply_dir}/${target_file}" target)
      string(JSON artifact GET "${target}" artifacts 0 path)
      set(consumer "${build_dir}/${artifact}")
    endif()
  endforeach()
  set(${out_names} "${names}" PARENT_SCOPE)
  set(${out_consumer} "${consumer}" PARENT_SCOPE)
endfunction()

# Runs a consumer executable on the sample body; it must succeed and report this version.
function(run_consumer executable)
  run("${executable}" "${BODY}")
  if(NOT run_output MATCHES "^alm-webhooks ([^\n]*)\n")
    message(FATAL_ERROR "consumer did not print its version:\n${run_output}")
  endif()
  if(NOT CMAKE_MATCH_1 STREQUAL VERSION)
    message(FATAL_ERROR "consumer saw version ${CMAKE_MATCH_1}, the project is ${VERSION}")
  endif()
  message(STATUS "${executable}:\n${run_output}")
endfunction()

# Configures, checks, builds and runs the consumer with the given extra cache entries.
function(build_consumer)
  set(build_dir "${WORK_DIR}/consumer-build")
  file(WRITE "${build_dir}/.cmake/api/v1/query/codemodel-v2" "")
  run("${CMAKE_COMMAND}" -S "${consumer_dir}" -B "${build_dir}" ${toolchain_args} ${redis_args}
    ${ARGN})
  read_codemodel("${build_dir}" targets consumer)
  list(REMOVE_ITEM targets consumer alm_webhooks alm_webhooks_redis)
  if(targets)
    message(FATAL_ERROR "the consumer's build has targets it should not: ${targets}")
  endif()
  run("${CMAKE_COMMAND}" --build "${build_dir}" ${config_args})
  run_consumer("${consumer}")
endfunction()

# Every installed file must be one the package is meant to ship; the tool is expected when the
# project's build has its target (it needs cpp-httplib).
function(check_installed_files prefix with_tool)
  file(GLOB_RECURSE files RELATIVE "${prefix}" "${prefix}/*")
  set(allowed
    "^include/alm/webhooks(/.+)?\\.hpp$"
    "^share/cmake/alm_webhooks/alm_webhooks(Config|ConfigVersion|(_redis)?Targets[-a-z]*)\\.cmake$"
    "^share/pkgconfig/alm_webhooks\\.pc$"
    "^share/doc/alm_webhooks/LICENSE$"
    "^bin/alm-webhooks(\\.exe)?$")
  foreach(file IN LISTS files)
    set(known OFF)
    foreach(pattern IN LISTS allowed)
      if(file MATCHES "${pattern}")
        set(known ON)
      endif()
    endforeach()
    if(NOT known)
      message(FATAL_ERROR "cmake --install put an unexpected file in the prefix: ${file}")
    endif()
  endforeach()
  set(expected include/alm/webhooks.hpp include/alm/webhooks/version.hpp
    share/cmake/alm_webhooks/alm_webhooksConfig.cmake
    share/cmake/alm_webhooks/alm_webhooksConfigVersion.cmake
    share/cmake/alm_webhooks/alm_webhooksTargets.cmake share/pkgconfig/alm_webhooks.pc
    share/doc/alm_webhooks/LICENSE)
  if(with_tool)
    list(APPEND expected bin/alm-webhooks)
  endif()
  if(WITH_REDIS)
    list(APPEND expected share/cmake/alm_webhooks/alm_webhooks_redisTargets.cmake)
  endif()
  foreach(file IN LISTS expected)
    if(NOT EXISTS "${prefix}/${file}" AND NOT EXISTS "${prefix}/${file}.exe")
      message(FATAL_ERROR "cmake --install did not install ${file}")
    endif()
  endforeach()
endfunction()

# Asks the installed version file what a find_package(alm_webhooks <requested>) would get.
function(version_answer file requested pointer_size out_compatible out_unsuitable)
  set(PACKAGE_FIND_VERSION "${requested}")
  string(REPLACE "." ";" parts "${requested}")
  list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
  list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
  set(PACKAGE_FIND_VERSION_COUNT 3)
  set(CMAKE_SIZEOF_VOID_P ${pointer_size})
  unset(PACKAGE_VERSION_COMPATIBLE)
  unset(PACKAGE_VERSION_UNSUITABLE)
  include("${file}")
  if(NOT PACKAGE_VERSION STREQUAL VERSION)
    message(FATAL_ERROR "the version file says ${PACKAGE_VERSION}, the project is ${VERSION}")
  endif()
  set(${out_compatible} "${PACKAGE_VERSION_COMPATIBLE}" PARENT_SCOPE)
  set(${out_unsuitable} "${PACKAGE_VERSION_UNSUITABLE}" PARENT_SCOPE)
endfunction()

# The version file carries the project version, accepts the same major version only, and is
# architecture-independent (a header-only package suits 32- and 64-bit consumers alike).
function(check_version_file prefix)
  set(file "${prefix}/share/cmake/alm_webhooks/alm_webhooksConfigVersion.cmake")
  string(REPLACE "." ";" parts "${VERSION}")
  list(GET parts 0 major)
  math(EXPR next_major "${major} + 1")
  version_answer("${file}" "${major}.0.0" 4 compatible unsuitable)
  if(NOT compatible OR unsuitable)
    message(FATAL_ERROR "the version file rejects ${major}.0.0 or a 32-bit consumer")
  endif()
  version_answer("${file}" "${next_major}.0.0" 8 compatible unsuitable)
  if(compatible)
    message(FATAL_ERROR "the version file accepts a request for ${next_major}.0.0")
  endif()
endfunction()

# Builds and runs the consumer with nothing but the flags `pkg-config --cflags --libs` gives.
function(check_pkg_config prefix)
  find_program(pkg_config NAMES pkg-config pkgconf)
  if(NOT pkg_config OR "${CXX_COMPILER}" STREQUAL "")
    message(STATUS "pkg-config check skipped: no pkg-config or no compiler given")
    return()
  endif()
  set(ENV{PKG_CONFIG_PATH} "${prefix}/share/pkgconfig")
  run("${pkg_config}" --modversion alm_webhooks)
  string(STRIP "${run_output}" pc_version)
  if(NOT pc_version STREQUAL VERSION)
    message(FATAL_ERROR "alm_webhooks.pc says ${pc_version}, the project is ${VERSION}")
  endif()
  run("${pkg_config}" --cflags --libs alm_webhooks)
  separate_arguments(flags UNIX_COMMAND "${run_output}")
  set(standard 17)
  if(NOT "${CXX_STANDARD}" STREQUAL "")
    set(standard ${CXX_STANDARD})
  endif()
  set(executable "${WORK_DIR}/consumer-pkg-config")
  run("${CXX_COMPILER}" -std=c++${standard} "${consumer_dir}/main.cpp" ${flags} -o "${executable}")
  run_consumer("${executable}")
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
if(VIA STREQUAL "install")
  set(project_build "${WORK_DIR}/project-build")
  set(prefix "${WORK_DIR}/prefix")
  file(WRITE "${project_build}/.cmake/api/v1/query/codemodel-v2" "")
  run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${project_build}" ${toolchain_args}
    -DALM_WEBHOOKS_BUILD_TESTS=OFF -DALM_WEBHOOKS_BUILD_EXAMPLES=OFF -DALM_WEBHOOKS_INSTALL=ON
    -DALM_WEBHOOKS_WITH_REDIS=${with_redis})
  read_codemodel("${project_build}" project_targets unused)
  set(with_tool OFF)
  if("alm-webhooks" IN_LIST project_targets)
    set(with_tool ON)
  endif()
  run("${CMAKE_COMMAND}" --build "${project_build}" ${config_args})
  run("${CMAKE_COMMAND}" --install "${project_build}" --prefix "${prefix}" ${config_args})
  check_installed_files("${prefix}" ${with_tool})
  check_version_file("${prefix}")
  build_consumer(-DALM_CONSUMER_VIA=find_package "-DCMAKE_PREFIX_PATH=${prefix}")
  file(STRINGS "${WORK_DIR}/consumer-build/CMakeCache.txt" found REGEX "^alm_webhooks_DIR:")
  if(NOT found STREQUAL "alm_webhooks_DIR:PATH=${prefix}/share/cmake/alm_webhooks")
    message(FATAL_ERROR "find_package found another alm_webhooks: ${found}")
  endif()
  check_pkg_config("${prefix}")
elseif(VIA STREQUAL "add_subdirectory" OR VIA STREQUAL "FetchContent")
  build_consumer(-DALM_CONSUMER_VIA=${VIA} "-DALM_CONSUMER_SOURCE_DIR=${SOURCE_DIR}")
else()
  message(FATAL_ERROR "run.cmake: VIA must be install, add_subdirectory or FetchContent")
endif()
