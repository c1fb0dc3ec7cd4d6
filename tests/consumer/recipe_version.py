"""Prints the version the Conan recipe gives itself, by running its set_version().

Conan itself is not needed: the `conan` modules the recipe imports are replaced by stand-ins,
except `load`, which set_version uses to read CMakeLists.txt.
Usage: python3 recipe_version.py <path to conanfile.py>
"""
import importlib.util
import os
import sys
import types


class _StandIn(types.ModuleType):
    def __getattr__(self, name):
        return lambda *args, **kwargs: None


class ConanFile:
    pass


def load(conanfile, path, encoding="utf-8"):
    with open(path, encoding=encoding) as file:
        return file.read()


def main(recipe):
    sys.dont_write_bytecode = True
    for name in ("conan", "conan.errors", "conan.tools", "conan.tools.build",
                 "conan.tools.cmake", "conan.tools.files", "conan.tools.layout"):
        sys.modules[name] = _StandIn(name)
    sys.modules["conan"].ConanFile = ConanFile
    sys.modules["conan.errors"].ConanException = RuntimeError
    sys.modules["conan.tools.files"].load = load

    spec = importlib.util.spec_from_file_location("recipe", recipe)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    recipes = [value for value in vars(module).values()
               if isinstance(value, type) and issubclass(value, ConanFile) and value is not ConanFile]
    if len(recipes) != 1:
        sys.exit(f"expected one recipe class in {recipe}, found {len(recipes)}")
    instance = recipes[0].__new__(recipes[0])
    instance.recipe_folder = os.path.dirname(os.path.abspath(recipe))
    instance.set_version()
    print(instance.version)


if __name__ == "__main__":
    main(sys.argv[1])
