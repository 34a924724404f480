"""``things worker``: serve as a worker until interrupted."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import uuid

from thingscore.control import cluster_fs
from thingscore.control.config import ConfigError, load_worker_config, open_fs, open_pubsub, pubsub_spec
from thingscore.control.readiness import check_fs, check_pubsub
from thingscore.control.worker import Worker
from thingscore.control.worker_identity import Instance, ensure_unique
from thingscore.fs import FileSystem
from thingscore.runtime import Limits
from thingscore.security import keys
from thingscore.security.keys import KeyRing


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    labels = dict(kv.split("=", 1) for kv in args.label or [] if "=" in kv) or None
    try:
        cfg = load_worker_config(args.config, {"id": args.id, "pubsub": args.pubsub, "fs": args.fs,
                                               "runtime": args.runtime, "heartbeat": args.heartbeat,
                                               "labels": labels, "low_memory_mb": args.low_memory_mb})
        if args.memory_mb is not None:
            cfg.capacity["memory_mb"] = args.memory_mb
        if args.cpus is not None:
            cfg.capacity["cpu"] = args.cpus
        ring = keys.load_for(getattr(args, "keys", None) or cfg.keys, "worker")
        limits = Limits.from_flags(args.max_memory_mb, args.max_cpu_seconds)
        me = Instance()
        fs = open_fs(cfg.fs)
        _before_ready(cfg.id, cfg.pubsub, fs, ring, me, bool(getattr(args, "replace", False)))
        pubsub = open_pubsub(cfg.pubsub, client_id=f"worker-{cfg.id}")
    except (ConfigError, Exception) as exc:  # a clear message for anything that prevents starting
        print(f"things worker: {exc}", file=sys.stderr)
        return 1
    try:
        worker = Worker(cfg.id, pubsub, fs, runtime=cfg.runtime, heartbeat=cfg.heartbeat, labels=cfg.labels,
                        capacity=cfg.capacity or None, low_memory_mb=cfg.low_memory_mb, keys=ring,
                        encrypt_snapshots=bool(getattr(args, "encrypt_snapshots", False)) or cfg.encrypt_snapshots,
                        limits=limits, identity=me)
    except ValueError as exc:
        print(f"things worker: {exc}", file=sys.stderr)
        pubsub.close()
        fs.close()
        return 1
    signal.signal(signal.SIGTERM, lambda *_: worker.stop("SIGTERM"))
    signed = "signed commands only" if ring is not None else "open: no --keys, anyone on the broker may command it"
    print(f"things worker {cfg.id}: ready ({signed})", file=sys.stderr, flush=True)
    try:
        worker.serve_forever()
    except KeyboardInterrupt:
        worker.shutdown("interrupted")
    finally:
        pubsub.close()
        fs.close()
    if worker.refused:
        print(f"things worker: {worker.refused}", file=sys.stderr)
        return 1
    return 0


def _before_ready(worker_id: str, pubsub_spec_value: str | None, fs: FileSystem, ring: KeyRing | None,
                  me: Instance, replace: bool) -> None:
    """What must hold before a worker says ready: its global FS and its broker answer, and no
    other worker runs with its id (or, with ``--replace``, the other one has stopped). Checked
    through a pub/sub client of its own, so that a running worker's broker session is never
    taken over by the check. Raises NotReady or DuplicateWorker with the one line to print."""
    _, url = pubsub_spec(pubsub_spec_value)
    shown = cluster_fs.hide_password(url) if url else str(pubsub_spec_value)
    check_fs(fs, cluster_fs.public_url(fs))
    probe = open_pubsub(pubsub_spec_value, client_id=f"worker-{worker_id}-probe-{uuid.uuid4().hex[:6]}")
    try:
        check_pubsub(probe, shown)
        ensure_unique(probe, worker_id, me, ring, replace)
    finally:
        probe.close()

