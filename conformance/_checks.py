"""The parser checks themselves, shared by the pytest suite and ``things conformance run``.

Two kinds of evidence: test262-parser-tests (does the plugin accept exactly the valid
programs?) and structural equality with acorn on real code (is the tree exactly the one
the instrumenter expects, ranges included?). Both return plain reports, so the pytest
classes and the command line print and judge the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thingscore.parsing import JSSyntaxError, Parser

from . import _acorn
from ._compare import comments_as_dicts, first_difference
from ._paths import LIBRARY_SKIP_DIRS, NODE_MODULES, TEST262

TEST262_KINDS = ("pass", "pass-explicit", "fail", "early")


@dataclass
class Share:
    """How many cases of one category behaved as required, and which did not."""

    label: str
    ok: int = 0
    total: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.ok / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.label}: {self.ok}/{self.total} ({100 * self.ratio:.1f}%)"


def read_source(path: Path) -> str:
    """File text exactly as on disk: no newline translation (``\\r\\n`` counts in ranges)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def source_type_of(path: Path) -> str:
    return "module" if path.name.endswith(".module.js") else "script"


def sample(items: list[Any], limit: int | None) -> list[Any]:
    """Every k-th item, deterministic, so a subset still spans the whole sorted set."""
    if limit is None or limit >= len(items):
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def test262_files(kind: str, limit: int | None = None, root: Path = TEST262) -> list[Path]:
    files = sorted(p for p in (root / kind).iterdir() if p.suffix == ".js")
    return sample(files, limit)


def check_test262(parser: Parser, kind: str, limit: int | None = None) -> Share:
    """pass/ and pass-explicit/ must parse; fail/ and early/ must raise JSSyntaxError."""
    must_parse = kind.startswith("pass")
    share = Share(kind)
    for path in test262_files(kind, limit):
        source = read_source(path)
        try:
            parser.parse(source, source_type_of(path))  # type: ignore[arg-type]
            accepted, why = True, "accepted"
        except JSSyntaxError as exc:
            accepted, why = False, f"rejected: {exc.line}:{exc.column} {exc.message}"
        except Exception as exc:  # a crash is a failure either way
            accepted, why = None, f"crashed: {type(exc).__name__}: {exc}"
        share.total += 1
        if accepted is must_parse:
            share.ok += 1
        else:
            share.failures.append((f"{kind}/{path.name}", why))
    return share


def library_files(limit: int | None = None, root: Path = NODE_MODULES) -> list[Path]:
    """Every .js file of the npm packages in tests/node_modules (test262 excluded)."""
    files = sorted(
        p for p in root.rglob("*.js")
        if p.is_file() and not (set(p.relative_to(root).parts[:1]) & LIBRARY_SKIP_DIRS)
    )
    return sample(files, limit)


def compare_with_acorn(
    parser: Parser,
    requests: Iterable[dict[str, Any]],
    source_of: Callable[[dict[str, Any]], str],
    label: str,
) -> Share:
    """Parse each request with acorn and with ``parser``; count identical trees and comments.

    Inputs acorn rejects are not counted (they are not valid JavaScript to acorn).
    """
    share = Share(label)
    reqs = list(requests)
    by_id = {r["id"]: r for r in reqs}
    for ref in _acorn.parse_many(reqs):
        if not ref.ok:
            continue
        share.total += 1
        source = source_of(by_id[ref.id])
        try:
            result = parser.parse(source, ref.source_type)  # type: ignore[arg-type]
        except JSSyntaxError as exc:
            share.failures.append((ref.id, f"rejected valid input at {exc.line}:{exc.column}: {exc.message}"))
            continue
        except Exception as exc:
            share.failures.append((ref.id, f"crashed: {type(exc).__name__}: {exc}"))
            continue
        diff = first_difference(result.program, ref.program)
        if diff is None:
            diff = first_difference(comments_as_dicts(result.comments), ref.comments, "comments")
        if diff is None:
            share.ok += 1
        else:
            share.failures.append((ref.id, diff))
    return share


def check_library_equality(parser: Parser, limit: int | None = None) -> Share:
    files = library_files(limit)
    return compare_with_acorn(
        parser, (_acorn.path_request(p) for p in files),
        lambda req: read_source(Path(req["path"])), "acorn-equal (library corpus)",
    )


def check_samples_equality(parser: Parser, samples: list[tuple[str, str]], label: str) -> Share:
    """``samples`` is a list of (source, source_type)."""
    reqs = [{"id": str(i), "source": src, "sourceType": st} for i, (src, st) in enumerate(samples)]
    share = compare_with_acorn(parser, reqs, lambda req: req["source"], label)
    share.failures = [(repr(samples[int(i)][0])[:60], why) for i, why in share.failures]
    return share


def check_test262_equality(parser: Parser, limit: int | None = None) -> Share:
    """The trees of test262's pass/ programs (exotic but valid syntax) against acorn's."""
    files = test262_files("pass", limit)
    return compare_with_acorn(
        parser,
        ({"id": str(p), "path": str(p), "sourceType": source_type_of(p)} for p in files),
        lambda req: read_source(Path(req["path"])), "acorn-equal (test262 pass/)",
    )
