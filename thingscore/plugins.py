"""Loading plugins by name from entry-point groups.

The kernel never imports a plugin module directly: built-in plugins and third-party ones
are found the same way, through the ``things.*`` entry-point groups, with stevedore.
"""

from __future__ import annotations

from typing import Any

from stevedore import driver, extension

GROUPS = {
    "parser": "things.parsers",
    "pubsub": "things.pubsub",
    "fs": "things.fs",
    "scheduler": "things.schedulers",
    "runtime": "things.runtimes",
}


class PluginNotFound(LookupError):
    """No plugin of that kind is registered under that name."""


def available(kind: str) -> list[str]:
    """Names of the installed plugins of one kind, sorted."""
    mgr = extension.ExtensionManager(namespace=GROUPS[kind], invoke_on_load=False)
    return sorted(mgr.names())


def load_class(kind: str, name: str) -> Any:
    """The plugin class (or factory) registered as ``name`` in the group of ``kind``."""
    try:
        mgr = driver.DriverManager(namespace=GROUPS[kind], name=name, invoke_on_load=False)
    except Exception as exc:  # stevedore raises NoMatches / RuntimeError variants
        known = ", ".join(available(kind)) or "none"
        raise PluginNotFound(f"no {kind} plugin named {name!r} (installed: {known})") from exc
    return mgr.driver


def load(kind: str, name: str, **kwargs: Any) -> Any:
    """An instance of the plugin ``name`` of ``kind``, built with ``kwargs``."""
    return load_class(kind, name)(**kwargs)
