"""``things worker``: serve as a worker until interrupted."""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from thingscore import plugins
from thingscore.console import usage
from thingscore.control.config import load_worker_config, open_fs, open_pubsub
from thingscore.control.worker import Worker
from thingscore.runtime import Limits
from thingscore.security import keys


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("stevedore").setLevel(logging.ERROR)  # "Could not load NAME": the CLI says it better
    labels = dict(kv.split("=", 1) for kv in args.label or [] if "=" in kv) or None
    bad = [kv for kv in args.label or [] if "=" not in kv]
    if bad:
        raise usage(f"--label {bad[0]!r} is not KEY=VALUE", "e.g. --label camera=true")
    cfg = load_worker_config(args.config, {"id": args.id, "pubsub": args.pubsub, "fs": args.fs,
                                           "runtime": args.runtime, "heartbeat": args.heartbeat,
                                           "labels": labels, "low_memory_mb": args.low_memory_mb})
    if args.memory_mb is not None:
        cfg.capacity["memory_mb"] = args.memory_mb
    if args.cpus is not None:
        cfg.capacity["cpu"] = args.cpus
    plugins.load_class("runtime", cfg.runtime)  # an unknown --runtime is a usage error before anything starts
    ring = keys.load_for(getattr(args, "keys", None) or cfg.keys, "worker")
    try:
        limits = Limits.from_flags(args.max_memory_mb, args.max_cpu_seconds)
    except ValueError as exc:
        raise usage(str(exc)) from exc
    pubsub = open_pubsub(cfg.pubsub, client_id=f"worker-{cfg.id}")
    try:
        fs = open_fs(cfg.fs)
        worker = Worker(cfg.id, pubsub, fs, runtime=cfg.runtime, heartbeat=cfg.heartbeat, labels=cfg.labels,
                        capacity=cfg.capacity or None, low_memory_mb=cfg.low_memory_mb, keys=ring,
                        encrypt_snapshots=bool(getattr(args, "encrypt_snapshots", False)) or cfg.encrypt_snapshots,
                        limits=limits)
    except ValueError as exc:  # --encrypt-snapshots without the keys that hold the snapshot key
        pubsub.close()
        raise usage(str(exc)) from exc
    except BaseException:
        pubsub.close()
        raise
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    signed = "signed commands only" if ring is not None else "open: no --keys, anyone on the broker may command it"
    print(f"things worker {cfg.id}: ready ({signed})", file=sys.stderr, flush=True)
    try:
        worker.serve_forever()
    except KeyboardInterrupt:
        worker.shutdown()
    finally:
        pubsub.close()
        fs.close()
    return 0
