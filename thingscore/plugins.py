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

Finding the entry points means reading the metadata of every installed distribution
(``importlib.metadata``: ~0.1 s with its own import, a third of the answer time of a
``things dispatch`` command). So the result is kept in a small cache file
(``$XDG_CACHE_HOME/things/``, else ``~/.cache/things/``), valid while a fingerprint of the
installed distributions is unchanged: for every ``sys.path`` entry, the names of the
``*.dist-info``/``*.egg-info`` in it with the mtime and size of their ``entry_points.txt`` (a
listing and a stat per distribution: about a millisecond). Installing, removing, upgrading or
editing a distribution, or another ``sys.path``, changes the fingerprint and the next command
scans again (the file keeps the last few fingerprints, so that commands with different
``sys.path`` do not evict each other); the cache only ever holds what a scan found. An
entry point is loaded as ``importlib.metadata`` loads one (``module:attr``), by
:class:`PluginEntry`: the kernel no longer needs stevedore, whose own lookup read the same
metadata once more.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import logging
import os
import re
import stat
import sys
import zlib
from dataclasses import dataclass
from typing import Any

GROUPS = {
    "parser": "things.parsers",
    "pubsub": "things.pubsub",
    "fs": "things.fs",
    "scheduler": "things.schedulers",
    "runtime": "things.runtimes",
}
HOOKS_GROUP = "things.hooks"

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


#: Bumped when the cache file's layout changes: an older file is then simply scanned again.
CACHE_VERSION = 2
#: Fingerprints kept per cache file, most recent first: processes of one interpreter with
#: different ``sys.path`` (``python -m`` from different directories, ``PYTHONPATH``) each hit.
CACHE_ENTRIES = 8
_ENTRY_POINT = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


@dataclass(frozen=True)
class PluginEntry:
    """One entry point of ours (``name = module:attr`` in ``group``), loadable without
    ``importlib.metadata``: what the cache file keeps."""

    name: str
    group: str
    value: str

    def load(self) -> Any:
        """The object the entry point names, imported as ``importlib.metadata.EntryPoint.load`` does."""
        match = _ENTRY_POINT.match(self.value)
        if match is None:
            raise ValueError(f"entry point {self.name} = {self.value!r} in {self.group}: not module:attr")
        obj: Any = importlib.import_module(match.group("module"))
        for attr in filter(None, (match.group("attr") or "").split(".")):
            obj = getattr(obj, attr)
        return obj


def _stamp(path: str) -> list[int]:
    """mtime and size of a file ([-1, -1] when there is none)."""
    try:
        st = os.stat(path)
    except OSError:
        return [-1, -1]
    return [st.st_mtime_ns, st.st_size]


def fingerprint() -> list[Any]:
    """What the installed distributions look like, cheaply: for each ``sys.path`` entry that
    is a directory, the name of every distribution in it with the mtime and size of its
    ``entry_points.txt``; for a zip or ``.egg`` file, its own mtime and size. Equal
    fingerprints, equal entry points. (Not a directory's mtime: the listing already says
    what was added or removed, and the working directory, first on ``sys.path`` under
    ``python -m``, changes whenever any file is made in it.)"""
    out: list[Any] = [sys.version, sys.prefix]
    for entry in sys.path:
        path = os.path.abspath(entry or ".")  # '' is the working directory, as for importlib
        try:
            st = os.stat(path)
        except OSError:
            out.append([path, None])
            continue
        if not stat.S_ISDIR(st.st_mode):
            out.append([path, st.st_mtime_ns, st.st_size])
            continue
        dists: list[list[Any]] = []
        if path.endswith(".egg"):  # an unzipped egg on sys.path: its metadata is inside
            dists.append(["EGG-INFO", *_stamp(os.path.join(path, "EGG-INFO", "entry_points.txt"))])
        try:
            with os.scandir(path) as listing:
                for item in listing:
                    if item.name.endswith((".dist-info", ".egg-info")):
                        dists.append([item.name, *_stamp(os.path.join(item.path, "entry_points.txt"))])
        except OSError:
            dists.append(["(unreadable)", -1, -1])
        out.append([path, sorted(dists)])
    return out


