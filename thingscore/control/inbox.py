"""Serving commands off a durable topic: the part the worker and the scheduler share.

A message is decoded (a malformed one is logged and refused with an error reply when it
names a reply topic), handled once per command id however often it is delivered, on a
thread of its own so that a slow command never holds up the next, and answered on the
sender's reply topic. Expected errors become error replies; anything else is logged and
answered too: a server never crashes on a command.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from thingscore.pubsub import Message, PubSub

from . import protocol
from .protocol import Command, ProtocolError, Reply

REMEMBERED = 10_000  # command ids kept for deduplication


class CommandInbox:
    """Dispatches each command ``cmd`` to ``handlers(cmd)`` (``args`` -> result)."""

    def __init__(self, pubsub: PubSub, name: str, handler: Callable[[str], Callable[[dict[str, Any]], Any]],
                 expected: tuple[type[BaseException], ...], log: logging.Logger,
                 allowed: frozenset[str] = protocol.COMMANDS) -> None:
        self.pubsub = pubsub
        self.name = name
        self.handler = handler
        self.expected = expected
        self.log = log
        self.allowed = allowed
        self._handled: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def on_message(self, msg: Message) -> None:
        try:
            command = protocol.decode_command(msg.payload, self.allowed)
        except ProtocolError as exc:
            self.log.warning("refused a malformed message on %s: %s", msg.topic, exc)
            reply_to, mid = protocol.reply_to_of(msg.payload)
            if reply_to:
                self.send(reply_to, Reply(re=mid or "", ok=False, worker=self.name, error=f"malformed command: {exc}"))
            return
        with self._lock:
            if command.id in self._handled:
                return  # the same command delivered twice: do it once
            self._handled[command.id] = None
            if len(self._handled) > REMEMBERED:
                self._handled.popitem(last=False)
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

    def send(self, topic: str, reply: Reply) -> None:
        try:
            self.pubsub.publish(topic, reply.encode(), durable=True)
        except Exception as exc:
            self.log.warning("could not reply on %s: %s", topic, exc)
