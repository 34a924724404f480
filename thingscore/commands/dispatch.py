"""``things dispatch ...``: command workers from the command line."""

from __future__ import annotations

import argparse
import json
import sys
import threading
import uuid
from typing import Any

from thingscore.console import CommandError, Exit, human_bytes, human_seconds, print_json, waiting
from thingscore.console import table as _table
from thingscore.control import protocol
from thingscore.control.config import open_fs, open_pubsub
from thingscore.control.dispatcher import Dispatcher
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
        fs = open_fs(args.fs)
    except BaseException:
        pubsub.close()
        raise
    d = Dispatcher(pubsub, fs, timeout=args.timeout, keys=ring)
    try:
        return _run(d, args)
    finally:
        d.close()
        pubsub.close()
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
    elif action == "drain":
        print_json(d.drain(args.worker, on=not args.undo, wait=args.wait))
    elif action == "logs":
        return _logs(d, args.id, args.follow)
    return 0


def _logs(d: Dispatcher, pid: str, follow: bool) -> int:
    """Print what the program wrote so far; with --follow, go on (across migrations) until it ends."""
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
