"""Loading plugins by name, by URL and by default, from entry-point groups.

The kernel never imports a plugin module directly and keeps no table of plugin names:
built-in plugins and third-party ones are found the same way, through the ``things.*``
entry-point groups, and what the kernel must know about a plugin the plugin declares as
data on its class (read with :func:`declaration`):

- ``schemes``: the URL schemes it answers to (``("redis", "rediss")``), so that
  ``--pubsub=rediss://host`` or ``--fs=mongodb://host/db`` picks it;
- ``default_url``: the URL its bare word stands for (``--pubsub=mqtt`` is
  ``mqtt://127.0.0.1:1883``); the bare word is the plugin's entry-point name;
- ``default_priority``: > 0 when it may be the default of its kind (used when nothing
  else is configured); the highest wins, ties go to the first name in sorted order;
- ``accepts_paths``: a file-system plugin that takes a plain directory path (``--fs=/srv/x``).

Declarations are read by importing every plugin class of a kind, so plugin modules keep
their own heavy imports lazy (see ``things_plugins._lazy``); a plugin that cannot be
imported is skipped with a warning instead of breaking the choice among the others.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from stevedore import driver

GROUPS = {
    "parser": "things.parsers",
    "pubsub": "things.pubsub",
    "fs": "things.fs",
    "scheduler": "things.schedulers",
    "runtime": "things.runtimes",
}

log = logging.getLogger("things.plugins")

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_NAMED_URL = re.compile(r"([A-Za-z0-9_.-]+)=(.+)", re.S)


class PluginNotFound(LookupError):
    """No plugin of that kind is registered under that name (or answers to that URL)."""


@dataclass(frozen=True)
class Declaration:
    """What one plugin says about itself (class attributes; all optional)."""

    name: str
    schemes: tuple[str, ...] = ()
    default_url: str | None = None
    default_priority: int = 0
    accepts_paths: bool = False


@functools.cache
def _all_entry_points() -> dict[str, dict[str, EntryPoint]]:
    """Our entry points by group and name, read once per process (a scan of every installed
    distribution's metadata: too slow to repeat for each question); see :func:`refresh`."""
    installed = entry_points()
    found: dict[str, dict[str, EntryPoint]] = {}
    for group in GROUPS.values():
        by_name = found[group] = {}
        for ep in installed.select(group=group):
            by_name.setdefault(ep.name, ep)  # the first one of a name wins, as stevedore's would
    return found


def _entry_points(kind: str) -> dict[str, EntryPoint]:
    return _all_entry_points()[GROUPS[kind]]


def refresh() -> None:
    """Forget what was read about installed plugins (after installing one in this process)."""
    _all_entry_points.cache_clear()
    _declared.cache_clear()


def available(kind: str) -> list[str]:
    """Names of the installed plugins of one kind, sorted (reads metadata only: nothing is imported)."""
    return sorted(_entry_points(kind))


def load_class(kind: str, name: str | None) -> Any:
    """The plugin class (or factory) registered as ``name`` in the group of ``kind`` (its
    kind's default when None)."""
    name = name or default_name(kind)
    try:
        mgr = driver.DriverManager(namespace=GROUPS[kind], name=name, invoke_on_load=False)
    except Exception as exc:  # stevedore raises NoMatches / RuntimeError variants
        known = ", ".join(available(kind)) or "none"
        raise PluginNotFound(f"no {kind} plugin named {name!r} (installed: {known})") from exc
    return mgr.driver


def load(kind: str, name: str | None, **kwargs: Any) -> Any:
    """An instance of the plugin ``name`` of ``kind`` (its kind's default when None), built with ``kwargs``."""
    return load_class(kind, name or default_name(kind))(**kwargs)


@functools.cache
def _declared(kind: str, name: str) -> Declaration | None:
    """The declaration of one installed plugin; None when it cannot be imported (logged)."""
    ep = _entry_points(kind).get(name)
    if ep is None:
        return None
    try:
        cls = ep.load()
    except Exception as exc:  # a broken third-party plugin must not hide the others
        log.warning("%s plugin %r cannot be loaded (%s: %s): skipped", kind, name, type(exc).__name__, exc)
        return None
    schemes = getattr(cls, "schemes", ())
    return Declaration(
        name=name,
        schemes=tuple(s.lower() for s in ((schemes,) if isinstance(schemes, str) else schemes)),
        default_url=getattr(cls, "default_url", None) or None,
        default_priority=int(getattr(cls, "default_priority", 0) or 0),
        accepts_paths=bool(getattr(cls, "accepts_paths", False)),
    )


def declaration(kind: str, name: str) -> Declaration:
    """What the plugin ``name`` of ``kind`` declares about itself."""
    found = _declared(kind, name)
    if found is None:
        known = ", ".join(available(kind)) or "none"
        raise PluginNotFound(f"no usable {kind} plugin named {name!r} (installed: {known})")
    return found


def declarations(kind: str) -> list[Declaration]:
    """The declarations of every importable plugin of ``kind``, by name."""
    return [d for d in (_declared(kind, n) for n in available(kind)) if d is not None]


def default_name(kind: str) -> str:
    """The plugin of ``kind`` used when nothing names one: the highest ``default_priority``."""
    candidates = [d for d in declarations(kind) if d.default_priority > 0]
    if not candidates:
        known = ", ".join(available(kind)) or "none"
        raise PluginNotFound(f"no {kind} plugin declares itself a default (installed: {known}); name one")
    return max(sorted(candidates, key=lambda d: d.name), key=lambda d: d.default_priority).name  # max: first of equals


def for_scheme(kind: str, scheme: str) -> str:
    """The plugin of ``kind`` that declares the URL scheme ``scheme``.

    The plugin named like the scheme is asked first (the common case costs one import);
    then every other one. A plugin that declares no schemes at all still answers to its own
    name, so an older third-party plugin keeps working as ``name://...``.
    """
    scheme = scheme.lower()
    first = _declared(kind, scheme)
    if first is not None and scheme in first.schemes:
        return scheme
    for decl in declarations(kind):
        if scheme in decl.schemes:
            return decl.name
    if first is not None and not first.schemes:
        return scheme
    offered = "; ".join(f"{d.name}: {', '.join(s + '://' for s in d.schemes)}" for d in declarations(kind) if d.schemes)
    raise PluginNotFound(f"no {kind} plugin for {scheme}:// URLs (installed: {offered or 'none declares a scheme'})")


def resolve(kind: str, spec: str | None) -> tuple[str, str | None]:
    """(plugin name, URL for its constructor or None) for a ``--pubsub`` / ``--fs`` value.

    - None or empty: the kind's default plugin with its ``default_url``;
    - ``scheme://...``: the plugin that declares that scheme, with the URL as given;
    - ``NAME=URL``: the plugin ``NAME`` with that URL (a third party whose scheme is taken);
    - a plugin's name (its bare word): that plugin with its ``default_url``;
    - anything else: a path, for the plugin that ``accepts_paths``.
    """
    spec = (spec or "").strip()
    if not spec:
        name = default_name(kind)
        return name, declaration(kind, name).default_url
    scheme = _SCHEME.match(spec)
    if scheme:
        return for_scheme(kind, scheme.group(1)), spec
    installed = available(kind)
    named = _NAMED_URL.fullmatch(spec)
    if named and named.group(1) in installed:
        return named.group(1), named.group(2)
    if spec in installed:
        return spec, declaration(kind, spec).default_url
    for decl in declarations(kind):
        if decl.accepts_paths:
            return decl.name, spec
    raise PluginNotFound(f"no {kind} plugin named {spec!r} (installed: {', '.join(installed) or 'none'}; "
                         "or give a URL: " + ", ".join(f"{s}://" for d in declarations(kind) for s in d.schemes) + ")")
