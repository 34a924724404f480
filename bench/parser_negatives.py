"""How many of test262's negative syntax tests each parser plugin rejects, by folder.

    .venv/bin/python bench/parser_negatives.py [--filter language] [--parsers tree-sitter,esprima]
        [--positives] [--harness] [--list FILE] [--json FILE]

For every test under ``test/<filter>`` whose front matter says ``negative: {phase: parse}``,
in each of its modes (sloppy, strict with a ``"use strict";`` line on top, module), the
parser is asked to parse the test's text and should raise ``JSSyntaxError``. With
``--positives`` the other tests (not negative at all) are parsed too and every one that a
parser *rejects* is counted and listed: an early-error check must never refuse valid code.
Tests using a feature node 20 lacks are left out, as the test262 runner leaves them out.

The harness (assert.js, sta.js, ...) is not prepended unless ``--harness``: it is valid
code, and parsing it 40,000 times would triple the run time without changing a verdict.
Why a script and not ``things conformance run --test262``: that runner starts node for
every test and only asks the parsers about negative tests node rejects; this one asks the
parsers about every test, in-process, in a few minutes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from thingscore import plugins  # noqa: E402
from thingscore.parsing import JSSyntaxError  # noqa: E402
from thingscore.test262.suite import NODE20_LACKS, list_tests, parse_meta, unpacked  # noqa: E402


def folder(rel: str, depth: int) -> str:
    return "/".join(rel.split("/")[:depth])


def rejects(parser: object, text: str, source_type: str) -> bool | None:
    """True if the parser raises JSSyntaxError, False if it accepts, None if it crashes."""
    try:
        parser.parse(text, source_type)  # type: ignore[attr-defined]
    except (JSSyntaxError, RecursionError):
        return True
    except Exception:  # a parser bug: counted as a wrong answer either way, and listed
        return None
    return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filter", default="language", help="path prefix under test/ (comma-separated)")
    ap.add_argument("--parsers", default="tree-sitter", help="parser plugins, comma-separated")
    ap.add_argument("--depth", type=int, default=2, help="folder depth of the table (2: language/statements)")
    ap.add_argument("--positives", action="store_true", help="also parse the positive tests")
    ap.add_argument("--harness", action="store_true", help="prepend the harness files as the runner does")
    ap.add_argument("--list", help="write each test a parser gets wrong to this file")
    ap.add_argument("--json", help="write the figures as JSON")
    args = ap.parse_args()
    root = unpacked()
    names = args.parsers.split(",")
    parsers = {n: plugins.load("parser", n) for n in names}
    harness = None
    if args.harness:
        from thingscore.test262.runner import Harness, program_text

        harness = Harness(root)
    neg: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    pos: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    wrong: list[str] = []
    started = time.monotonic()
    for rel in list_tests(root, args.filter.split(",")):
        source = (root / "test" / rel).read_text(encoding="utf-8")
        meta = parse_meta(source)
        if set(meta.features) & NODE20_LACKS:
            continue
        negative = meta.negative_phase == "parse"
        if not negative and (meta.negative_phase or not args.positives):
            continue
        for mode in meta.modes():
            source_type = "module" if mode == "module" else "script"
            if harness is not None:
                text = program_text(harness, meta, mode, source)
            else:
                text = ('"use strict";\n' if mode == "strict" else "") + source
            for name, parser in parsers.items():
                got = rejects(parser, text, source_type)
                table = neg if negative else pos
                cell = table[folder(rel, args.depth)][name]
                cell[0] += got is negative
                cell[1] += 1
                if got is not negative:
                    verdict = "crashes" if got is None else "accepts" if negative else "rejects"
                    wrong.append(f"{name}\t{verdict}\t{mode}\t{rel}")
    elapsed = time.monotonic() - started
    out: dict[str, object] = {"filter": args.filter, "parsers": names, "seconds": round(elapsed, 1)}
    for title, table, verb in (("negative syntax tests (phase: parse)", neg, "rejected"),
                               ("positive tests", pos, "accepted")):
        if not table:
            continue
        print(f"\n## {title}: share {verb}, per test and mode\n")
        print("| folder | " + " | ".join(names) + " |")
        print("|---|" + "---:|" * len(names))
        totals = {n: [0, 0] for n in names}
        for f in sorted(table):
            row = []
            for n in names:
                ok, all_ = table[f][n]
                totals[n][0] += ok
                totals[n][1] += all_
                row.append(f"{ok}/{all_} ({100 * ok / all_:.1f}%)" if all_ else "-")
            print(f"| {f} | " + " | ".join(row) + " |")
        print("| **all** | " + " | ".join(
            f"**{ok}/{all_} ({100 * ok / max(all_, 1):.1f}%)**" for ok, all_ in totals.values()) + " |")
        out[verb] = {f: dict(v) for f, v in table.items()}
        out[verb + "_total"] = totals
    print(f"\n{elapsed:.0f} s")
    if args.list:
        Path(args.list).write_text("\n".join(sorted(wrong)) + "\n")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
