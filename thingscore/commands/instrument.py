"""``things instrument FILE -o OUT``: a standalone instrumented program."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from thingscore import plugins


def run(args: argparse.Namespace) -> int:
    """Errors (an unknown --parser, a missing file, a syntax error) go up to the CLI, which
    prints them as one line with the exit code of their kind."""
    from thingscore.instrument.bundle import instrument

    plugins.load_class("parser", args.parser)
    prog = instrument(args.file, parser=args.parser)
    text = prog.render()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
