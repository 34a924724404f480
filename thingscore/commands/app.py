"""``things app run|ls|stop``: applications, placed and kept alive by the scheduler."""

from __future__ import annotations

import argparse
import json
import os
import uuid

from thingscore.commands.dispatch import table
from thingscore.console import Exit, unreachable, waiting
from thingscore.control.config import open_fs, open_pubsub
from thingscore.control.dispatcher import Dispatcher, DispatchError
from thingscore.security import keys

APP_COLUMNS = [("app", "APP"), ("name", "PROGRAM"), ("id", "ID"), ("state", "STATE"), ("worker", "WORKER"),
               ("epoch", "EPOCH"), ("reason", "REASON")]
#: Seconds to wait for the scheduler's answer to ``status`` before saying that none runs.
SCHEDULER_PROBE = 2.0


def run(args: argparse.Namespace) -> int:
    """Exit codes: 0 every program runs, 4 some wait for a worker (each says why), 2 a bad
    application file, 3 no scheduler or broker answering; errors are raised up to the CLI."""
    ring = keys.load_for(getattr(args, "keys", None), "dispatcher")
    pubsub = open_pubsub(args.pubsub, client_id=f"app-{uuid.uuid4().hex[:8]}")
    try:
        # Without --fs (or $THINGS_FS): the cluster's, the one its workers advertise.
        fs = open_fs(args.fs) if args.fs or os.environ.get("THINGS_FS") else None
    except BaseException:
        pubsub.close()
        raise
    d = Dispatcher(pubsub, fs, client_id=f"app-{uuid.uuid4().hex[:10]}", keys=ring)
    try:
        return _run(d, args)
    finally:
        d.close()
        pubsub.close()
        if fs is not None:
            fs.close()


def _scheduler_answers(d: Dispatcher, timeout: float) -> None:
    try:
        d.scheduler("status", {}, timeout=min(timeout, SCHEDULER_PROBE))
    except DispatchError as exc:
        if "no reply" in str(exc):
            raise unreachable("no scheduler answers on this broker",
                              "start one with `things scheduler`, or name its broker with --pubsub") from exc
        raise


def _run(d: Dispatcher, args: argparse.Namespace) -> int:
    if args.app_command == "run":
        from thingscore.control.apps import load_app, upload

        spec = load_app(args.file)
        with waiting(f"instrumenting {len(spec.programs)} program(s) of {spec.name}"):
            body = upload(spec, d.fs, parser=args.parser, keys=d.keys)
        with waiting(f"asking the scheduler to start {spec.name}"):
            _scheduler_answers(d, args.timeout)
            result = d.scheduler("app-run", {"app": body, "wait": args.wait}, args.timeout + args.wait)
        print(json.dumps(result))
        return Exit.OK if result.get("state") == "running" else Exit.INCOMPLETE
    if args.app_command == "ls":
        _scheduler_answers(d, args.timeout)
        apps = d.scheduler("app-ls", {}, args.timeout)
        if args.json:
            print(json.dumps(apps, indent=2))
        else:
            table([p for a in apps for p in a["programs"]], APP_COLUMNS)
        return Exit.OK
    _scheduler_answers(d, args.timeout)
    print(json.dumps(d.scheduler("app-stop", {"name": args.name}, args.timeout + 10)))
    return Exit.OK
