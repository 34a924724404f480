"""``things conformance run --fs=URL|DIR|NAME``: run the FS conformance suite, print a report.

What ``--fs`` accepts:

- a URL: the plugin that declares its scheme (``redis://``, ``mongodb://``, ``file:///dir``...);
- a directory path -> the plugin that takes paths (created if missing);
- a plugin name alone: that plugin at its declared default URL (the one that takes paths:
  a temporary directory);
- ``NAME=URL`` for a third-party plugin whose scheme is taken.

The plugin is loaded through its entry point, exactly as the kernel would load it. The
checks run in scratch subtrees ``things-conformance-*/`` that are emptied afterwards, so a
namespace holding real files can be checked. Exit status: 0 when no check failed and some
ran (skips are printed, never counted as passes), 1 when one failed, 2 for a usage error,
3 when the server cannot be reached (nothing ran), 4 when every check was skipped.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

from things_conformance._suite import module_main

from thingscore import plugins
from thingscore.commands.conformance_report import finish
from thingscore.console import CommandError, Progress, reports_errors, unreachable, usage


class UsageError(ValueError):
    """``--fs`` names nothing we can run."""


def resolve(url_or_name: str) -> tuple[str, str | None]:
    """``--fs`` -> (plugin name, URL for its constructor; None for a scratch directory).

    What a URL scheme or a bare word means is the plugins' own declaration
    (:func:`thingscore.plugins.resolve`); the plugin that takes directories, named alone,
    gets a temporary directory rather than the cluster's own.
    """
    spec = url_or_name.strip()
    if not spec:
        raise UsageError("--fs needs a URL, a directory or a plugin name")
    try:
        name, url = plugins.resolve("fs", spec)
    except plugins.PluginNotFound as exc:
        raise UsageError(str(exc)) from None
    takes_paths = plugins.declaration("fs", name).accepts_paths
    if spec == name and takes_paths:
        return name, None
    if takes_paths and url == spec and "://" not in spec:
        path_like = "/" in spec or os.sep in spec or spec.startswith((".", "~"))
        if not path_like and not os.path.isdir(spec):  # a typo far more often than a new directory
            raise UsageError(f"no file system {spec!r}: not an fs plugin (installed: "
                             f"{', '.join(plugins.available('fs'))}) nor an existing directory "
                             f"(for a new directory write ./{spec})")
        return name, os.path.expanduser(spec)
    return name, url


@reports_errors("conformance")
def run(url_or_name: str, verbose: bool, as_json: bool = False) -> int:
    """Run the suite; print one line per check and a closing ``N passed, N failed`` line."""
    try:
        name, url = resolve(url_or_name)
    except UsageError as exc:
        raise usage(str(exc)) from exc
    scratch = None
    if url is None:
        scratch = url = tempfile.mkdtemp(prefix="things-fs-conformance-")
    try:
        return _run_plugin(name, url, verbose, as_json)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def _nothing_ran(name: str, url: str | None, why: str) -> CommandError:
    fix = ("check the directory" if plugins.declaration("fs", name).accepts_paths
           else "start the server, or name one with --fs=URL")
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
