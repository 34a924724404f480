"""``things exec FILE --hops N --every K``: run a program, migrating it N times.

stdout carries exactly the program's stdout; things' own messages go to stderr; the exit
code is the program's (2 when the program ended normally but could not be migrated). With
--max-memory-mb / --max-cpu-seconds, a program over a limit is stopped, the reason goes to
stderr (``things: program stopped: CPU time limit of 2 s exceeded``) and the exit code is
non-zero."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from thingscore import plugins
from thingscore.execution import execute
from thingscore.parsing import JSSyntaxError
from thingscore.plugins import PluginNotFound
from thingscore.runtime import Limits


def run(args: argparse.Namespace) -> int:
    if args.every < 1:
        print("things: --every must be at least 1", file=sys.stderr)
        return 64
    runtimes = [r.strip() for r in args.runtimes.split(",") if r.strip()]
    prog_args = [a for a in args.args if a != "--"] if args.args else []
    try:
        limits = Limits.from_flags(args.max_memory_mb, args.max_cpu_seconds)
    except ValueError as exc:
        print(f"things: {exc}", file=sys.stderr)
        return 64
    try:
        runtimes = runtimes or [plugins.default_name("runtime")]
        result = execute(args.file, hops=max(0, args.hops), every=args.every, runtimes=runtimes,
                         args=prog_args, snapshot_dir=Path(args.snapshot_dir) if args.snapshot_dir else None,
                         parser=args.parser, limits=limits)
    except JSSyntaxError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except PluginNotFound as exc:
        print(f"things: {exc}", file=sys.stderr)
        return 64
    except OSError as exc:
        print(f"things: {exc}", file=sys.stderr)
        return 1
    if args.report:
        Path(args.report).write_text(json.dumps(result.report(), indent=2) + "\n", encoding="utf-8")
    return result.exit_code
