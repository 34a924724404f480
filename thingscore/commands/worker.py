"""``things worker``: serve as a worker until interrupted."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import uuid

from thingscore import plugins
from thingscore.console import CommandError, Exit, usage
from thingscore.control import cluster_fs
from thingscore.control.apps import parse_duration
from thingscore.control.config import load_worker_config, open_fs, open_pubsub, pubsub_spec
from thingscore.control.output_log import DEFAULT_MAX_BYTES, Retention
from thingscore.control.readiness import NotReady, check_fs, check_pubsub
from thingscore.control.worker import Worker
from thingscore.control.worker_identity import DuplicateWorker, Instance, ensure_unique
from thingscore.fs import FileSystem
from thingscore.runtime import Limits
from thingscore.security import keys
from thingscore.security.keys import KeyRing


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    labels = dict(kv.split("=", 1) for kv in args.label or [] if "=" in kv) or None
    bad = [kv for kv in args.label or [] if "=" not in kv]
    if bad:
        raise usage(f"--label {bad[0]!r} is not KEY=VALUE", "e.g. --label camera=true")
    try:
        age = getattr(args, "output_max_age", None)
        age = parse_duration(age, "--output-max-age") if age is not None else None
    except ValueError as exc:
        raise usage(str(exc), "e.g. --output-max-age 7d") from exc
    cfg = load_worker_config(args.config, {"id": args.id, "pubsub": args.pubsub, "fs": args.fs,
                                           "runtime": args.runtime, "heartbeat": args.heartbeat,
                                           "labels": labels, "low_memory_mb": args.low_memory_mb,
                                           "output_max_mb": getattr(args, "output_max_mb", None),
                                           "output_max_age": age})
    if args.memory_mb is not None:
        cfg.capacity["memory_mb"] = args.memory_mb
    if args.cpus is not None:
        cfg.capacity["cpu"] = args.cpus
    # an unknown --runtime is a usage error before anything starts
    plugins.load_class("runtime", cfg.runtime or plugins.default_name("runtime"))
    ring = keys.load_for(getattr(args, "keys", None) or cfg.keys, "worker")
    try:
        limits = Limits.from_flags(args.max_memory_mb, args.max_cpu_seconds)
        retention = Retention(
            max_bytes=int(cfg.output_max_mb * 1024 * 1024) if cfg.output_max_mb is not None else DEFAULT_MAX_BYTES,
            max_age=cfg.output_max_age)
    except ValueError as exc:
        raise usage(str(exc)) from exc
    me = Instance()
    fs = open_fs(cfg.fs, check=False)  # checked below, with the worker's own words
    try:
        _before_ready(cfg.id, cfg.pubsub, fs, ring, me, bool(getattr(args, "replace", False)))
    except NotReady as exc:
        fs.close()
        raise CommandError(str(exc), Exit.UNREACHABLE) from exc
    except DuplicateWorker as exc:
        fs.close()
        raise CommandError(str(exc), Exit.FAILED) from exc
    except BaseException:
        fs.close()
        raise
    pubsub = open_pubsub(cfg.pubsub, client_id=f"worker-{cfg.id}")
    try:
        worker = Worker(cfg.id, pubsub, fs, runtime=cfg.runtime, heartbeat=cfg.heartbeat, labels=cfg.labels,
                        capacity=cfg.capacity or None, low_memory_mb=cfg.low_memory_mb, keys=ring,
                        encrypt_snapshots=bool(getattr(args, "encrypt_snapshots", False)) or cfg.encrypt_snapshots,
                        limits=limits, identity=me, output_retention=retention)
    except ValueError as exc:  # --encrypt-snapshots without the keys that hold the snapshot key
        pubsub.close()
        fs.close()
        raise usage(str(exc)) from exc
    except BaseException:
        pubsub.close()
        fs.close()
        raise
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
        raise CommandError(worker.refused, Exit.FAILED)
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

