"""``things dispatch ...``: command workers from the command line."""

from __future__ import annotations

import argparse
import json
import sys
import threading
import uuid
from typing import Any

from thingscore.control import protocol
from thingscore.control.config import ConfigError, open_fs, open_pubsub
from thingscore.control.dispatcher import Dispatcher, DispatchError
from thingscore.parsing import JSSyntaxError
from thingscore.pubsub import Message
from thingscore.runtime import Limits
from thingscore.security import keys


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=None if isinstance(obj, dict) else 2))


def table(rows: list[dict[str, Any]], cols: list[tuple[str, str]]) -> None:
    """A listing as aligned columns (the `--json` flag gives the data instead)."""
    data = [[str(r.get(k, "")) if r.get(k) is not None else "" for k, _ in cols] for r in rows]
    widths = [max([len(h)] + [len(row[i]) for row in data]) for i, (_, h) in enumerate(cols)]
    print("  ".join(h.ljust(w) for (_, h), w in zip(cols, widths, strict=True)).rstrip())
    for row in data:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def run(args: argparse.Namespace) -> int:
    try:
        ring = keys.load_for(getattr(args, "keys", None), "dispatcher")
        pubsub = open_pubsub(args.pubsub, client_id=f"dispatch-{uuid.uuid4().hex[:8]}")
        fs = open_fs(args.fs)
    except (ConfigError, Exception) as exc:
        print(f"things dispatch: {exc}", file=sys.stderr)
        return 1
    d = Dispatcher(pubsub, fs, timeout=args.timeout, keys=ring)
    try:
        return _run(d, args)
    except (DispatchError, JSSyntaxError, ValueError) as exc:  # ValueError: a bad --max-* flag
        print(f"things dispatch: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"things dispatch: {exc}", file=sys.stderr)
        return 1
    finally:
        d.close()
        pubsub.close()
        fs.close()


def _run(d: Dispatcher, args: argparse.Namespace) -> int:
    action = args.action
    if action == "run":
        limits = Limits.from_flags(args.max_memory_mb, args.max_cpu_seconds).as_dict()
        _print_json(d.run(args.worker, args.file, args=[a for a in args.args if a != "--"], limits=limits))
    elif action == "ps":
        rows = d.ps()
        if args.json:
            _print_json(rows)
        else:
            table(rows, [("id", "ID"), ("worker", "WORKER"), ("name", "NAME"), ("state", "STATE"),
                          ("reason", "REASON"), ("cpu_seconds", "CPU_S"), ("rss_bytes", "RSS")])
    elif action == "workers":
        rows = d.workers()
        if args.json:
            _print_json(rows)
        else:
            table(rows, [("worker", "WORKER"), ("runtime", "RUNTIME"), ("processes", "PROCESSES"),
                          ("labels", "LABELS")])
    elif action == "migrate":
        _print_json(d.migrate(args.id, args.worker))
    elif action in ("pause", "resume", "kill", "snapshot"):
        _print_json(d.command(action, args.id))
    elif action == "drain":
        _print_json(d.drain(args.worker, on=not args.undo, wait=args.wait))
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
