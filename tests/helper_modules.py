"""Load a helper file of the tests (an emulator, a generator) as a module, once per session.

The test folders have no ``__init__.py``, and several hold a ``conftest.py``; a helper loaded by
path under a name of its own (``gx_clova_testhelper_<name>``) is the same module object for
every test file and conftest that asks for it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load(name: str, path: Path | str) -> ModuleType:
    module_name = f"gx_clova_testhelper_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]
