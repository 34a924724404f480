"""``things conformance run --fs=URL|DIR|NAME``: run the FS conformance suite, print a report.

What ``--fs`` accepts:

- a URL, whose scheme names the plugin: ``redis://127.0.0.1:6379/0`` (also ``rediss://``,
  ``unix://``) -> redis, ``mongodb://host:port/db`` (``mongodb+srv://``) -> mongo,
  ``file:///dir`` -> local; any other ``scheme://`` -> the plugin of that name;
- a directory path -> local (created if missing);
- a plugin name alone: ``local`` (a temporary directory), ``redis`` (127.0.0.1:6379/0),
  ``mongo`` (the URL in THINGS_TEST_MONGO_URL; without one the run is skipped, visibly);
- ``NAME=URL`` for a third-party plugin whose scheme is not its name.

The plugin is loaded through its entry point, exactly as the kernel would load it. The
checks run in scratch subtrees ``things-conformance-*/`` that are emptied afterwards, so a
namespace holding real files can be checked. Exit status: 0 when no check failed (skips
are printed, never counted as passes), 1 when one failed or the server cannot be reached,
2 for a usage error.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time

from things_conformance._suite import module_main, print_report

from thingscore import plugins

SCHEME_PLUGINS = {"file": "local", "redis": "redis", "rediss": "redis", "unix": "redis",
                  "mongodb": "mongo", "mongodb+srv": "mongo"}
NAME_DEFAULTS = {"redis": "redis://127.0.0.1:6379/0"}
MONGO_ENV = "THINGS_TEST_MONGO_URL"


class UsageError(ValueError):
    """``--fs`` names nothing we can run."""


def resolve(url_or_name: str) -> tuple[str, str | None]:
    """``--fs`` -> (plugin name, URL for its constructor; None for the plugin's default)."""
    spec = url_or_name.strip()
    if not spec:
        raise UsageError("--fs needs a URL, a directory or a plugin name")
    installed = plugins.available("fs")
    named = re.fullmatch(r"([A-Za-z0-9_.-]+)=(.+)", spec)
    if named and named.group(1) in installed:
        return named.group(1), named.group(2)
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", spec)
    if scheme:
        name = SCHEME_PLUGINS.get(scheme.group(1).lower(), scheme.group(1).lower())
        if name not in installed:
            raise UsageError(f"no fs plugin for {scheme.group(1)}:// URLs (installed: {', '.join(installed)})")
        return name, spec
    if spec in installed:
        if spec == "mongo":
            return "mongo", os.environ.get(MONGO_ENV) or None
        return spec, NAME_DEFAULTS.get(spec)
    return "local", spec  # a directory


def run(url_or_name: str, verbose: bool) -> int:
    """Run the suite; print one line per check and a closing ``N passed, N failed`` line."""
    try:
        name, url = resolve(url_or_name)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if name == "mongo" and url is None:
        print(f"fs conformance: mongo [skip] no server URL: set {MONGO_ENV} or pass --fs=mongodb://host:port/db "
              "(no MongoDB server is installed on this machine)")
        print("0 passed, 0 failed, 1 skipped")
        return 0
    scratch = None
    if name == "local" and url is None:
        scratch = url = tempfile.mkdtemp(prefix="things-fs-conformance-")
    try:
        return _run_plugin(name, url, verbose)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def _run_plugin(name: str, url: str | None, verbose: bool) -> int:
    from things_conformance.fs import run_suite

    try:
        fs = plugins.load("fs", name, url=url)
    except plugins.PluginNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        print(f"error: cannot open the {name} file system at {url}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    try:
        caps = ", ".join(sorted(fs.capabilities)) or "none"
        print(f"fs conformance: {name} ({type(fs).__module__}.{type(fs).__qualname__}) at {url or 'its default'}; "
              f"capabilities: {caps}")
        try:
            fs.exists("things-conformance-probe")
        except Exception as exc:
            print(f"error: cannot reach the {name} file system at {url or 'its default'}: "
                  f"{type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        started = time.monotonic()
        report = run_suite(fs, verbose=verbose)
        return print_report(report, name, started)
    finally:
        fs.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m thingscore.commands.conformance_fs URL [-v]`` (the same as the CLI)."""
    return module_main(argv, "python -m thingscore.commands.conformance_fs URL|DIR|NAME [-v]", run)

if __name__ == "__main__":
    sys.exit(main())
