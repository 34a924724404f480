"""``things scheduler``: run the scheduler until interrupted."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import uuid

from thingscore.control.apps import AppSpecError, parse_duration
from thingscore.control.config import ConfigError, open_fs, open_pubsub
from thingscore.control.schedule import ScheduleError
from thingscore.control.scheduler import Scheduler
from thingscore.security import keys


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        every = parse_duration(args.checkpoint_every, "--checkpoint-every") if args.checkpoint_every else None
        deadline = parse_duration(args.deadline, "--deadline")
        lease = parse_duration(args.lease, "--lease") if getattr(args, "lease", None) else None
        if lease is not None and lease >= deadline:
            raise AppSpecError(f"--lease ({lease:g}s) must be shorter than --deadline ({deadline:g}s): a standby "
                               "must lead before the workers of a dead leader's cluster are declared lost")
        ring = keys.load_for(getattr(args, "keys", None), "scheduler")
        pubsub = open_pubsub(args.pubsub, client_id=f"scheduler-{uuid.uuid4().hex[:8]}")
        fs = open_fs(args.fs)
        scheduler = Scheduler(pubsub, fs, policy=args.policy, checkpoint_every=every, deadline=deadline,
                              keep_checkpoints=args.keep_checkpoints, keys=ring, lease_ttl=lease)
    except (AppSpecError, ConfigError, Exception) as exc:  # a clear message for anything that prevents starting
        print(f"things scheduler: {exc}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, lambda *_: scheduler.stop())
    print(f"things scheduler: ready (policy {scheduler.policy_name})", file=sys.stderr, flush=True)
    try:
        scheduler.serve_forever()
    except KeyboardInterrupt:
        scheduler.shutdown()
    except ScheduleError as exc:  # the stored schedule is unreadable, or not sealed by a scheduler
        print(f"things scheduler: {exc}", file=sys.stderr)
        return 1
    finally:
        pubsub.close()
        fs.close()
    return 0
