"""``things exec FILE --hops N --every K``: run a program, migrating it N times.

stdout carries exactly the program's stdout; things' own messages go to stderr. The exit
code is the program's (as with node), or one of the CLI's convention for things' own
outcomes: 2 a usage error (a bad flag, an unknown parser or runtime), 4 when the program
ran to its end but a migration it was asked for was impossible, 1 when a restore failed
(the reason, e.g. a Node built-in the target runtime lacks, is on stderr). With
--max-memory-mb / --max-cpu-seconds, a program over a limit is stopped, the reason goes to
stderr (``things: program stopped: CPU time limit of 2 s exceeded``) and the exit code is
non-zero. On a terminal, a progress bar counts the hops on stderr."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from thingscore import plugins
from thingscore.console import Exit, Progress, usage
from thingscore.runtime import Limits

#: The exit code of a restore that failed in the runtime process (jsruntime's terminate(70)).
RESTORE_FAILED = 70


def run(args: argparse.Namespace) -> int:
    from thingscore.execution import execute

    if args.every < 1:
        raise usage("--every must be at least 1")
    if args.hops < 0:
        raise usage("--hops must be 0 or more")
    runtimes = [r.strip() for r in (args.runtimes or "").split(",") if r.strip()] or [plugins.default_name("runtime")]
    for name in runtimes:
        plugins.load_class("runtime", name)  # an unknown runtime: a usage error before the program starts
    for name in dict.fromkeys(runtimes):  # one that cannot run here (no Chromium for `browser`): the same
        runtime = plugins.load("runtime", name)
        if not runtime.available():
            problem = getattr(runtime, "problem", None)
            raise usage(problem() if callable(problem) else f"the {name} runtime is not available on this machine")
    if args.parser:
        plugins.load_class("parser", args.parser)
    prog_args = [a for a in args.args if a != "--"] if args.args else []
    try:
        limits = Limits.from_flags(args.max_memory_mb, args.max_cpu_seconds)
    except ValueError as exc:
        raise usage(str(exc)) from exc
    with Progress(f"{Path(args.file).name}: hops", total=args.hops if args.hops else None,
                  shared_with_output=True) as bar:
        result = execute(args.file, hops=args.hops, every=args.every, runtimes=runtimes,
                         args=prog_args, snapshot_dir=Path(args.snapshot_dir) if args.snapshot_dir else None,
                         parser=args.parser, limits=limits, on_hop=lambda n: bar.update(completed=n))
    if args.report:
        Path(args.report).write_text(json.dumps(result.report(), indent=2) + "\n", encoding="utf-8")
    if result.exit_code == RESTORE_FAILED and any(e.startswith("cannot restore") for e in result.errors):
        return Exit.FAILED  # things' failure, said on stderr by the runtime: not the program's exit code
    return result.exit_code
