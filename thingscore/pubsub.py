"""The publish/subscribe interface of the control plane.

Every backend (``local``, ``zmq``, ``mqtt``, ``redis``) subclasses :class:`PubSub`. The only
ordering promise is per-topic FIFO. Topics are ``/``-separated; patterns use MQTT's
wildcards (``+`` one level, ``#`` the rest, last). *Durable* subscriptions and publications
are for control messages: they must not be lost while a subscriber is briefly disconnected
(MQTT QoS 1 with a persistent session, Redis Streams, a ZeroMQ handshake with acks), so
they may arrive twice: every message carries an id and :class:`PubSub` drops repeats
before a handler sees them (handlers are idempotent by message id).
"""

from __future__ import annotations

import re
import threading
import uuid
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Message:
    topic: str
    payload: bytes
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


Handler = Callable[[Message], None]


@dataclass(eq=False)
class Subscription:
    pattern: str
    handler: Handler
    durable: bool = False


class PubSubError(Exception):
    """A backend could not do what was asked (connect, publish...); the message says why."""


def topic_matches(pattern: str, topic: str) -> bool:
    """MQTT wildcard matching: ``+`` is one level, ``#`` (last) any number, zero included."""
    p = pattern.split("/")
    t = topic.split("/")
    for i, part in enumerate(p):
        if part == "#":
            return True
        if i >= len(t):
            return False
        if part != "+" and part != t[i]:
            return False
    return len(p) == len(t)


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """The same matching as a regular expression (for backends that filter by regex)."""
    parts = []
    for i, part in enumerate(pattern.split("/")):
        if part == "#":
            return re.compile("^" + "/".join(parts) + ("(/.*)?$" if parts else ".*$"))
        parts.append("[^/]+" if part == "+" else re.escape(part))
        del i
    return re.compile("^" + "/".join(parts) + "$")


class PubSub(ABC):
    """Base class of pub/sub plugins (entry-point group ``things.pubsub``)."""

    name: str = "abstract"
    #: Optional capabilities a backend declares; conformance tests of others are skipped
    #: visibly: "wildcards", "durable", "large_payloads", "many_topics".
    capabilities: frozenset[str] = frozenset()

    def __init__(self, url: str | None = None, *, client_id: str | None = None) -> None:
        self.url = url
        self.client_id = client_id or f"things-{uuid.uuid4().hex[:12]}"
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._seen_lock = threading.Lock()

    @abstractmethod
    def connect(self) -> None: ...

    @abstractmethod
    def publish(self, topic: str, payload: bytes, *, durable: bool = False) -> str:
        """Send ``payload`` on ``topic``; returns the message id."""

    @abstractmethod
    def subscribe(self, pattern: str, handler: Handler, *, durable: bool = False) -> Subscription: ...

    @abstractmethod
    def unsubscribe(self, subscription: Subscription) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> PubSub:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _deliver(self, sub: Subscription, message: Message) -> None:
        """Hand a message to a handler once per (subscription, message id)."""
        key = f"{id(sub)}:{message.id}"
        with self._seen_lock:
            if key in self._seen:
                return
            self._seen[key] = None
            if len(self._seen) > 100_000:
                self._seen.popitem(last=False)
        sub.handler(message)
