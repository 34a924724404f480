"""The publish/subscribe interface of the control plane.

Every backend plugin subclasses :class:`PubSub` (and declares its URL schemes). The only
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

import itertools
import logging
import os
import queue
import re
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Protocol


@dataclass(frozen=True)
class Message:
    topic: str
    payload: bytes
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


Handler = Callable[[Message], None]

_new_object = object.__new__


def message(topic: str, payload: bytes, message_id: str) -> Message:
    """A :class:`Message`, built for a backend's receiving loop at half the constructor's cost.

    The frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``;
    this fills the instance's ``__dict__`` directly (an equal, hashable, still frozen
    Message). Worth it only where it runs once per received message.
    """
    m = _new_object(Message)
    d = m.__dict__
    d["topic"] = topic
    d["payload"] = payload
    d["id"] = message_id
    return m


@dataclass(eq=False)
class Subscription:
    pattern: str
    handler: Handler
    durable: bool = False
    #: False once unsubscribed: messages already queued for it are not delivered.
    active: bool = True


class PubSubError(Exception):
    """A backend could not do what was asked (connect, publish...); the message says why."""


class Broker(Protocol):
    """A broker that a pub/sub plugin runs for ``things pubsub`` (``PubSub.serve_broker``)."""

    #: The URL its clients use (printed first, so that scripts can read it).
    url: str
    #: One line saying what runs where (``zmq broker at zmq://... (XSUB 7901, ...)``).
    description: str
    #: Further lines worth telling the operator once (a key pair just made...).
    notes: list[str]

    def serve_forever(self) -> int:
        """Serve until :meth:`stop`; the exit status of ``things pubsub``."""
        ...

    def stop(self) -> None:
        """Ask :meth:`serve_forever` to return (called from a signal handler)."""
        ...


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
    #: visibly: "wildcards", "durable", "large_payloads", "many_topics". "serve_broker":
    #: the class can run a broker for ``things pubsub`` (see :meth:`serve_broker`).
    capabilities: frozenset[str] = frozenset()

    # What the kernel must know about a plugin, declared by the plugin (thingscore.plugins):
    #: URL schemes this plugin answers to (``--pubsub=scheme://...``).
    schemes: ClassVar[tuple[str, ...]] = ()
    #: The URL its bare word (its entry-point name, ``--pubsub=NAME``) stands for.
    default_url: ClassVar[str | None] = None
    #: > 0: may be the cluster's pub/sub when none is configured (the highest wins).
    default_priority: ClassVar[int] = 0
    #: With "serve_broker": the port its broker listens on unless told, and the names of
    #: the options of ``things pubsub`` it takes (``curve_keys`` for ``--curve-keys``).
    broker_port: ClassVar[int | None] = None
    broker_options: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def serve_broker(cls, host: str, port: int, options: Mapping[str, str]) -> Broker:
        """A started broker that clients of this plugin reach at ``broker.url``.

        Only for plugins that declare the "serve_broker" capability. Raises PubSubError
        (or OSError) when it cannot start; the message says why and what to do.
        """
        raise PubSubError(f"the {cls.name} pub/sub plugin cannot serve a broker")

    def __init__(self, url: str | None = None, *, client_id: str | None = None) -> None:
        self.url = url
        self.client_id = client_id or f"things-{uuid.uuid4().hex[:12]}"
        # Message id -> (the subscriptions that had it,), in two generations: when the young
        # one is full it becomes the old one and the oldest is forgotten. Two plain dicts cost
        # a fraction of an LRU dict per message and remember between SEEN_MAX and 2 * SEEN_MAX
        # ids (a repeat comes within seconds: a re-send after a reconnect). See _fresh.
        self._seen: dict[str, tuple[Sequence[Subscription]]] = {}
        self._seen_old: dict[str, tuple[Sequence[Subscription]]] = {}
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
        if self._fresh((sub,), message):
            sub.handler(message)

    def _fresh(self, subs: Sequence[Subscription], message: Message) -> Sequence[Subscription]:
        """Those of ``subs`` that have not had ``message.id`` yet, recorded as having it now.

        Why this shape: it runs once per received message. The common case, an id never
        seen, is one ``dict.setdefault`` (atomic under the GIL: no lock) keyed by the id, a
        str whose hash is computed once; the value is a 1-tuple made for this call, so
        ``is`` tells whether it was ours that went in. Anything else (a repeat, or the same
        id reaching another subscription by another path) takes the locked slow path.
        """
        mid = message.id
        mark = (subs,)
        seen = self._seen
        if seen.setdefault(mid, mark) is mark and mid not in self._seen_old:
            if len(seen) > SEEN_MAX:
                with self._seen_lock:
                    if self._seen is seen:
                        self._seen_old, self._seen = seen, {}
            return subs
        return self._fresh_slow(subs, mid, mark)

    def _fresh_slow(self, subs: Sequence[Subscription], mid: str,
                    mark: tuple[Sequence[Subscription]]) -> Sequence[Subscription]:
        with self._seen_lock:
            had: set[Subscription] = set()
            for table in (self._seen_old, self._seen):
                earlier = table.get(mid)
                if earlier is not None and earlier is not mark:
                    had.update(earlier[0])
            new = [s for s in subs if s not in had]
            self._seen[mid] = (tuple(had.union(new)),)
            return new


log = logging.getLogger("things.pubsub")

#: Longest message id a backend must carry (the envelope stores its length in one byte).
MAX_ID_BYTES = 255
#: Deliveries remembered per generation for deduplication (see PubSub._deliver).
SEEN_MAX = 100_000

_id_prefix = os.urandom(8).hex()
_id_counter = itertools.count()


def _reseed_ids() -> None:
    global _id_prefix, _id_counter
    _id_prefix, _id_counter = os.urandom(8).hex(), itertools.count()


os.register_at_fork(after_in_child=_reseed_ids)  # a forked child must not repeat its parent's ids


def new_id() -> str:
    """A unique id as 32 hex digits: 64 random bits drawn per process, then a 64-bit counter.

    Why not 128 random bits per message: os.urandom is a system call, and this runs once
    per publication (it was a tenth of our layer's cost per message). ``next`` on an
    ``itertools.count`` is atomic under the GIL, so threads never draw the same number, and
    a forked child draws a new prefix. Ids are unique, not secret.
    """
    return f"{_id_prefix}{next(_id_counter):016x}"


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


def pack(message_id: str, payload: bytes, flag: bytes = b"") -> bytes:
    """One frame carrying id and payload, for backends without message headers.

    Layout: ``flag`` (a backend's own marker, often empty), one byte *n*, *n* bytes of ASCII
    id, the payload. Cheap to build and to split (no parsing of the payload), which keeps
    our layer close to the raw client's speed; the payload is copied once, flag included.
    """
    raw = message_id.encode("ascii")
    n = len(raw)
    if n > MAX_ID_BYTES:
        raise PubSubError(f"message id longer than {MAX_ID_BYTES} bytes")
    return flag + _LENGTH_BYTE[n] + raw + payload


_LENGTH_BYTE = [bytes((i,)) for i in range(MAX_ID_BYTES + 1)]


def unpack(frame: bytes, start: int = 0) -> tuple[str, bytes]:
    """The (id, payload) of a :func:`pack`-ed frame whose flag is ``start`` bytes long.

    Raises PubSubError when malformed. Taking the offset (rather than a slice of the frame)
    saves a copy of the payload: a 10 MB message is copied once here, not twice.
    """
    if len(frame) <= start or len(frame) < start + 1 + frame[start]:
        raise PubSubError("malformed frame: no message id")
    end = start + 1 + frame[start]
    return frame[start + 1:end].decode("ascii"), frame[end:]


class SubscriptionTable:
    """The live subscriptions of one client, found by topic in O(1) for exact patterns.

    Exact patterns are a dict lookup and wildcard ones a scan of compiled regexes, so a
    client subscribed to 10,000 exact topics pays no more per message than one with one.
    Answers are cached per topic until the next add or remove (a stream of messages on a
    few topics, the common case, then costs one dict lookup each, wildcards or not).
    Thread-safe: the network thread reads while the caller's thread adds and removes.
    """

    #: Cached answers kept before the cache starts afresh (bounds memory for many topics).
    CACHE_MAX = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._exact: dict[str, list[Subscription]] = {}
        self._wild: list[tuple[re.Pattern[str], Subscription]] = []
        self._cache: dict[tuple[str, bool | None], tuple[Subscription, ...]] = {}

    def add(self, sub: Subscription) -> None:
        with self._lock:
            if "+" in sub.pattern or "#" in sub.pattern:
                self._wild = [*self._wild, (pattern_regex(sub.pattern), sub)]
            else:
                self._exact[sub.pattern] = [*self._exact.get(sub.pattern, ()), sub]
            self._cache = {}  # after the change: a reader that sees the new cache sees the new table

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
                self._cache = {}
                return True
            wild = [(r, s) for r, s in self._wild if s is not sub]
            found = len(wild) != len(self._wild)
            self._wild = wild
            self._cache = {}
            return found

    def matching(self, topic: str, durable: bool | None = None) -> Sequence[Subscription]:
        """Subscriptions whose pattern matches ``topic`` (only durable or non-durable ones if asked).

        The answer may be shared with other callers: read it, do not modify it.
        """
        cache = self._cache  # taken first: an add or remove meanwhile replaces it, never fills it
        key = (topic, durable)
        found = cache.get(key)
        if found is not None:
            return found
        subs = list(self._exact.get(topic, ()))
        for rx, sub in self._wild:
            if rx.match(topic):
                subs.append(sub)
        if durable is not None:
            subs = [s for s in subs if s.durable == durable]
        found = tuple(subs)
        if len(cache) >= self.CACHE_MAX:
            cache.clear()
        cache[key] = found
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

    def submit(self, subs: Sequence[Subscription], message: Message) -> None:
        if subs:
            self._queue.put((subs, message))

    def submit_batch(self, batch: list[tuple[Sequence[Subscription], Message]]) -> None:
        """Hand over many messages at once (one queue operation: cheaper under load)."""
        if batch:
            self._queue.put(batch)

    def _run(self) -> None:
        q = self._queue
        owner = self._owner
        deliver = owner._deliver
        # The base class's deduplication once per message, not once per subscription through
        # _deliver; a backend that overrides _deliver gets its own method called.
        fresh = owner._fresh if type(owner)._deliver is PubSub._deliver else None
        while True:
            item = q.get()
            if item is _STOP:
                return
            items = item if isinstance(item, list) else [item]
            for subs, message in items:  # type: ignore[misc]
                for sub in (subs if fresh is None else fresh(subs, message)):
                    if not sub.active:
                        continue
                    try:
                        if fresh is None:
                            deliver(sub, message)
                        else:
                            sub.handler(message)
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
