"""Client libraries imported on first use, so that importing a plugin module is cheap.

Why: the kernel reads what plugins declare about themselves (URL schemes, default URLs,
which one is the default) from their classes, so choosing the plugin for ``--fs=/dir``
imports every file-system plugin module. A plugin module that imported pymongo or
redis-py at the top would make every command pay for every backend. ``lazy_import``
returns a stand-in at once whose first attribute read imports the module the ordinary way
(so the code using it reads as an ordinary import).

The import itself is a plain ``importlib.import_module`` under the interpreter's import
lock: ``importlib.util.LazyLoader`` was used before, and on Python 3.11 a module it loads
can end up with two copies of its exception classes (seen: pymongo's ``InvalidURI`` not
caught by ``except pymongo.errors.InvalidURI`` in a long test run).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any


def import_without(name: str, optional: tuple[str, ...]) -> ModuleType:
    """Import ``name`` as if the modules ``optional`` were not installed (those not imported
    yet): for a library that imports an optional dependency at its top which we never use
    (paho-mqtt and dnspython, installed for pymongo: 50-100 ms of every MQTT command). Only
    this import is affected; the modules can be imported normally afterwards."""
    hidden = [m for m in optional if m not in sys.modules]
    for m in hidden:
        sys.modules[m] = None  # type: ignore[assignment]  # `import m` raises ImportError
    try:
        return importlib.import_module(name)
    finally:
        for m in hidden:
            if m in sys.modules and sys.modules[m] is None:
                del sys.modules[m]


class _OnFirstUse:
    """Stands for a module until an attribute of it is read; then every read is the module's."""

    def __init__(self, name: str, optional: tuple[str, ...] = ()) -> None:
        self._name = name
        self._optional = optional
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = import_without(self._name, self._optional)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"


def lazy_import(name: str, *, optional: tuple[str, ...] = ()) -> Any:
    """The module ``name`` (a stand-in), imported when one of its attributes is first read
    (without the modules ``optional``: see :func:`import_without`).

    Submodules of a package are reached as attributes (``pymongo.errors``): the package's own
    import makes them attributes of it."""
    if importlib.util.find_spec(name.split(".")[0]) is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    return _OnFirstUse(name, optional)
