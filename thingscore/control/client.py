"""Request/reply over pub/sub: send a command to a worker and wait for its answer.

With the cluster's keys, commands go out signed and only signed replies are believed: an
unsigned or forged reply to a pending request fails it with the reason, so that nobody can
answer "done" in a worker's name.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from thingscore.pubsub import Message, PubSub
from thingscore.security import envelope
from thingscore.security.envelope import Guard, Refused
from thingscore.security.keys import KeyRing

from . import protocol
from .protocol import Command, ProtocolError, Reply

log = logging.getLogger("things.control")

#: After every expected worker answered a broadcast: how long to wait for one more.
SETTLE = 0.02


class NoReply(TimeoutError):
    """The worker did not answer in time (unknown, lost, or busy)."""


class UntrustedReply(NoReply):
    """A reply to a pending request without a valid signature of the cluster: no trusted reply."""


class ControlClient:
    """Sends commands and collects replies on its own reply topic."""

    def __init__(self, pubsub: PubSub, client_id: str, ring: KeyRing | None = None) -> None:
        self.pubsub = pubsub
        self.client_id = client_id
        self.ring = ring
        self._guard = Guard(ring) if ring is not None else None
        self._lock = threading.Lock()
        self._waiters: dict[str, Future[Reply]] = {}
        self._target: dict[str, str] = {}  # command id -> the worker it went to
        self._gather: dict[str, list[Reply]] = {}
        self._arrived: dict[str, threading.Condition] = {}
        self._sub = pubsub.subscribe(protocol.reply_topic(client_id), self._on_reply, durable=True)

    def _on_reply(self, msg: Message) -> None:
        payload, refused = msg.payload, ""
        if self._guard is not None:
            try:
                payload = self._guard.open(payload).body
            except Refused as exc:
                refused, payload = str(exc), envelope.strip(payload)
        else:
            payload = envelope.strip(payload)
        try:
            reply = protocol.decode_reply(payload)
        except ProtocolError as exc:
            log.warning("refused a malformed reply on %s: %s", msg.topic, exc)
            return
        if refused:
            log.warning("refused a reply on %s from %r: %s", msg.topic, reply.worker, refused)
            with self._lock:
                fut = self._waiters.get(reply.re)
            if fut is not None and not fut.done():
                fut.set_exception(UntrustedReply(f"the reply from {reply.worker or 'a worker'!r} was refused: "
                                                 f"{refused} (does it run with the cluster's --keys?)"))
            return
        with self._lock:
            fut = self._waiters.get(reply.re)
            gathered = self._gather.get(reply.re)
            if gathered is not None:
                gathered.append(reply)
                self._arrived[reply.re].notify_all()
        if gathered is None and fut is not None and not fut.done():
            fut.set_result(reply)

    def request(self, worker: str, cmd: str, args: dict[str, Any] | None = None, timeout: float = 10.0,
                topic: str | None = None) -> Reply:
        """Send ``cmd`` to a worker (or to ``topic``, e.g. the scheduler's) and wait for the reply."""
        command = Command(cmd=cmd, args=args or {}, reply_to=protocol.reply_topic(self.client_id),
                          sender=self.client_id)
        fut: Future[Reply] = Future()
        with self._lock:
            self._waiters[command.id] = fut
            self._target[command.id] = worker
        try:
            self.pubsub.publish(topic or protocol.command_topic(worker), self._wire(command), durable=True)
            return fut.result(timeout)
        except NoReply:
            raise
        except FutureTimeout as exc:
            who = f"worker {worker!r}" if topic is None else worker
            raise NoReply(f"no reply from {who} to {cmd} within {timeout:g}s") from exc
        finally:
            with self._lock:
                self._waiters.pop(command.id, None)
                self._target.pop(command.id, None)

    def _wire(self, command: Command) -> bytes:
        body = command.encode()
        return envelope.seal(self.ring, body) if self.ring is not None else body

    def abandon(self, worker: str, why: str) -> int:
        """Stop waiting for ``worker`` (it was declared lost): its pending requests fail now
        with NoReply instead of at their time-outs. Returns how many were pending."""
        with self._lock:
            ids = [cid for cid, w in self._target.items() if w == worker]
            futs = [self._waiters[cid] for cid in ids if cid in self._waiters]
        for fut in futs:
            if not fut.done():
                fut.set_exception(NoReply(f"no reply from worker {worker!r}: {why}"))
        return len(futs)

    def broadcast(self, cmd: str, args: dict[str, Any] | None = None, gather: float = 1.5,
                  expect: set[str] | None = None, settle: float = SETTLE) -> list[Reply]:
        """Ask every worker; the replies that arrive within ``gather`` seconds.

        ``expect`` (the workers known to be there, e.g. from the roster) ends the wait as soon
        as each of them has answered, plus ``settle`` seconds for a worker that has just
        joined: a listing answers in one round trip instead of the whole ``gather`` time.
        Without ``expect`` the wait is ``gather``, as nobody can tell who is still to answer.
        """
        command = Command(cmd=cmd, args=args or {}, reply_to=protocol.reply_topic(self.client_id),
                          sender=self.client_id)
        replies: list[Reply] = []
        arrived = threading.Condition(self._lock)
        with self._lock:
            self._gather[command.id] = replies
            self._arrived[command.id] = arrived
        try:
            self.pubsub.publish(protocol.command_topic(protocol.BROADCAST), self._wire(command))
            deadline = time.monotonic() + gather
            with arrived:
                while (left := deadline - time.monotonic()) > 0:
                    if expect is not None and expect <= {r.worker for r in replies}:
                        arrived.wait(min(settle, left))  # a newcomer's reply, if it is on its way
                        break
                    arrived.wait(left)
            with self._lock:
                return list(replies)
        finally:
            with self._lock:
                self._gather.pop(command.id, None)
                self._arrived.pop(command.id, None)

    def close(self) -> None:
        try:
            self.pubsub.unsubscribe(self._sub)
        except Exception:  # closing is best effort
            pass
