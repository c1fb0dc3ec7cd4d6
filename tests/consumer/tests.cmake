# Packaging tests, included from tests/CMakeLists.txt. The consumer in this directory is built
# against the working tree three ways (run.cmake), and the version written in the vcpkg port and
# the Conan recipe is checked against the project version (check_versions.cmake).
foreach(via install add_subdirectory FetchContent)
  string(TOLOWER "consumer_${via}" name)
  add_test(NAME ${name} COMMAND "${CMAKE_COMMAND}"
    "-DVIA=${via}"
    "-DSOURCE_DIR=${alm_webhooks_SOURCE_DIR}"
    "-DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/${name}"
    "-DBODY=${ALM_WEBHOOKS_TEST_DATA}/legacy-course-enrollment-batch.json"
    "-DVERSION=${alm_webhooks_VERSION}"
    "-DGENERATOR=${CMAKE_GENERATOR}"
    "-DMAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}"
    "-DCXX_COMPILER=${CMAKE_CXX_COMPILER}"
    "-DCXX_STANDARD=${CMAKE_CXX_STANDARD}"
    "-DBUILD_TYPE=$<CONFIG>"
    "-DWITH_REDIS=$<TARGET_EXISTS:alm_webhooks_redis>"
    -P "${CMAKE_CURRENT_LIST_DIR}/run.cmake")
  set_tests_properties(${name} PROPERTIES LABELS "consumer;packaging")
endforeach()

add_test(NAME packaging_versions COMMAND "${CMAKE_COMMAND}"
  "-DSOURCE_DIR=${alm_webhooks_SOURCE_DIR}"
  "-DVERSION=${alm_webhooks_VERSION}"
  -P "${CMAKE_CURRENT_LIST_DIR}/check_versions.cmake")
set_tests_properties(packaging_versions PROPERTIES LABELS packaging)
