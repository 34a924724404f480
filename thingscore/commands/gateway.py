"""``things gateway --pubsub URL --port 7902``: the WebSocket door for web pages (until interrupted).

It prints one line when it listens (``things gateway: listening on ws://HOST:PORT ...``), so that
scripts and tests can wait for it."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import uuid

from thingscore.control.config import open_fs, open_pubsub
from thingscore.security import keys


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from thingscore.gateway.door import Door
    from thingscore.gateway.server import GatewayServer

    path = getattr(args, "keys", None) or os.environ.get("THINGS_KEYS") or None
    ring = keys.load(path).as_role("dispatcher") if path else None
    pubsub = open_pubsub(args.pubsub, client_id=f"gateway-{uuid.uuid4().hex[:8]}")
    fs = open_fs(args.fs) if args.fs or os.environ.get("THINGS_FS") else None
    door = Door(pubsub, fs, ring, policy=args.policy, timeout=args.timeout)
    server = GatewayServer(door)

    def ready(srv: object) -> None:
        print(f"things gateway: listening on ws://{args.host}:{args.port} (pub/sub {pubsub.url}; "
              f"pages {'must sign with a browser key' if ring is not None else 'are not authenticated: open cluster'})",
              flush=True)

    try:
        asyncio.run(server.serve(args.host, args.port, ready))
    except KeyboardInterrupt:
        pass
    finally:
        door.close()
        pubsub.close()
        if fs is not None:
            fs.close()
    return 0
