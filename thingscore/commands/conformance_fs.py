"""``things conformance run --fs=URL|DIR|NAME``: run the FS conformance suite, print a report.

What ``--fs`` accepts:

- a URL: the plugin that declares its scheme (``redis://``, ``mongodb://``, ``file:///dir``...);
- a directory path -> the plugin that takes paths (created if missing);
- a plugin name alone: that plugin at its declared default URL (the one that takes paths:
  a temporary directory);
- ``NAME=URL`` for a third-party plugin whose scheme is taken.

The plugin is loaded through its entry point, exactly as the kernel would load it. The
checks run in scratch subtrees ``things-conformance-*/`` that are emptied afterwards, so a
namespace holding real files can be checked. Exit status: 0 when no check failed (skips
are printed, never counted as passes), 1 when one failed or the server cannot be reached,
2 for a usage error.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time

from things_conformance._suite import module_main, print_report

from thingscore import plugins


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
    if spec == name and plugins.declaration("fs", name).accepts_paths:
        return name, None
    return name, url


def run(url_or_name: str, verbose: bool) -> int:
    """Run the suite; print one line per check and a closing ``N passed, N failed`` line."""
    try:
        name, url = resolve(url_or_name)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    scratch = None
    if url is None:
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
