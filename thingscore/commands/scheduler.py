"""``things scheduler``: run the scheduler until interrupted."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import uuid

from thingscore import plugins
from thingscore.console import CommandError, Exit
from thingscore.control.apps import parse_duration
from thingscore.control.config import open_fs, open_pubsub
from thingscore.control.schedule import ScheduleError
from thingscore.control.scheduler import Scheduler
from thingscore.security import keys


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    every = parse_duration(args.checkpoint_every, "--checkpoint-every") if args.checkpoint_every else None
    deadline = parse_duration(args.deadline, "--deadline")
    lease = parse_duration(args.lease, "--lease") if getattr(args, "lease", None) else None
    if lease is not None and lease >= deadline:
        raise CommandError(f"--lease ({lease:g}s) must be shorter than --deadline ({deadline:g}s)", Exit.USAGE,
                           "a standby must lead before the workers of a dead leader are declared lost")
    # an unknown --policy is a usage error before anything starts
    plugins.load_class("scheduler", args.policy or plugins.default_name("scheduler"))
    ring = keys.load_for(getattr(args, "keys", None), "scheduler")
    pubsub = open_pubsub(args.pubsub, client_id=f"scheduler-{uuid.uuid4().hex[:8]}")
    try:
        fs = open_fs(args.fs)
        scheduler = Scheduler(pubsub, fs, policy=args.policy, checkpoint_every=every, deadline=deadline,
                              keep_checkpoints=args.keep_checkpoints, keys=ring, lease_ttl=lease)
    except BaseException:
        pubsub.close()
        raise
    signal.signal(signal.SIGTERM, lambda *_: scheduler.stop())
    print(f"things scheduler: ready (policy {scheduler.policy_name})", file=sys.stderr, flush=True)
    try:
        scheduler.serve_forever()
    except KeyboardInterrupt:
        scheduler.shutdown()
    except ScheduleError as exc:  # the stored schedule is unreadable, or not sealed by a scheduler
        raise CommandError(str(exc), Exit.FAILED) from exc
    finally:
        pubsub.close()
        fs.close()
    return 0
