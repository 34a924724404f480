"""``things instrument FILE -o OUT``: a standalone instrumented program."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from thingscore.instrument.bundle import instrument
from thingscore.parsing import JSSyntaxError


def run(args: argparse.Namespace) -> int:
    try:
        prog = instrument(args.file, parser=args.parser)
    except JSSyntaxError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"things: {exc}", file=sys.stderr)
        return 1
    text = prog.render()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
