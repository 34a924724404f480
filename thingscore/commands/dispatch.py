"""``things dispatch ...``: command workers from the command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import uuid
from datetime import datetime
from typing import Any

from thingscore.console import CommandError, Exit, human_bytes, human_seconds, print_json, waiting
from thingscore.console import table as _table
from thingscore.control import output_log, program_history, protocol
from thingscore.control.config import open_fs, open_pubsub
from thingscore.control.dispatcher import Dispatcher, DispatchError
from thingscore.pubsub import Message
from thingscore.security import keys

PS_COLUMNS = [("id", "ID"), ("worker", "WORKER"), ("name", "NAME"), ("state", "STATE"), ("reason", "REASON"),
              ("cpu_seconds", "CPU_S"), ("rss_bytes", "RSS")]
WORKER_COLUMNS = [("worker", "WORKER"), ("runtime", "RUNTIME"), ("processes", "PROCESSES"), ("labels", "LABELS")]
SIZES = {"rss_bytes": human_bytes, "cpu_seconds": human_seconds}


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=None if isinstance(obj, dict) else 2))


def table(rows: list[dict[str, Any]], cols: list[tuple[str, str]]) -> None:
    """A listing as aligned columns, sizes human-readable (the `--json` flag gives the data instead)."""
    _table(rows, cols, formats=SIZES)


def run(args: argparse.Namespace) -> int:
    """Errors go up to :func:`thingscore.cli.main`, which prints them as one line with the exit
    code of their kind (an unknown worker: 2; a broker that does not answer: 3...)."""
    ring = keys.load_for(getattr(args, "keys", None), "dispatcher")
    pubsub = open_pubsub(args.pubsub, client_id=f"dispatch-{uuid.uuid4().hex[:8]}")
    try:
        # Without --fs (or $THINGS_FS) the cluster's: the one its workers advertise.
        fs = open_fs(args.fs) if args.fs or os.environ.get("THINGS_FS") else None
    except BaseException:
        pubsub.close()
        raise
    d = Dispatcher(pubsub, fs, timeout=args.timeout, keys=ring)
    try:
        return _run(d, args)
    finally:
        d.close()
        pubsub.close()
        if fs is not None:
            fs.close()


def _run(d: Dispatcher, args: argparse.Namespace) -> int:
    action = args.action
    if action == "run":
        from thingscore.runtime import Limits

        try:
            limits = Limits.from_flags(args.max_memory_mb, args.max_cpu_seconds).as_dict()
        except ValueError as exc:
            raise CommandError(str(exc), Exit.USAGE) from exc
        with waiting(f"starting {args.file} on {args.worker}"):
            started = d.run(args.worker, args.file, args=[a for a in args.args if a != "--"], limits=limits)
        print_json(started)
    elif action == "ps":
        rows = d.ps()
        if args.json:
            for row in rows:  # where each has been (dispatch history), when the global FS has it
                try:
                    row["history"] = d.history(str(row.get("id")))
                except DispatchError:
                    row["history"] = None
            _print_json(rows)
        else:
            table(rows, PS_COLUMNS)
    elif action == "workers":
        rows = d.workers()
        if args.json:
            _print_json(rows)
        else:
            table(rows, WORKER_COLUMNS)
    elif action == "migrate":
        with waiting(f"moving {args.id} to {args.worker}", delay=0):
            moved = d.migrate(args.id, args.worker)
        print_json(moved)
    elif action in ("pause", "resume", "kill", "snapshot"):
        with waiting(f"{action} {args.id}: waiting for its worker"):
            done = d.command(action, args.id)
        print_json(done)
    elif action == "restore":
        with waiting(f"restoring {args.id} on {args.worker}", delay=0):
            restored = d.restore(args.id, args.worker, snapshot=args.snapshot)
        print_json(restored)
    elif action == "drain":
        print_json(d.drain(args.worker, on=not args.undo, wait=args.wait))
    elif action == "logs":
        since = output_log.parse_since(args.since) if getattr(args, "since", None) else None
        tail = getattr(args, "tail", None)
        if tail is not None and tail < 0:
            raise CommandError("--tail takes a number of lines >= 0", Exit.USAGE)
        return _logs(d, args.id, args.follow, tail, since)
    elif action == "history":
        h = d.history(args.id)
        if args.json:
            _print_json(h)
        else:
            _print_history(h)
    return 0


def _print_history(h: dict[str, Any]) -> None:
    """Stays as a table (worker, runtime, start, end, how it came and went), then the moves."""
    def clock(iso: str | None) -> str:
        if not iso:
            return "-"
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d %H:%M:%S")

    table([{**s, "start": clock(s["start"]), "end": clock(s["end"]) if s["end"] else "(now)"} for s in h["stays"]],
          [("worker", "WORKER"), ("runtime", "RUNTIME"), ("epoch", "EPOCH"), ("start", "START"), ("end", "END"),
           ("arrived", "ARRIVED"), ("left", "LEFT")])
    if h["moves"]:
        print()
        table([{"at": clock(m["at"]), "from": m["from"], "to": m["to"],
                "snapshot": _size(m.get("snapshot_bytes")), "downtime": _ms(m.get("downtime_ms"))}
               for m in h["moves"]],
              [("at", "MOVED"), ("from", "FROM"), ("to", "TO"), ("snapshot", "SNAPSHOT"), ("downtime", "DOWNTIME")])


def _size(n: Any) -> str:
    if not isinstance(n, int | float):
        return "?"
    for unit in ("B", "KiB", "MiB"):
        if n < 1024 or unit == "MiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return "?"


def _ms(v: Any) -> str:
    return f"{v:.0f} ms" if isinstance(v, int | float) else "?"


def _write(chunks: list[output_log.Chunk]) -> None:
    for c in chunks:
        stream = sys.stdout if c.stream == "stdout" else sys.stderr
        stream.flush()
        stream.buffer.write(c.data)
        stream.buffer.flush()


def _logs(d: Dispatcher, pid: str, follow: bool, tail: int | None = None, since: float | None = None) -> int:
    """Print the program's output history from the global FS (all of it, or ``--tail`` lines,
    or ``--since`` a time); with --follow, go on until it ends, wherever it runs."""
    found = d.output_history(pid)
    if found is None:
        return _logs_of_worker(d, pid, follow)
    if found.dropped and tail is None and since is None:
        print(f"things dispatch: the first {found.dropped} records ({human_bytes(found.dropped_bytes)}) of "
              f"{pid}'s output were dropped by the workers' retention (things worker --output-max-mb, "
              "--output-max-age)", file=sys.stderr, flush=True)
    _write(output_log.select(found.chunks, tail, since))
    if not follow:
        return 0
    seen = found.dropped + len(found.chunks)  # records printed, counted from the very first one
    told_left = False

    def more() -> None:
        nonlocal seen
        now = d.output_history(pid) or output_log.History()
        # a cut by retention in between moves the start: what was already printed is skipped
        # (and what came and was dropped between two reads is not there to print)
        _write(now.chunks[max(seen - now.dropped, 0):])
        seen = max(seen, now.dropped + len(now.chunks))

    try:
        while True:
            history = _events(d, pid)
            time.sleep(0.3)
            more()
            last = history[-1]["event"] if history else ""
            if last == "end":
                more()  # what its worker flushed with the end
                return 0
            if last == "left" and not told_left:
                told_left = True
                print(f"things dispatch: the worker of {pid} left; waiting for the program to run elsewhere "
                      "(Ctrl-C to stop)", file=sys.stderr, flush=True)
            elif last != "left":
                told_left = False
    except KeyboardInterrupt:
        return 0


def _events(d: Dispatcher, pid: str) -> list[dict[str, Any]]:
    return program_history.read(d.fs, pid) or []


def _logs_of_worker(d: Dispatcher, pid: str, follow: bool) -> int:
    """No history in the global FS (a worker of an older version): what the worker that runs
    it has kept; with --follow, go on (across migrations) until it ends."""
    done = threading.Event()
    replayed = threading.Event()  # output that came before the worker's buffer was read is in it
    if follow:
        def out(msg: Message) -> None:
            if not replayed.is_set():
                return
            stream = sys.stdout if msg.topic.endswith("/stdout") else sys.stderr
            stream.buffer.write(msg.payload)
            stream.flush()

        def event(msg: Message) -> None:
            try:
                body = json.loads(msg.payload)
            except ValueError:
                return
            if body.get("state") in ("exited", "failed") and not str(body.get("reason", "")).startswith("migrated"):
                done.set()

        subs = [d.pubsub.subscribe(protocol.output_topic(pid, "stdout"), out),
                d.pubsub.subscribe(protocol.output_topic(pid, "stderr"), out),
                d.pubsub.subscribe(protocol.event_topic(pid), event)]
    worker = d.locate(pid)
    logs = d.request(worker, "logs", {"pid": pid})
    sys.stdout.write(logs.get("stdout", ""))
    sys.stderr.write(logs.get("stderr", ""))
    sys.stdout.flush()
    replayed.set()
    if not follow:
        return 0
    try:
        state = next((p["state"] for p in d.ps() if p.get("id") == pid), "exited")
        if state in ("exited", "failed"):
            done.set()
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for s in subs:
            d.pubsub.unsubscribe(s)
    return 0
