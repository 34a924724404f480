"""What a test262 run tells: shares by folder, the failures with a reason, the categories.

The share that matters is *passed / held*, where *held* are the tests plain node passes
(baseline fails are not the instrumenter's to fix); refusals DESIGN.md allows are counted
apart and count against the share.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from .runner import BASELINE, FAIL, PASS, REFUSED, TestResult
from .suite import folder_of

COLUMNS = (PASS, FAIL, REFUSED, BASELINE)


def by_folder(results: Iterable[TestResult]) -> dict[str, Counter[str]]:
    table: dict[str, Counter[str]] = {}
    for r in results:
        table.setdefault(folder_of(r.test), Counter())[r.status] += 1
    return dict(sorted(table.items()))


def categories(results: Iterable[TestResult]) -> Counter[str]:
    """Failure categories of the instrumented failures, most frequent first."""
    return Counter(r.category or "uncategorised" for r in results if r.status == FAIL)


def share(c: Counter[str]) -> str:
    held = sum(c[k] for k in (PASS, FAIL, REFUSED))
    return f"{100.0 * c[PASS] / held:5.1f}%" if held else "    -"


def text_report(results: list[TestResult], seconds: float) -> list[str]:
    table = by_folder(results)
    total: Counter[str] = Counter()
    for c in table.values():
        total.update(c)
    width = max([len("folder"), *(len(f) for f in table)]) + 2
    head = f"{'folder':<{width}}" + "".join(f"{k:>16}" for k in COLUMNS) + "     share"
    lines = [head, "-" * len(head)]
    for folder, c in [*table.items(), ("total", total)]:
        if folder == "total":
            lines.append("-" * len(head))
        lines.append(f"{folder:<{width}}" + "".join(f"{c[k]:>16}" for k in COLUMNS) + f"    {share(c)}")
    moved = [m.moves for r in results for m in r.modes if m.moves is not None]
    if moved:
        with_moves = sum(1 for n in moved if n)
        lines.append(f"async runs moved at every event-loop boundary: {len(moved)}, of which {with_moves} had a "
                     f"boundary to move at ({sum(moved)} moves); promise-only tests finish in their first turn")
    rate = len(results) / seconds if seconds > 0 else 0.0
    lines.append(f"{len(results)} tests in {seconds:.0f} s ({rate:.1f} tests/s); share = passed / tests plain node "
                 "passes (refusals count against it)")
    bad = [r for r in results if r.status == FAIL]
    if bad:
        lines.append("")
        lines.append("categories:")
        for cat, n in categories(results).most_common():
            lines.append(f"  {n:6}  {cat}")
        lines.append("")
        lines.append("failing tests:")
        for r in sorted(bad, key=lambda r: r.test):
            lines.append(f"  {r.status:16} {r.test}  {r.reason}")
    refused = [r for r in results if r.status == REFUSED]
    if refused:
        lines.append("")
        lines.append(f"refused as DESIGN.md allows ({len(refused)}):")
        for r in sorted(refused, key=lambda r: r.test):
            lines.append(f"  {r.test}  {r.reason}")
    return lines


def json_report(results: list[TestResult], seconds: float, suite: str) -> dict[str, Any]:
    table = by_folder(results)
    return {
        "suite": suite,
        "tests": len(results),
        "seconds": round(seconds, 1),
        "tests_per_second": round(len(results) / seconds, 2) if seconds > 0 else None,
        "totals": dict(Counter(r.status for r in results)),
        "moved_runs": sum(1 for r in results for m in r.modes if m.moves),
        "moves": sum(m.moves or 0 for r in results for m in r.modes),
        "folders": {f: {k: c[k] for k in COLUMNS} for f, c in table.items()},
        "categories": dict(categories(results).most_common()),
        "results": [r.as_dict() for r in sorted(results, key=lambda r: r.test)],
    }


def exit_code(results: Iterable[TestResult]) -> int:
    """Non-zero when a test plain node passes fails instrumented (module tests included)."""
    return 1 if any(r.status == FAIL for r in results) else 0
