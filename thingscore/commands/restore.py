"""``things restore SNAPSHOT -o resumed.js``: a standalone program resuming from a snapshot.

The program is instrumented again from its main file (named in the snapshot, or given with
``--program``); the snapshot is embedded as data. The two must belong together: the
instrumented program's hash must be the one the snapshot names."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from thingscore import plugins
from thingscore.console import usage
from thingscore.snapshot import load_snapshot


def run(args: argparse.Namespace) -> int:
    """A snapshot or program that does not fit is a usage error (exit 2), a program that no
    longer parses a failure (1): one line each, printed by the CLI."""
    from thingscore.instrument.bundle import instrument

    plugins.load_class("parser", args.parser)
    snap = load_snapshot(args.snapshot)
    main = args.program or snap.get("main")
    if not main or not Path(main).is_file():
        raise usage(f"the program of this snapshot ({main or 'unknown'}) is not here", "name it with --program")
    prog = instrument(main, parser=args.parser)
    if prog.hash != snap["program"]:
        raise usage(f"snapshot belongs to program {snap['program'][:12]}, but {main} is now {prog.hash[:12]} "
                    "(it changed since the snapshot was taken)", "restore with the program as it was")
    text = prog.render(json.dumps(snap, ensure_ascii=False, separators=(",", ":")))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
