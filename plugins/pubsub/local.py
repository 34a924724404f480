"""``local``: pub/sub inside one process, for tests and one-process systems.

Clients built with the same URL (``local``, ``local://NAME``; ``None`` is ``local``) share
one in-memory bus held in a process-wide registry, so a worker and a dispatcher running in
one interpreter talk to each other exactly as they would through a broker. A publication
is matched and queued to every client's dispatcher thread while the bus lock is held: all
clients see all messages in one total order, which is more than the per-topic FIFO that
the interface promises. Nothing can be lost in-process, so durable subscriptions and
publications are the same as the others here.
"""

from __future__ import annotations

import threading
from typing import ClassVar

from thingscore.pubsub import (
    Dispatcher,
    Handler,
    Message,
    PubSub,
    PubSubError,
    Subscription,
    SubscriptionTable,
    check_pattern,
    check_topic,
    new_id,
)


class _Bus:
    """The clients of one local URL."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clients: list[LocalPubSub] = []


def bus_name(url: str | None) -> str:
    if url in (None, "", "local", "local://"):
        return "default"
    assert url is not None
    if url.startswith("local://"):
        return url[len("local://"):]
    if url.startswith("local:"):
        return url[len("local:"):]
    raise PubSubError(f"not a local pub/sub URL: {url!r} (expected local or local://NAME)")


class LocalPubSub(PubSub):
    name = "local"
    capabilities = frozenset({"wildcards", "durable", "large_payloads", "many_topics"})
    schemes = ("local",)
    default_url = "local://default"

    _buses: ClassVar[dict[str, _Bus]] = {}
    _registry_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, url: str | None = None, *, client_id: str | None = None) -> None:
        super().__init__(url, client_id=client_id)
        self._bus_name = bus_name(url)
        self._table = SubscriptionTable()
        self._dispatcher: Dispatcher | None = None
        self._bus: _Bus | None = None

    def connect(self) -> None:
        if self._bus is not None:
            return
        with self._registry_lock:
            bus = self._buses.setdefault(self._bus_name, _Bus())
        self._dispatcher = Dispatcher(self, name=f"things-local-{self.client_id}")
        with bus.lock:
            bus.clients.append(self)
        self._bus = bus

    def _require(self) -> _Bus:
        if self._bus is None:
            raise PubSubError("local pub/sub: not connected (call connect() first)")
        return self._bus

    def publish(self, topic: str, payload: bytes, *, durable: bool = False, message_id: str | None = None) -> str:
        check_topic(topic)
        bus = self._require()
        message = Message(topic, bytes(payload), message_id or new_id())
        with bus.lock:
            for client in bus.clients:
                subs = client._table.matching(topic)
                if subs and client._dispatcher is not None:
                    client._dispatcher.submit(subs, message)
        return message.id

    def subscribe(self, pattern: str, handler: Handler, *, durable: bool = False) -> Subscription:
        check_pattern(pattern)
        bus = self._require()
        sub = Subscription(pattern, handler, durable)
        with bus.lock:  # a publication is either wholly before or wholly after this
            self._table.add(sub)
        return sub

    def unsubscribe(self, subscription: Subscription) -> None:
        subscription.active = False
        self._table.remove(subscription)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every message queued to this client so far was handled."""
        return self._dispatcher.flush(timeout) if self._dispatcher else True

    def close(self) -> None:
        bus, self._bus = self._bus, None
        if bus is not None:
            with bus.lock:
                if self in bus.clients:
                    bus.clients.remove(self)
        if self._dispatcher is not None:
            self._dispatcher.stop()
            self._dispatcher = None
