"""Conan 2 recipe for alm-webhooks, a header-only SDK for Adobe Learning Manager webhooks.

`conan create .` packages the working tree: the project's own CMake install runs (tests, tools
and examples off), and Conan's generators then describe the package to consumers as the CMake
package alm_webhooks with the target alm::webhooks, like the project's own install does.
"""
import os
import re

from conan import ConanFile
from conan.errors import ConanException
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir

required_conan_version = ">=2.0"


class AlmWebhooksConan(ConanFile):
    name = "alm-webhooks"
    description = "Receive Adobe Learning Manager webhooks in C++: verify, parse zero-copy, dispatch"
    license = "MIT"
    homepage = "https://github.com/alm-webhooks/alm-webhooks"
    url = "https://github.com/alm-webhooks/alm-webhooks"
    topics = ("webhooks", "adobe-learning-manager", "simdjson", "hmac", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {
        "with_httplib": [True, False],
        "with_beast": [True, False],
        "with_redis": [True, False],
    }
    default_options = {
        "with_httplib": False,
        "with_beast": False,
        "with_redis": False,
    }
    exports_sources = "CMakeLists.txt", "LICENSE*", "cmake/*", "include/*"
    no_copy_source = True

    def set_version(self):
        # The CMake project version is the one place the version is written.
        cmakelists = load(self, os.path.join(self.recipe_folder, "CMakeLists.txt"))
        match = re.search(r"project\(\s*alm_webhooks\s+VERSION\s+([0-9]+(?:\.[0-9]+)*)", cmakelists)
        if not match:
            raise ConanException("no project(alm_webhooks VERSION ...) in CMakeLists.txt")
        self.version = match.group(1)

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        # The public headers include these, so consumers see them too.
        self.requires("simdjson/[>=3.0 <4]", transitive_headers=True)
        self.requires("openssl/[>=3.0 <4]", transitive_headers=True)
        self.requires("fmt/[>=9.1 <12]", transitive_headers=True)
        # Each adapter header needs its host library; the option brings it in.
        if self.options.with_httplib:
            self.requires("cpp-httplib/[>=0.11 <1]", transitive_headers=True)
        if self.options.with_beast:
            self.requires("boost/[>=1.74 <2]", transitive_headers=True)
        if self.options.with_redis:
            self.requires("hiredis/[>=0.14 <2]", transitive_headers=True)

    def package_id(self):
        self.info.clear()

    def validate(self):
        if self.settings.get_safe("compiler.cppstd"):
            check_min_cppstd(self, 17)

    def generate(self):
        toolchain = CMakeToolchain(self)
        toolchain.cache_variables["ALM_WEBHOOKS_INSTALL"] = True
        toolchain.cache_variables["ALM_WEBHOOKS_WITH_REDIS"] = bool(self.options.with_redis)
        for part in ("TESTS", "TOOLS", "EXAMPLES", "BENCHMARKS", "FUZZERS"):
            toolchain.cache_variables[f"ALM_WEBHOOKS_BUILD_{part}"] = False
        toolchain.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()

    def package(self):
        copy(self, "LICENSE*", self.source_folder, os.path.join(self.package_folder, "licenses"))
        CMake(self).install()
        # Conan's generators describe the package (package_info); the project's own files would
        # point at the project's find_package calls instead of Conan's.
        rmdir(self, os.path.join(self.package_folder, "share"))

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.set_property("cmake_file_name", "alm_webhooks")
        self.cpp_info.set_property("cmake_target_name", "alm::webhooks")
        self.cpp_info.set_property("pkg_config_name", "alm_webhooks")
        if self.options.with_redis:
            # The project's name for the Redis support; here the package target brings hiredis.
            self.cpp_info.set_property("cmake_target_aliases", ["alm::webhooks_redis"])
