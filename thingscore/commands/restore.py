"""``things restore SNAPSHOT -o resumed.js``: a standalone program resuming from a snapshot.

The program is instrumented again from its main file (named in the snapshot, or given with
``--program``); the snapshot is embedded as data. The two must belong together: the
instrumented program's hash must be the one the snapshot names."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from thingscore.instrument.bundle import instrument
from thingscore.parsing import JSSyntaxError
from thingscore.snapshot import SnapshotFileError, load_snapshot


def run(args: argparse.Namespace) -> int:
    try:
        snap = load_snapshot(args.snapshot)
    except SnapshotFileError as exc:
        print(f"things: {exc}", file=sys.stderr)
        return 1
    main = args.program or snap.get("main")
    if not main or not Path(main).is_file():
        print(f"things: the program of this snapshot ({main or 'unknown'}) is not here; name it with --program",
              file=sys.stderr)
        return 1
    try:
        prog = instrument(main, parser=args.parser)
    except (JSSyntaxError, OSError) as exc:
        print(f"things: {exc}", file=sys.stderr)
        return 1
    if prog.hash != snap["program"]:
        print(f"things: snapshot belongs to program {snap['program'][:12]}, but {main} is now "
              f"{prog.hash[:12]} (it changed since the snapshot was taken)", file=sys.stderr)
        return 1
    text = prog.render(json.dumps(snap, ensure_ascii=False, separators=(",", ":")))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
