# Checks that the version written once, in project(VERSION), is the one the vcpkg port and the
# Conan recipe carry, and that the packaging manifests parse.
#   cmake -DSOURCE_DIR=<alm-webhooks tree> -DVERSION=<project version> -P check_versions.cmake
cmake_minimum_required(VERSION 3.19)  # string(JSON)

# string(JSON) stops with a parse error when a manifest is not valid JSON.
file(READ "${SOURCE_DIR}/ports/alm-webhooks/vcpkg.json" port_manifest)
string(JSON port_version GET "${port_manifest}" version)
if(NOT port_version STREQUAL VERSION)
  message(FATAL_ERROR
    "ports/alm-webhooks/vcpkg.json has version ${port_version}, the project is ${VERSION}")
endif()
file(READ "${SOURCE_DIR}/vcpkg.json" manifest)
string(JSON manifest_type TYPE "${manifest}")

# The port must download the tag of its own version, not a tag written by hand.
file(READ "${SOURCE_DIR}/ports/alm-webhooks/portfile.cmake" portfile)
string(FIND "${portfile}" "REF \"v\${VERSION}\"" ref_at)
if(ref_at EQUAL -1)
  message(FATAL_ERROR "ports/alm-webhooks/portfile.cmake must fetch REF \"v\${VERSION}\"")
endif()

find_program(python NAMES python3 python REQUIRED)
foreach(recipe conanfile.py test_package/conanfile.py)
  execute_process(COMMAND "${python}" -c
      "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])" "${SOURCE_DIR}/${recipe}"
    RESULT_VARIABLE status ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${recipe} is not valid Python:\n${err}")
  endif()
endforeach()
execute_process(COMMAND "${python}" "${CMAKE_CURRENT_LIST_DIR}/recipe_version.py"
    "${SOURCE_DIR}/conanfile.py"
  RESULT_VARIABLE status OUTPUT_VARIABLE recipe_version ERROR_VARIABLE err
  OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "running the Conan recipe's set_version() failed:\n${err}")
endif()
if(NOT recipe_version STREQUAL VERSION)
  message(FATAL_ERROR "conanfile.py gives version ${recipe_version}, the project is ${VERSION}")
endif()
message(STATUS "project, vcpkg port and Conan recipe agree on ${VERSION}")
