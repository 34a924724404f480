"""The publish/subscribe interface of the control plane.

Every backend (``local``, ``zmq``, ``mqtt``, ``redis``) subclasses :class:`PubSub`. The only
ordering promise is per-topic FIFO. Topics are ``/``-separated; patterns use MQTT's
wildcards (``+`` one level, ``#`` the rest, last). *Durable* subscriptions and publications
are for control messages: they must not be lost while a subscriber is briefly disconnected
(MQTT QoS 1 with a persistent session, Redis Streams, a ZeroMQ handshake with acks), so
they may arrive twice: every message carries an id and :class:`PubSub` drops repeats
before a handler sees them (handlers are idempotent by message id).

Helpers shared by the backends (and open to third-party ones) live here too: the wire
envelope that carries a message id next to the payload (:func:`pack`, :func:`unpack`),
a table that finds the subscriptions matching a topic (:class:`SubscriptionTable`), and
the delivery thread (:class:`Dispatcher`) that calls handlers away from the network
thread, so that a handler may publish, subscribe or block without stalling the client
that received its message.
"""

from __future__ import annotations

import logging
import os
import queue
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
    #: False once unsubscribed: messages already queued for it are not delivered.
    active: bool = True


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
        parts.append("[^/]*" if part == "+" else re.escape(part))  # '+' matches an empty level too
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
    def publish(self, topic: str, payload: bytes, *, durable: bool = False, message_id: str | None = None) -> str:
        """Send ``payload`` on ``topic``; returns the message id.

        ``message_id`` lets a caller re-send a message under its first id (a retry after a
        time-out): subscribers then see it once. A new id is drawn when it is omitted.
        """

    @abstractmethod
    def subscribe(self, pattern: str, handler: Handler, *, durable: bool = False) -> Subscription: ...

    @abstractmethod
    def unsubscribe(self, subscription: Subscription) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    def drop_connection(self) -> bool:
        """Test hook: cut the connection abruptly, as a network failure would.

        The client must notice and reconnect by itself without losing durable messages;
        conformance's reconnect checks use this when a backend's tests bring no harsher
        disruption (a broker restart). Returns False when there is no connection to cut.
        """
        return False

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


log = logging.getLogger("things.pubsub")

#: Longest message id a backend must carry (the envelope stores its length in one byte).
MAX_ID_BYTES = 255


def new_id() -> str:
    """A random 128-bit id as 32 hex digits (os.urandom: a third of uuid4's cost per message)."""
    return os.urandom(16).hex()


def check_topic(topic: str) -> None:
    """Refuse topics a subscriber could not match: empty, wildcards, NUL (used by probes)."""
    if not topic or "+" in topic or "#" in topic or "\0" in topic:
        raise PubSubError(f"invalid topic {topic!r}: must be non-empty, without '+', '#' or NUL")


def check_pattern(pattern: str) -> None:
    """Refuse patterns MQTT would refuse: '#' not last or not a whole level, '+' inside a level."""
    parts = pattern.split("/") if pattern else [""]
    if not pattern or "\0" in pattern:
        raise PubSubError(f"invalid pattern {pattern!r}")
    for i, part in enumerate(parts):
        if ("#" in part and (part != "#" or i != len(parts) - 1)) or ("+" in part and part != "+"):
            raise PubSubError(f"invalid pattern {pattern!r}: wildcards must be whole levels, '#' last")


def pack(message_id: str, payload: bytes) -> bytes:
    """One frame carrying id and payload, for backends without message headers.

    Layout: one byte *n*, *n* bytes of ASCII id, the payload. Cheap to build and to split
    (no parsing of the payload), which keeps our layer close to the raw client's speed.
    """
    raw = message_id.encode("ascii")
    if len(raw) > MAX_ID_BYTES:
        raise PubSubError(f"message id longer than {MAX_ID_BYTES} bytes")
    return bytes((len(raw),)) + raw + payload


def unpack(frame: bytes) -> tuple[str, bytes]:
    """The (id, payload) of a :func:`pack`-ed frame; raises PubSubError when malformed."""
    if not frame or len(frame) < 1 + frame[0]:
        raise PubSubError("malformed frame: no message id")
    n = frame[0]
    return frame[1:1 + n].decode("ascii"), frame[1 + n:]


