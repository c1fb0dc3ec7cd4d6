# Header-only: the project's own install rules put the headers, the CMake package and the
# pkg-config file in place. The httplib and beast features only add the dependencies of their
# adapter headers; redis also adds the target alm::webhooks_redis (component redis).
vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO alm-webhooks/alm-webhooks
    REF "v${VERSION}"
    SHA512 0
    HEAD_REF main
)

set(VCPKG_BUILD_TYPE release)

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES
        redis ALM_WEBHOOKS_WITH_REDIS
)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${FEATURE_OPTIONS}
        -DALM_WEBHOOKS_INSTALL=ON
        -DALM_WEBHOOKS_BUILD_TESTS=OFF
        -DALM_WEBHOOKS_BUILD_TOOLS=OFF
        -DALM_WEBHOOKS_BUILD_EXAMPLES=OFF
        -DALM_WEBHOOKS_BUILD_BENCHMARKS=OFF
        -DALM_WEBHOOKS_BUILD_FUZZERS=OFF
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME alm_webhooks CONFIG_PATH share/cmake/alm_webhooks)
vcpkg_fixup_pkgconfig()

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
