"""``things conformance run --fs=URL|DIR|NAME``: run the FS conformance suite, print a report.

What ``--fs`` accepts:

- a URL, whose scheme names the plugin: ``redis://127.0.0.1:6379/0`` (also ``rediss://``,
  ``unix://``) -> redis, ``mongodb://host:port/db`` (``mongodb+srv://``) -> mongo,
  ``file:///dir`` -> local; any other ``scheme://`` -> the plugin of that name;
- a directory: an existing one, or a path (``./new``, ``/srv/fs``) -> local (created if
  missing); a bare word that is neither a plugin nor a directory is refused (a typo);
- a plugin name alone: ``local`` (a temporary directory), ``redis`` (127.0.0.1:6379/0),
  ``mongo`` (the URL in THINGS_TEST_MONGO_URL, else 127.0.0.1:27017);
- ``NAME=URL`` for a third-party plugin whose scheme is not its name.

The plugin is loaded through its entry point, exactly as the kernel would load it. The
checks run in scratch subtrees ``things-conformance-*/`` that are emptied afterwards, so a
namespace holding real files can be checked. Exit status: 0 when no check failed and some
ran (skips are printed, never counted as passes), 1 when one failed, 2 for a usage error,
3 when the server cannot be reached (nothing ran), 4 when every check was skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time

from things_conformance._suite import module_main

from thingscore import plugins
from thingscore.commands.conformance_report import finish
from thingscore.console import CommandError, Progress, reports_errors, unreachable, usage

SCHEME_PLUGINS = {"file": "local", "redis": "redis", "rediss": "redis", "unix": "redis",
                  "mongodb": "mongo", "mongodb+srv": "mongo"}
NAME_DEFAULTS = {"redis": "redis://127.0.0.1:6379/0", "mongo": "mongodb://127.0.0.1:27017/things"}
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
            return "mongo", os.environ.get(MONGO_ENV) or NAME_DEFAULTS["mongo"]
        return spec, NAME_DEFAULTS.get(spec)
    path_like = "/" in spec or os.sep in spec or spec.startswith((".", "~"))
    if not path_like and not os.path.isdir(spec):
        raise UsageError(f"no file system {spec!r}: not an fs plugin (installed: {', '.join(installed)}) nor an "
                         f"existing directory (for a new directory write ./{spec})")
    return "local", os.path.expanduser(spec)  # a directory


@reports_errors("conformance")
def run(url_or_name: str, verbose: bool, as_json: bool = False) -> int:
    """Run the suite; print one line per check and a closing ``N passed, N failed`` line."""
    try:
        name, url = resolve(url_or_name)
    except UsageError as exc:
        raise usage(str(exc)) from exc
    scratch = None
    if name == "local" and url is None:
        scratch = url = tempfile.mkdtemp(prefix="things-fs-conformance-")
    try:
        return _run_plugin(name, url, verbose, as_json)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def _nothing_ran(name: str, url: str | None, why: str) -> CommandError:
    fix = ("start the server, or name one with --fs=URL" + (f" or ${MONGO_ENV}" if name == "mongo" else "")
           if name != "local" else "check the directory")
    return unreachable(f"nothing ran: cannot reach the {name} file system at {url or 'its default'}: {why}", fix)


def _run_plugin(name: str, url: str | None, verbose: bool, as_json: bool) -> int:
    from things_conformance.fs import run_suite

    from thingscore.control.config import ClusterUnreachable, probe

    cls = plugins.load_class("fs", name)
    if url:
        try:
            probe(url, "file system")
        except ClusterUnreachable as exc:
            raise _nothing_ran(name, url, "nothing listens there") from exc
    try:
        fs = cls(url=url)
    except Exception as exc:
        raise _nothing_ran(name, url, f"{type(exc).__name__}: {exc}") from exc
    try:
        caps = ", ".join(sorted(fs.capabilities)) or "none"
        print(f"fs conformance: {name} ({type(fs).__module__}.{type(fs).__qualname__}) at {url or 'its default'}; "
              f"capabilities: {caps}", file=sys.stderr if as_json else sys.stdout)
        try:
            fs.exists("things-conformance-probe")
        except Exception as exc:
            raise _nothing_ran(name, url, f"{type(exc).__name__}: {exc}") from exc
        started = time.monotonic()
        with Progress(f"fs conformance: {name}"):
            report = run_suite(fs, verbose=verbose)
        return finish(report, "fs", name, started, as_json)
    finally:
        fs.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m thingscore.commands.conformance_fs URL [-v]`` (the same as the CLI)."""
    return module_main(argv, "python -m thingscore.commands.conformance_fs URL|DIR|NAME [-v]", run)

if __name__ == "__main__":
    sys.exit(main())