class SubscriptionTable:
    """The live subscriptions of one client, found by topic in O(1) for exact patterns.

    Exact patterns are a dict lookup and wildcard ones a scan of compiled regexes, so a
    client subscribed to 10,000 exact topics pays no more per message than one with one.
    Thread-safe: the network thread reads while the caller's thread adds and removes.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._exact: dict[str, list[Subscription]] = {}
        self._wild: list[tuple[re.Pattern[str], Subscription]] = []

    def add(self, sub: Subscription) -> None:
        with self._lock:
            if "+" in sub.pattern or "#" in sub.pattern:
                self._wild = [*self._wild, (pattern_regex(sub.pattern), sub)]
            else:
                self._exact[sub.pattern] = [*self._exact.get(sub.pattern, ()), sub]

    def remove(self, sub: Subscription) -> bool:
        """Forget ``sub``; False when it was not there (unsubscribing twice is harmless)."""
        with self._lock:
            subs = self._exact.get(sub.pattern, [])
            if sub in subs:
                rest = [s for s in subs if s is not sub]
                if rest:
                    self._exact[sub.pattern] = rest
                else:
                    del self._exact[sub.pattern]
                return True
            wild = [(r, s) for r, s in self._wild if s is not sub]
            found = len(wild) != len(self._wild)
            self._wild = wild
            return found

    def matching(self, topic: str, durable: bool | None = None) -> list[Subscription]:
        """Subscriptions whose pattern matches ``topic`` (only durable or non-durable ones if asked)."""
        found = list(self._exact.get(topic, ()))
        for rx, sub in self._wild:
            if rx.match(topic):
                found.append(sub)
        if durable is not None:
            found = [s for s in found if s.durable == durable]
        return found

    def patterns(self, durable: bool | None = None) -> set[str]:
        with self._lock:
            subs = [s for group in self._exact.values() for s in group] + [s for _, s in self._wild]
        return {s.pattern for s in subs if durable is None or s.durable == durable}

    def __len__(self) -> int:
        return sum(len(v) for v in self._exact.values()) + len(self._wild)

    def __contains__(self, sub: Subscription) -> bool:
        return sub in self._exact.get(sub.pattern, ()) or any(s is sub for _, s in self._wild)


_STOP = object()


class Dispatcher:
    """One thread that calls handlers in the order messages were received.

    Why a thread: handlers must not run on a backend's network thread (paho's loop, a
    socket reader), because a handler that publishes and waits for an ack, or subscribes
    and waits for a handshake, would wait for the very thread it is blocking. One thread
    per client keeps every topic's order (a total order is a per-topic order). A handler
    that raises is logged and the next message is delivered.
    """

    def __init__(self, owner: PubSub, name: str = "things-pubsub-dispatch") -> None:
        self._owner = owner
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, subs: list[Subscription], message: Message) -> None:
        if subs:
            self._queue.put((subs, message))

    def submit_batch(self, batch: list[tuple[list[Subscription], Message]]) -> None:
        """Hand over many messages at once (one queue operation: cheaper under load)."""
        if batch:
            self._queue.put(batch)

    def _run(self) -> None:
        q = self._queue
        deliver = self._owner._deliver
        while True:
            item = q.get()
            if item is _STOP:
                return
            items = item if isinstance(item, list) else [item]
            for subs, message in items:  # type: ignore[misc]
                for sub in subs:
                    if not getattr(sub, "active", True):
                        continue
                    try:
                        deliver(sub, message)
                    except Exception:  # a handler's bug must not stop delivery to others
                        log.exception("pub/sub handler for %r failed on %r", sub.pattern, message.topic)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything submitted so far was handled (False on time-out)."""
        if threading.current_thread() is self._thread:
            return True
        done = threading.Event()
        marker = Subscription("", lambda m: done.set())
        self._queue.put(([marker], Message("", b"", "flush-" + new_id())))
        return done.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        self._queue.put(_STOP)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)
