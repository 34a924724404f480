"""Shared helpers for the scope tests: acorn trees and eslint-scope dumps from node.

One node process (tests/js/scope_oracle.js) serves a whole batch of requests, so the
cost of starting node is paid once per test module, not per snippet.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent
NODE_MODULES = TESTS / "node_modules"
ORACLE = TESTS / "js" / "scope_oracle.js"


def node_available() -> bool:
    return shutil.which("node") is not None and (NODE_MODULES / "eslint-scope").is_dir()


def run_oracle(requests: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Parse and analyse each request with acorn + eslint-scope; results by request id."""
    if not node_available():
        pytest.skip("node and tests/node_modules (acorn, eslint-scope) are needed")
    proc = subprocess.run(
        ["node", str(ORACLE)],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    results: dict[str, dict[str, Any]] = {}
    # JSON lines; split on "\n" only, because JSON.stringify leaves U+2028 unescaped.
    for line in proc.stdout.split("\n"):
        if line:
            result = json.loads(line)
            results[result["id"]] = result
    return results


def parse_many(sources: dict[str, tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """``{name: (source, source_type)}`` -> ``{name: acorn Program}``; fails on syntax errors."""
    results = run_oracle(
        [{"id": name, "source": src, "sourceType": st} for name, (src, st) in sources.items()]
    )
    trees = {}
    for name, result in results.items():
        assert result["ok"], f"{name}: {result.get('error')}"
        trees[name] = result["ast"]
    return trees


def first_difference(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> str:
    """A readable account of where two scope dumps first differ."""
    if len(ours) != len(theirs):
        kinds = [(s["type"], s["range"]) for s in ours], [(s["type"], s["range"]) for s in theirs]
        return f"scope count {len(ours)} != {len(theirs)}:\n ours   {kinds[0]}\n theirs {kinds[1]}"
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return (
                    f"scope {i} ({b['type']} {b['range']}) field {key!r}:\n"
                    f" ours   {json.dumps(a.get(key))[:1500]}\n theirs {json.dumps(b.get(key))[:1500]}"
                )
    return "no difference"
