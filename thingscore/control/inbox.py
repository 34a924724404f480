"""Serving commands off a durable topic: the part the worker and the scheduler share.

A message is decoded (a malformed one is logged and refused with an error reply when it
names a reply topic), handled once per command id however often it is delivered, on a
thread of its own so that a slow command never holds up the next, and answered on the
sender's reply topic. Expected errors become error replies; anything else is logged and
answered too: a server never crashes on a command.

With the cluster's keys (a :class:`Guard`), a command must be signed by a known key, fresh
and never seen before, and its signer's role must be allowed to ask for it (``policy``);
anything else is refused, logged and answered with the reason. Replies are then signed too.

Fencing: a command that carries a scheduler's lease token (``args["fence"]``) is refused
when a command with a newer token has been seen here: it comes from a scheduler that was
deposed (see :mod:`thingscore.control.lease`) and may act on a schedule that is no longer
the truth. Commands without a token (a dispatcher's, a worker's during a migration) pass.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from thingscore.pubsub import Message, PubSub
from thingscore.security import envelope
from thingscore.security.envelope import Guard, Refused
from thingscore.security.keys import KeyRing

from . import protocol
from .protocol import Command, ProtocolError, Reply

REMEMBERED = 10_000  # command ids kept for deduplication


class CommandInbox:
    """Dispatches each command ``cmd`` to ``handlers(cmd)`` (``args`` -> result)."""

    def __init__(self, pubsub: PubSub, name: str, handler: Callable[[str], Callable[[dict[str, Any]], Any]],
                 expected: tuple[type[BaseException], ...], log: logging.Logger,
                 allowed: frozenset[str] = protocol.COMMANDS, guard: Guard | None = None,
                 policy: dict[str, frozenset[str]] | None = None, signer: KeyRing | None = None) -> None:
        self.pubsub = pubsub
        self.name = name
        self.handler = handler
        self.expected = expected
        self.log = log
        self.allowed = allowed
        self.guard = guard
        self.policy = policy or {}
        self.signer = signer
        self._handled: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()
        self.fence = 0  # the newest scheduler lease token seen on a command

    def on_message(self, msg: Message) -> None:
        payload, role = msg.payload, ""
        if self.guard is not None:
            try:
                opened = self.guard.open(payload)
            except Refused as exc:
                self._refuse(msg.topic, envelope.strip(payload), f"refused: {exc}")
                return
            payload, role = opened.body, opened.role
        else:
            payload = envelope.strip(payload)  # an open server takes signed commands as plain ones
        try:
            command = protocol.decode_command(payload, self.allowed)
        except ProtocolError as exc:
            self._refuse(msg.topic, payload, f"malformed command: {exc}")
            return
        if self.guard is not None and role not in self.policy.get(command.cmd, frozenset()):
            self._refuse(msg.topic, payload, f"refused: a {role} key may not ask for {command.cmd}")
            return
        with self._lock:
            if command.id in self._handled:
                return  # the same command delivered twice: do it once
            self._handled[command.id] = None
            if len(self._handled) > REMEMBERED:
                self._handled.popitem(last=False)
            fence = command.args.get("fence")
            stale = isinstance(fence, int) and not isinstance(fence, bool) and fence < self.fence
            if isinstance(fence, int) and not stale:
                self.fence = max(self.fence, fence)
        if stale:
            self._refuse(msg.topic, payload, f"fenced: scheduler lease token {fence} is older than {self.fence} "
                         "(another scheduler leads now)")
            return
        threading.Thread(target=self._handle, args=(command,), name=f"cmd-{command.cmd}", daemon=True).start()

    def _handle(self, command: Command) -> None:
        try:
            result = self.handler(command.cmd)(command.args)
            reply = Reply(re=command.id, ok=True, worker=self.name, result=result)
        except self.expected as exc:
            reply = Reply(re=command.id, ok=False, worker=self.name, error=str(exc))
        except Exception as exc:  # never crash on a command
            self.log.exception("command %s failed", command.cmd)
            reply = Reply(re=command.id, ok=False, worker=self.name, error=f"{type(exc).__name__}: {exc}")
        if command.reply_to:
            self.send(command.reply_to, reply)

    def _refuse(self, topic: str, payload: bytes, why: str) -> None:
        """Log a message not acted upon and tell its sender why, when it names a reply topic."""
        reply_to, mid = protocol.reply_to_of(payload)
        self.log.warning("%s on %s (id %s)", why, topic, (mid or "?")[:32])
        if reply_to:
            self.send(reply_to, Reply(re=mid or "", ok=False, worker=self.name, error=why))

    def send(self, topic: str, reply: Reply) -> None:
        body = reply.encode()
        try:
            if self.signer is not None:
                body = envelope.seal(self.signer, body)
            self.pubsub.publish(topic, body, durable=True)
        except Exception as exc:
            self.log.warning("could not reply on %s: %s", topic, exc)
