"""``things conformance run --parser=NAME``: run a plugin's conformance suite, print a report
(``--test262``: the ECMAScript suite, plain node against instrumented; see conformance_test262).

The plugin is loaded by name through its entry point, exactly as the kernel would load it,
so a third-party plugin is checked the same way as ours. Exit status (the CLI's convention):
0 the plugin meets its profile's bar, 1 it does not, 2 a usage error (an unknown plugin, two
suites at once, a missing prerequisite: the message says what to run), 3 the server to check
cannot be reached, 4 nothing was checked (every check skipped). A run that checked nothing
never passes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from thingscore import plugins
from thingscore.console import Exit, Progress, usage

#: The suites, by the flag that selects each.
SUITES = ("--parser", "--pubsub", "--fs", "--scheduler", "--runtime", "--test262")
USAGE = ("usage: things conformance run (--parser=NAME | --pubsub=URL | --fs=URL | --scheduler=NAME | --runtime=NAME)"
         " [-v] [--json]\n"
         "       things conformance run --test262 [--filter PREFIX]... [--sample N] [--json] [-j N] [--results FILE]")


def _chosen(args: argparse.Namespace) -> list[str]:
    return [flag for flag in SUITES if getattr(args, flag[2:], None)]


def run(args: argparse.Namespace) -> int:
    chosen = _chosen(args)
    if len(chosen) > 1:
        raise usage(f"one suite at a time: {' and '.join(chosen)} were given", "run them one after the other")
    verbose = bool(getattr(args, "verbose", False))
    as_json = bool(getattr(args, "json", False))
    if not chosen:
        print(USAGE, file=sys.stderr)
        installed = ", ".join(plugins.available("parser")) or "none"
        print(f"parser plugins installed: {installed}", file=sys.stderr)
        return Exit.USAGE
    if chosen[0] == "--test262":
        from thingscore.commands.conformance_test262 import run as run_test262

        return run_test262(args.filter, args.sample, as_json, args.jobs, results_file=args.results)
    if chosen[0] == "--fs":
        from thingscore.commands.conformance_fs import run as run_fs

        return run_fs(args.fs, verbose, as_json)
    if chosen[0] == "--scheduler":
        from thingscore.commands.conformance_scheduler import run as run_scheduler

        return run_scheduler(args.scheduler, verbose, as_json)
    if chosen[0] == "--runtime":
        from thingscore.commands.conformance_runtime import run as run_runtime

        return run_runtime(args.runtime, verbose, as_json)
    if chosen[0] == "--pubsub":
        from thingscore.commands.conformance_pubsub import run as run_pubsub

        return run_pubsub(args.pubsub, verbose, as_json)
    return _run_parser(args.parser, verbose, as_json)


def _node_modules_ready() -> None:
    """The parser suite reads test262-parser-tests and acorn from npm: say how to get them."""
    import shutil

    from things_conformance._paths import NODE_MODULES

    missing = [name for name in ("test262-parser-tests", "acorn") if not (NODE_MODULES / name).is_dir()]
    if shutil.which("node") is None:
        raise usage("the parser suite needs node (its oracle is acorn)", "install Node.js, then `make node-deps`")
    if missing:
        package_json = NODE_MODULES.parent / "package.json"
        fix = (f"run `make node-deps`, or `cd {NODE_MODULES.parent} && npm ci`" if package_json.is_file()
               else "install them with npm and point THINGS_NODE_MODULES at their node_modules")
        raise usage(f"the parser suite needs the npm packages {', '.join(missing)}, missing from {NODE_MODULES}", fix)


def _run_parser(name: str, verbose: bool, as_json: bool) -> int:
    parser = plugins.load("parser", name)
    _node_modules_ready()
    from things_conformance.parsers import profile_for, run_suite

    profile = profile_for(name)
    started = time.monotonic()
    out = sys.stderr if as_json else sys.stdout
    print(f"parser conformance: {name} ({type(parser).__module__}.{type(parser).__qualname__})", file=out)
    with Progress(f"parser conformance: {name}"):
        report = run_suite(parser, profile, verbose=verbose)
    for line in report.lines:
        print(line, file=out)
    verdict = "PASS" if report.passed else "FAIL"
    print(f"{verdict}: {name} {'meets' if report.passed else 'does not meet'} its bar "
          f"({time.monotonic() - started:.0f} s)", file=out)
    if as_json:
        print(json.dumps({"suite": "parser", "plugin": name, "passed": report.passed, "lines": report.lines}))
    return Exit.OK if report.passed else Exit.FAILED