def cache_file() -> str | None:
    """Where this interpreter's entry points are cached (None: no home to put them in)."""
    home = os.path.expanduser("~")
    base = os.environ.get("XDG_CACHE_HOME") or (os.path.join(home, ".cache") if home != "~" else "")
    if not base:
        return None
    tag = f"{zlib.crc32(f'{sys.prefix}|{sys.version}'.encode()):08x}"  # one file per interpreter
    return os.path.join(base, "things", f"entry-points-{tag}.json")


def _scan() -> dict[str, dict[str, PluginEntry]]:
    """Our entry points by group and name, from every installed distribution's metadata."""
    from importlib.metadata import entry_points  # only here: its import is a third of the scan

    installed = entry_points()
    found: dict[str, dict[str, PluginEntry]] = {}
    for group in (*GROUPS.values(), HOOKS_GROUP):
        by_name = found[group] = {}
        for ep in installed.select(group=group):
            by_name.setdefault(ep.name, PluginEntry(ep.name, group, ep.value))  # the first of a name wins
    return found


def _read_cache(path: str) -> list[dict[str, Any]]:
    """The entries of the cache file, most recently written first ([] when none is usable)."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            return []
        return [e for e in data["entries"] if isinstance(e, dict)]
    except (OSError, ValueError, TypeError, KeyError):  # none yet, or not ours: scan
        return []


def _groups(entry: dict[str, Any]) -> dict[str, dict[str, PluginEntry]] | None:
    try:
        return {group: {name: PluginEntry(name, group, value) for name, value in entries}
                for group, entries in entry["groups"].items()}
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _write_cache(path: str, entries: list[dict[str, Any]]) -> None:
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"version": CACHE_VERSION, "entries": entries[:CACHE_ENTRIES]}, f)
        os.replace(tmp, path)  # atomic: a concurrent command reads the old file or the new one
    except OSError as exc:  # a read-only home: every command scans, nothing else changes
        log.debug("cannot cache the entry points in %s: %s", path, exc)
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _read_entry_points() -> dict[str, dict[str, PluginEntry]]:
    """Our entry points by group and name: from the cache file while the installed
    distributions are unchanged, else scanned (and cached)."""
    where = cache_file()
    print_ = fingerprint()  # before the scan: an install during it makes the next command scan again
    entries = _read_cache(where) if where is not None else []
    for entry in entries:
        if entry.get("fingerprint") == print_ and (cached := _groups(entry)) is not None:
            return cached
    found = _scan()
    if where is not None:
        fresh = {"fingerprint": print_,
                 "groups": {group: [[e.name, e.value] for e in eps.values()] for group, eps in found.items()}}
        _write_cache(where, [fresh, *(e for e in entries if e.get("fingerprint") != print_)])
    return found


#: The same, read once per process (see :func:`refresh`): plugin kinds are asked many times per command.
_all_entry_points = functools.cache(_read_entry_points)


def _entry_points(kind: str) -> dict[str, PluginEntry]:
    return _all_entry_points()[GROUPS[kind]]


def hook_entry_points() -> list[PluginEntry]:
    """The ``things.hooks`` entry points (lifecycle hook plugins, :mod:`thingscore.hookspecs`),
    read afresh on each call as before the cache: a process builds its hook manager once."""
    return list(_read_entry_points()[HOOKS_GROUP].values())


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
    ep = _entry_points(kind).get(name)
    if ep is None:
        known = ", ".join(available(kind)) or "none"
        raise PluginNotFound(f"no {kind} plugin named {name!r} (installed: {known})")
    try:
        return ep.load()
    except Exception as exc:  # the plugin's module or a library it needs is missing or broken
        raise PluginNotFound(f"{kind} plugin {name!r} cannot be loaded ({type(exc).__name__}: {exc})") from exc


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
