"""acorn (node) as the reference parser: streams requests to ``tests/js/acorn_dump.js``.

One node process serves a whole batch: requests go in on stdin from a writer thread while
results are read back line by line, so neither pipe can fill up and deadlock, and Python
can compare file N while acorn parses file N+1.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._paths import ACORN_DUMP, NODE_MODULES


class AcornUnavailable(RuntimeError):
    """node or the acorn package is missing, so there is no reference to compare with."""


@dataclass
class AcornResult:
    id: str
    ok: bool
    source_type: str | None
    program: dict[str, Any] | None
    comments: list[dict[str, Any]]
    error: dict[str, Any] | None


def available() -> bool:
    return shutil.which("node") is not None and (NODE_MODULES / "acorn").is_dir()


def parse_many(requests: Iterable[dict[str, Any]]) -> Iterator[AcornResult]:
    """Parse each request (``{"id", "path" or "source", "sourceType"}``) with acorn, in order.

    ``sourceType`` may be ``"auto"``: script first, module if the script parse fails.
    """
    if not available():
        raise AcornUnavailable("node and tests/node_modules/acorn are needed (make node-deps)")
    reqs = list(requests)
    proc = subprocess.Popen(
        ["node", str(ACORN_DUMP)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="surrogatepass",
    )
    assert proc.stdin is not None and proc.stdout is not None

    def feed() -> None:
        assert proc.stdin is not None
        try:
            for req in reqs:
                proc.stdin.write(json.dumps(req) + "\n")
            proc.stdin.close()
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for _ in reqs:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("acorn_dump.js exited early")
            data = json.loads(line)
            yield AcornResult(
                id=str(data["id"]),
                ok=bool(data["ok"]),
                source_type=data.get("sourceType"),
                program=data.get("program"),
                comments=data.get("comments") or [],
                error=data.get("error"),
            )
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        writer.join(timeout=5)


def parse_one(source: str, source_type: str = "script") -> AcornResult:
    return next(parse_many([{"id": "0", "source": source, "sourceType": source_type}]))


def path_request(path: Path, source_type: str = "auto") -> dict[str, Any]:
    return {"id": str(path), "path": str(path), "sourceType": source_type}
