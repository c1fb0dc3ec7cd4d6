# Release step: writes into ports/alm-webhooks/portfile.cmake the SHA512 of the archive that
# vcpkg_from_github downloads for the tag v<version> (the version in the port's vcpkg.json, which
# the packaging_versions test keeps equal to the project version). Run once the tag is pushed:
#   cmake -P cmake/alm_webhooks_port_sha512.cmake
#   cmake -DARCHIVE=<downloaded .tar.gz> -P cmake/alm_webhooks_port_sha512.cmake   (no download)
cmake_minimum_required(VERSION 3.19)  # string(JSON)

get_filename_component(port_dir "${CMAKE_CURRENT_LIST_DIR}/../ports/alm-webhooks" ABSOLUTE)
file(READ "${port_dir}/vcpkg.json" manifest)
string(JSON version GET "${manifest}" version)
file(READ "${port_dir}/portfile.cmake" portfile)
if(NOT portfile MATCHES "REPO ([^ \n]+)")
  message(FATAL_ERROR "no REPO in ${port_dir}/portfile.cmake")
endif()
set(url "https://github.com/${CMAKE_MATCH_1}/archive/v${version}.tar.gz")

if(NOT DEFINED ARCHIVE)
  set(ARCHIVE "${CMAKE_CURRENT_BINARY_DIR}/alm-webhooks-v${version}.tar.gz")
  file(DOWNLOAD "${url}" "${ARCHIVE}" STATUS status TLS_VERIFY ON)
  list(GET status 0 code)
  if(NOT code EQUAL 0)
    list(GET status 1 reason)
    file(REMOVE "${ARCHIVE}")
    message(FATAL_ERROR "cannot download ${url}: ${reason}")
  endif()
endif()
file(SHA512 "${ARCHIVE}" hash)
string(REGEX REPLACE "SHA512 [0-9a-f]+" "SHA512 ${hash}" updated "${portfile}")
file(WRITE "${port_dir}/portfile.cmake" "${updated}")
message(STATUS "portfile.cmake: SHA512 of ${url} is ${hash}")
