"""Run a program and migrate it between fresh runtime processes every K callbacks.

This is ``things exec``: the differential harness of the whole system (the program's
stdout must be byte for byte what plain ``node`` prints) and the simplest migration there
is — snapshot at an event-loop boundary, stop the process, start a fresh one from the
snapshot, as many times as asked.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thingscore import plugins
from thingscore.instrument import dynamic
from thingscore.instrument.bundle import instrument
from thingscore.runtime import Limits, Runtime, StartRequest

EXIT_MIGRATION_FAILED = 4  # thingscore.console.Exit.INCOMPLETE: it ran, but not all that was asked


@dataclass
class HopRecord:
    after_callbacks: int
    snapshot_bytes: int
    snapshot_ms: float
    restore_ms: float
    runtime: str
    resume_ms: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"after_callbacks": self.after_callbacks, "snapshot_bytes": self.snapshot_bytes,
                "snapshot_ms": round(self.snapshot_ms, 3), "restore_ms": round(self.restore_ms, 3),
                "runtime": self.runtime, "resume_ms": round(self.resume_ms, 3)}


@dataclass
class ExecResult:
    exit_code: int
    hops: list[HopRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stop_reason: str | None = None  # the limit the runtime stopped the program for

    def report(self) -> dict[str, Any]:
        return {"hops": [h.as_dict() for h in self.hops], "exit_code": self.exit_code}


def _log(message: str) -> None:
    sys.stderr.write(f"things: {message}\n")
    sys.stderr.flush()


def _exit_code(rc: int) -> int:
    return 128 - rc if rc < 0 else rc


def execute(file: str | Path, *, hops: int, every: int, runtimes: list[str], args: list[str] | None = None,
            snapshot_dir: Path | None = None, parser: str | None = None, limits: Limits | None = None,
            on_hop: Callable[[int], None] | None = None) -> ExecResult:
    """Run ``file`` migrating it ``hops`` times, every ``every`` callbacks; each process gets
    ``limits`` (a program over one is stopped: the reason on stderr, a non-zero exit code)."""
    main = Path(file).resolve()
    program = instrument(main, parser=parser)
    loaded: dict[str, Runtime] = {}
    for name in runtimes:
        if name not in loaded:
            loaded[name] = plugins.load("runtime", name)
    work = Path(tempfile.mkdtemp(prefix="things-exec-"))
    try:
        program_file = work / "program.js"
        program_file.write_text(program.render(), encoding="utf-8")
        return _run_hops(program_file, main.parent, loaded, runtimes, hops, every, args or [], work, snapshot_dir,
                         limits or Limits(), parser, on_hop)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run_hops(program_file: Path, cwd: Path, loaded: dict[str, Runtime], runtimes: list[str], hops: int,
              every: int, args: list[str], work: Path, snapshot_dir: Path | None, limits: Limits,
              parser: str | None = None, on_hop: Callable[[int], None] | None = None) -> ExecResult:
    result = ExecResult(exit_code=0)
    snapshot_in: Path | None = None
    pending: HopRecord | None = None
    hop = 0
    failed = False
    while True:
        name = runtimes[hop % len(runtimes)]
        out = work / f"hop-{hop + 1}.json"
        migrate = hop < hops and not failed
        req = StartRequest(program=program_file, args=args, restore_from=snapshot_in,
                           snapshot_every=every if migrate else 0, snapshot_path=out if migrate else None, cwd=cwd,
                           limits=limits, env={dynamic.ENV: "1"})
        started = time.perf_counter()
        proc = loaded[name].start(req)
        _serve_requests(proc, parser)
        snap_msg: dict[str, Any] | None = None
        for msg in proc.messages():
            kind = msg.get("type")
            if kind == "restored" and pending is not None:
                pending.restore_ms = float(msg.get("ms", 0.0))
                pending.resume_ms = (time.perf_counter() - started) * 1000
                result.hops.append(pending)
                pending = None
                if on_hop is not None:
                    on_hop(len(result.hops))
            elif kind == "snapshot":
                snap_msg = msg
            elif kind == "snapshot-error":
                failed = True
                text = f"cannot migrate: {msg.get('message')}"
                result.errors.append(text)
                _log(text + " (the program keeps running here)")
            elif kind == "restore-error":
                result.errors.append(f"cannot restore: {msg.get('message')}")
        rc = proc.wait()
        reason = getattr(proc, "stop_reason", None)
        if reason:
            _log(f"program stopped: {reason}")
            result.stop_reason = reason
            result.errors.append(str(reason))
            result.exit_code = _exit_code(rc) or 1
            return result
        if pending is not None:  # restore failed before it said so
            result.errors.append("the restored process ended before it resumed")
            result.exit_code = _exit_code(rc) or 1
            return result
        if snap_msg is None or not out.exists():
            result.exit_code = _exit_code(rc)
            if failed and result.exit_code == 0:
                result.exit_code = EXIT_MIGRATION_FAILED
            return result
        hop += 1
        if snapshot_dir is not None:
            snapshot_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out, snapshot_dir / f"hop-{hop}.json")
        pending = HopRecord(after_callbacks=int(snap_msg.get("after_callbacks", 0)),
                            snapshot_bytes=int(snap_msg.get("bytes", out.stat().st_size)),
                            snapshot_ms=float(snap_msg.get("ms", 0.0)), restore_ms=0.0,
                            runtime=runtimes[hop % len(runtimes)])
        if snapshot_in is not None and snapshot_dir is None:
            snapshot_in.unlink(missing_ok=True)
        snapshot_in = out


def _serve_requests(proc: Any, parser: str | None) -> None:
    """The program's synchronous requests: code it makes at run time, instrumented (see
    thingscore/instrument/dynamic.py); `things exec` has no global file system."""
    requests, replies = getattr(proc, "rpc_requests", None), getattr(proc, "rpc_replies", None)
    if requests is not None and replies is not None:
        threading.Thread(target=dynamic.serve, args=(requests, replies, parser), daemon=True).start()


__all__ = ["execute", "ExecResult", "HopRecord"]
