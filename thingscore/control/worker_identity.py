"""One worker per id: a second ``things worker --id X`` is refused, or replaces the first.

Two workers with one id share a command topic and a broker session (MQTT takes the session
over, Redis splits one inbox between them): commands go to either, heartbeats mix, and one
of them silently stops answering. So before it subscribes to anything under its id, a
starting worker asks that id for ``info`` (through a client of its own, so that no session
is taken over) and listens to its heartbeats for a moment. If one answers, the newcomer is
refused, or with ``--replace`` tells the old one to stop (naming its instance, so that a
``replace`` left queued in a broker session can never stop a later worker) and waits until
it has gone. While running, a worker that hears heartbeats of another instance of its id
(two started at the same moment) logs it, and the younger one stops.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from thingscore.pubsub import Message, PubSub
from thingscore.security.envelope import Guard
from thingscore.security.keys import KeyRing

from . import heartbeat_seal, protocol
from .client import ControlClient, NoReply, UntrustedReply

log = logging.getLogger("things.worker")


@dataclass(frozen=True)
class Instance:
    """Who a running worker is, beyond its id: what its heartbeats and ``info`` carry."""

    instance: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    host: str = field(default_factory=socket.gethostname)
    os_pid: int = field(default_factory=os.getpid)
    since: float = field(default_factory=time.time)

    def describe(self) -> dict[str, Any]:
        return {"instance": self.instance, "host": self.host, "os_pid": self.os_pid, "since": self.since}


class DuplicateWorker(Exception):
    """Another worker runs with this id (the message says where, and how to replace it)."""


def where(info: dict[str, Any]) -> str:
    host, pid, since = info.get("host"), info.get("os_pid"), info.get("since")
    bits = []
    if host:
        bits.append(f"on host {host}")
    if pid:
        bits.append(f"pid {pid}")
    if isinstance(since, int | float):
        bits.append("since " + time.strftime("%H:%M:%S", time.localtime(since)))
    return ", ".join(bits) or "somewhere on this broker"


def find_running(pubsub: PubSub, worker_id: str, keys: KeyRing | None, wait: float = 1.0,
                 claimant: Instance | None = None, replace: bool = False) -> dict[str, Any] | None:
    """The ``info`` of a worker that answers as ``worker_id`` (or whose heartbeat is heard
    within ``wait`` seconds), or None. With ``claimant``, the running worker is told who asks
    (it logs that a second worker tried to take its id)."""
    heard: dict[str, Any] = {}
    got = threading.Event()

    guard = Guard(keys) if keys is not None else None  # with keys, a forged heartbeat proves nothing

    def on_heartbeat(msg: Message) -> None:
        body = heartbeat_seal.body_or_none(msg.payload, guard)
        if body is not None and body.get("worker") == worker_id and not body.get("leaving"):
            heard.update(body)
            got.set()

    client = ControlClient(pubsub, f"worker-{worker_id}-probe-{uuid.uuid4().hex[:6]}", keys)
    sub = pubsub.subscribe(protocol.heartbeat_topic(worker_id), on_heartbeat)
    try:
        try:
            args = {"claimant": claimant.describe(), "replace": replace} if claimant is not None else {}
            reply = client.request(worker_id, "info", args, timeout=wait)
        except UntrustedReply as exc:  # an answer we cannot trust is still someone answering
            return {"worker": worker_id, "error": str(exc)}
        except NoReply:
            reply = None
        if reply is not None:
            if reply.ok and isinstance(reply.result, dict):
                return reply.result
            return {"worker": worker_id, "error": reply.error}  # it answered: it exists
        return heard if got.is_set() else None
    finally:
        client.close()
        try:
            pubsub.unsubscribe(sub)
        except Exception:  # best effort: the answer is what matters
            pass


def ensure_unique(pubsub: PubSub, worker_id: str, me: Instance, keys: KeyRing | None, replace: bool,
                  wait: float = 1.0, gone_within: float = 30.0) -> None:
    """Return when no other worker runs as ``worker_id``: at once if none answers; with
    ``replace`` after telling the running one to stop and seeing it gone. DuplicateWorker
    otherwise."""
    ring = keys.as_role("worker") if keys is not None else None
    other = find_running(pubsub, worker_id, ring, wait, claimant=me, replace=replace)
    if other is None:
        return
    if not replace:
        raise DuplicateWorker(f"a worker with id {worker_id} already runs ({where(other)}); refusing to start a "
                              f"second one: stop it first, or start this one with --replace to replace it")
    target = other.get("instance")
    log.warning("worker %s already runs (%s): telling it to stop, this one replaces it", worker_id, where(other))
    client = ControlClient(pubsub, f"worker-{worker_id}-probe-{uuid.uuid4().hex[:6]}", ring)
    try:
        try:
            reply = client.request(worker_id, "replace", {"target": target, **me.describe()}, timeout=10.0)
        except NoReply:
            reply = None
        if reply is not None and not reply.ok:
            raise DuplicateWorker(f"the worker {worker_id} already running ({where(other)}) refused to be "
                                  f"replaced: {reply.error}")
    finally:
        client.close()
    deadline = time.monotonic() + gone_within
    while time.monotonic() < deadline:
        still = find_running(pubsub, worker_id, ring, wait)
        if still is None or (target and still.get("instance") not in (None, target)):
            log.warning("worker %s (%s) has stopped; this one takes its place", worker_id, where(other))
            return
    raise DuplicateWorker(f"the worker {worker_id} already running ({where(other)}) was told to stop but still "
                          f"answers after {gone_within:g}s")
