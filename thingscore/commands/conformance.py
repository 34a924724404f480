"""``things conformance run --parser=NAME``: run a plugin's conformance suite, print a report
(``--test262``: the ECMAScript suite, plain node against instrumented; see conformance_test262).

The plugin is loaded by name through its entry point, exactly as the kernel would load it,
so a third-party plugin is checked the same way as ours. Exit status 0 means the plugin
meets its profile's bar; 1 means it does not; 2 is a usage error.
"""

from __future__ import annotations

import argparse
import sys
import time

from thingscore import plugins


def run(args: argparse.Namespace) -> int:
    if getattr(args, "test262", False):
        from thingscore.commands.conformance_test262 import run as run_test262

        return run_test262(args.filter, args.sample, bool(args.json), args.jobs, results_file=args.results)
    if getattr(args, "fs", None):
        from thingscore.commands.conformance_fs import run as run_fs

        return run_fs(args.fs, bool(getattr(args, "verbose", False)))
    if getattr(args, "scheduler", None):
        from thingscore.commands.conformance_scheduler import run as run_scheduler

        return run_scheduler(args.scheduler, bool(getattr(args, "verbose", False)))
    if getattr(args, "pubsub", None):
        from thingscore.commands.conformance_pubsub import run as run_pubsub

        return run_pubsub(args.pubsub, bool(getattr(args, "verbose", False)))
    name = getattr(args, "parser", None)
    if not name:
        print("usage: things conformance run (--parser=NAME | --pubsub=URL | --fs=URL | --scheduler=NAME) [-v]\n"
              "       things conformance run --test262 [--filter PREFIX]... [--sample N] [--json] [-j N] "
              "[--results FILE]",
              file=sys.stderr)
        installed = ", ".join(plugins.available("parser")) or "none"
        print(f"parser plugins installed: {installed}", file=sys.stderr)
        return 2
    try:
        parser = plugins.load("parser", name)
    except plugins.PluginNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    from things_conformance.parsers import profile_for, run_suite

    profile = profile_for(name)
    started = time.monotonic()
    print(f"parser conformance: {name} ({type(parser).__module__}.{type(parser).__qualname__})")
    report = run_suite(parser, profile, verbose=bool(getattr(args, "verbose", False)))
    for line in report.lines:
        print(line)
    verdict = "PASS" if report.passed else "FAIL"
    print(f"{verdict}: {name} {'meets' if report.passed else 'does not meet'} its bar "
          f"({time.monotonic() - started:.0f} s)")
    return 0 if report.passed else 1
