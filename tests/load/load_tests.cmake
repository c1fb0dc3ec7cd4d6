# The load and fault test (CTest label "load"), included from tests/CMakeLists.txt: the
# cpp-httplib adapter under concurrent loopback clients for 10 s. Run it longer by hand, e.g.
#   build/dev/tests/load_fault_test --seconds 300 --clients 32
find_package(httplib)
find_package(Threads REQUIRED)
if(TARGET httplib::httplib)
  alm_webhooks_add_test(load_fault_test SOURCES load/load_fault_test.cpp
    LIBRARIES httplib::httplib Threads::Threads LABELS load)
  set_tests_properties(load_fault_test PROPERTIES TIMEOUT 300)
endif()
