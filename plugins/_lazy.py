"""Client libraries imported on first use, so that importing a plugin module is cheap.

Why: the kernel reads what plugins declare about themselves (URL schemes, default URLs,
which one is the default) from their classes, so choosing the plugin for ``--fs=/dir``
imports every file-system plugin module. A plugin module that imported pymongo or
redis-py at the top would make every command pay for every backend. ``lazy_import``
returns the module object at once and runs its code when an attribute is first read
(``importlib.util.LazyLoader``), so the code using it reads as an ordinary import.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    """The module ``name``, loaded when one of its attributes is first used.

    A dotted name imports its parent packages at once (that is how Python finds a
    submodule): use it for light parents only (``paho.mqtt.client``), and reach the
    submodules of a heavy package as attributes (``pymongo.errors``).
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
