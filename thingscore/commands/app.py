"""``things app run|ls|stop``: applications, placed and kept alive by the scheduler."""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid

from thingscore.commands.dispatch import table
from thingscore.control.apps import AppSpecError, load_app, upload
from thingscore.control.config import ConfigError, open_fs, open_pubsub
from thingscore.control.dispatcher import Dispatcher, DispatchError
from thingscore.parsing import JSSyntaxError
from thingscore.security import keys

APP_COLUMNS = [("app", "APP"), ("name", "PROGRAM"), ("id", "ID"), ("state", "STATE"), ("worker", "WORKER"),
               ("epoch", "EPOCH"), ("reason", "REASON")]


def run(args: argparse.Namespace) -> int:
    try:
        ring = keys.load_for(getattr(args, "keys", None), "dispatcher")
        pubsub = open_pubsub(args.pubsub, client_id=f"app-{uuid.uuid4().hex[:8]}")
        # Without --fs (or $THINGS_FS): the cluster's, the one its workers advertise.
        fs = open_fs(args.fs) if args.fs or os.environ.get("THINGS_FS") else None
    except (ConfigError, Exception) as exc:
        print(f"things app: {exc}", file=sys.stderr)
        return 1
    d = Dispatcher(pubsub, fs, client_id=f"app-{uuid.uuid4().hex[:10]}", keys=ring)
    try:
        if args.app_command == "run":
            spec = load_app(args.file)
            body = upload(spec, d.fs, parser=args.parser, keys=d.keys)
            result = d.scheduler("app-run", {"app": body, "wait": args.wait}, args.timeout + args.wait)
            print(json.dumps(result))
            return 0 if result.get("state") == "running" else 2
        if args.app_command == "ls":
            apps = d.scheduler("app-ls", {}, args.timeout)
            if args.json:
                print(json.dumps(apps, indent=2))
            else:
                table([p for a in apps for p in a["programs"]], APP_COLUMNS)
            return 0
        if args.app_command == "stop":
            print(json.dumps(d.scheduler("app-stop", {"name": args.name}, args.timeout + 10)))
            return 0
    except (AppSpecError, DispatchError, JSSyntaxError, OSError) as exc:
        print(f"things app: {exc}", file=sys.stderr)
        return 1
    finally:
        d.close()
        pubsub.close()
        if fs is not None:
            fs.close()
    return 1
