"""Conformance suite for pub/sub plugins: an importable pytest class, fsspec-style.

A backend (ours or a third party's) runs the suite by subclassing :class:`PubSubConformance`
and providing one fixture, ``make_pubsub``: a factory ``make_pubsub(client_id=None)`` that
returns a *connected* client and closes it at teardown (:class:`ClientFactory` does that)::

    from things_conformance.pubsub import ClientFactory, PubSubConformance

    class TestMyPubSub(PubSubConformance):
        @pytest.fixture
        def make_pubsub(self, my_broker_url):
            with ClientFactory(lambda cid: MyPubSub(my_broker_url, client_id=cid)) as factory:
                yield factory

Optional capabilities are declared by the plugin (``PubSub.capabilities``: ``wildcards``,
``durable``, ``large_payloads``, ``many_topics``), SQLAlchemy-requirements style: the
tests of a capability the plugin lacks are skipped *visibly*, naming the capability.

The reconnect checks need a way to disrupt a client: the optional fixture ``disrupt``
returns ``disrupt(victim) -> context manager``; inside the ``with`` block the victim is
(or has just been) disconnected. The default cuts the victim's connection with
``PubSub.drop_connection()``; a backend's tests may override it with something harsher,
such as restarting the broker. Without either, the checks are skipped with the reason.

Every check uses its own topic namespace, so the suite may share one broker with others.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from thingscore.pubsub import Message, PubSub, PubSubError

#: Upper bound for one wait in a check; generous for loaded CI machines.
TIMEOUT = float(os.environ.get("THINGS_CONFORMANCE_TIMEOUT", "30"))

Disrupt = Callable[[PubSub], contextlib.AbstractContextManager[Any]]


class ClientFactory:
    """Builds connected clients from ``build(client_id)`` and closes them all at exit."""

    def __init__(self, build: Callable[[str | None], PubSub]) -> None:
        self._build = build
        self.clients: list[PubSub] = []

    def __call__(self, client_id: str | None = None) -> PubSub:
        client = self._build(client_id)
        client.connect()
        self.clients.append(client)
        return client

    def __enter__(self) -> ClientFactory:
        return self

    def __exit__(self, *exc: object) -> None:
        for client in reversed(self.clients):
            with contextlib.suppress(Exception):
                client.close()


class Collector:
    """A handler that records messages and lets a check wait for them."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._cond = threading.Condition()

    def __call__(self, message: Message) -> None:
        with self._cond:
            self.messages.append(message)
            self._cond.notify_all()

    def wait_for(self, predicate: Callable[[list[Message]], bool], timeout: float = TIMEOUT) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self.messages), timeout)

    def wait_count(self, n: int, timeout: float = TIMEOUT) -> list[Message]:
        if not self.wait_for(lambda ms: len(ms) >= n, timeout):
            raise AssertionError(f"received {len(self.messages)} of {n} messages within {timeout:.0f} s")
        return list(self.messages)

    def payloads(self) -> list[bytes]:
        with self._cond:
            return [m.payload for m in self.messages]


def require(client: PubSub, capability: str) -> None:
    """Skip visibly when ``client`` does not declare ``capability``."""
    if capability not in client.capabilities:
        pytest.skip(f"capability {capability!r} not declared by pub/sub plugin {client.name!r}")


def settle(seconds: float = 0.2) -> None:
    """A short pause for checks that something does *not* arrive."""
    time.sleep(seconds)


class PubSubConformance:
    """The checks every pub/sub plugin must pass. Subclasses provide ``make_pubsub``."""

    @pytest.fixture
    def make_pubsub(self) -> Callable[..., PubSub]:
        raise NotImplementedError("a PubSubConformance subclass must provide the make_pubsub fixture")

    @pytest.fixture
    def disrupt(self) -> Disrupt | None:
        @contextlib.contextmanager
        def drop(victim: PubSub) -> Iterator[None]:
            if not victim.drop_connection():
                pytest.skip(f"pub/sub plugin {victim.name!r} cannot drop its connection and its tests "
                            "provide no disrupt fixture")
            yield

        return drop

    @pytest.fixture
    def ns(self) -> str:
        """A topic prefix of this check's own."""
        return f"conf-{uuid.uuid4().hex[:10]}"

    # -- basics ----------------------------------------------------------------------------------

    def test_round_trip(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        sub, pub = make_pubsub(), make_pubsub()
        got = Collector()
        sub.subscribe(f"{ns}/a", got)
        mid = pub.publish(f"{ns}/a", b"hello")
        (m,) = got.wait_count(1)
        assert (m.topic, m.payload, m.id) == (f"{ns}/a", b"hello", mid)

    def test_no_slow_joiner(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        """What is published after subscribe() returns arrives, even from a brand-new client."""
        sub = make_pubsub()
        for i in range(5):
            got = Collector()
            sub.subscribe(f"{ns}/t{i}", got)
            make_pubsub().publish(f"{ns}/t{i}", b"first")
            assert got.wait_count(1)[0].payload == b"first"

    def test_own_messages_and_empty_payload(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        client = make_pubsub()
        got = Collector()
        client.subscribe(f"{ns}/self", got)
        client.publish(f"{ns}/self", b"")
        client.publish(f"{ns}/self", b"\x00\xff binary")
        assert [m.payload for m in got.wait_count(2)] == [b"", b"\x00\xff binary"]

    def test_invalid_topics_refused(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        client = make_pubsub()
        for bad in ("", f"{ns}/+", f"{ns}/#"):
            with pytest.raises(PubSubError):
                client.publish(bad, b"x")
        with pytest.raises(PubSubError):
            client.subscribe(f"{ns}/#/x", Collector())

    # -- ordering --------------------------------------------------------------------------------

    def test_fifo_concurrent_publishers(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        """Several clients, several threads each, several topics: each (publisher, topic) in order."""
        sub = make_pubsub()
        topics = [f"{ns}/fifo/{k}" for k in range(3)]
        got = Collector()
        for t in topics:
            sub.subscribe(t, got)
        publishers = [make_pubsub() for _ in range(2)]
        per_thread = 300

        def run(client: PubSub, name: str) -> None:
            for seq in range(per_thread):
                topic = topics[seq % len(topics)]
                client.publish(topic, f"{name}:{seq}".encode())

        threads = [threading.Thread(target=run, args=(c, f"p{i}t{j}"))
                   for i, c in enumerate(publishers) for j in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        msgs = got.wait_count(per_thread * len(threads))
        last: dict[tuple[str, str], int] = {}
        for m in msgs:
            name, seq = m.payload.decode().split(":")
            key = (m.topic, name)
            assert int(seq) > last.get(key, -1), f"{key} out of order: {seq} after {last[key]}"
            last[key] = int(seq)
        assert len(msgs) == per_thread * len(threads)

    def test_handler_may_publish_and_subscribe(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        """A handler that publishes (durably) and subscribes does not deadlock its client."""
        client, other = make_pubsub(), make_pubsub()
        replies, late = Collector(), Collector()
        other.subscribe(f"{ns}/reply", replies)
        handled = threading.Event()

        def handler(m: Message) -> None:
            client.publish(f"{ns}/reply", m.payload, durable="durable" in client.capabilities)
            client.subscribe(f"{ns}/late", late)
            handled.set()

        client.subscribe(f"{ns}/req", handler)
        other.publish(f"{ns}/req", b"ping")
        assert replies.wait_count(1)[0].payload == b"ping"
        assert handled.wait(TIMEOUT), "the handler did not finish"
        other.publish(f"{ns}/late", b"late")
        assert late.wait_count(1)[0].payload == b"late"

    def test_failing_handler_does_not_stop_delivery(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        client = make_pubsub()
        got = Collector()

        def bad(m: Message) -> None:
            raise RuntimeError("handler bug (expected by the check)")

        client.subscribe(f"{ns}/x", bad)
        client.subscribe(f"{ns}/x", got)
        client.publish(f"{ns}/x", b"1")
        client.publish(f"{ns}/x", b"2")
        assert [m.payload for m in got.wait_count(2)] == [b"1", b"2"]

    # -- wildcards and unsubscribe --------------------------------------------------------------

    def test_wildcards(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        sub, pub = make_pubsub(), make_pubsub()
        require(sub, "wildcards")
        plus, hash_, both, sentinel = Collector(), Collector(), Collector(), Collector()
        sub.subscribe(f"{ns}/+/x", plus)
        sub.subscribe(f"{ns}/w/#", hash_)
        sub.subscribe(f"{ns}/+/y/#", both)
        sub.subscribe(f"{ns}/end", sentinel)
        topics = [f"{ns}/a/x", f"{ns}/a/b/x", f"{ns}/x", f"{ns}//x", f"{ns}/w", f"{ns}/w/1", f"{ns}/w/1/2",
                  f"{ns}/ww/1", f"{ns}/a/y", f"{ns}/a/y/z/q", f"{ns}/a/b/y", f"{ns}-other/a/x"]
        for t in topics:
            pub.publish(t, t.encode())
        pub.publish(f"{ns}/end", b"end")
        sentinel.wait_count(1)
        settle()
        assert {m.topic for m in plus.messages} == {f"{ns}/a/x", f"{ns}//x"}
        assert {m.topic for m in hash_.messages} == {f"{ns}/w", f"{ns}/w/1", f"{ns}/w/1/2"}
        assert {m.topic for m in both.messages} == {f"{ns}/a/y", f"{ns}/a/y/z/q"}
        assert len(plus.messages) == 2 and len(hash_.messages) == 3 and len(both.messages) == 2

    def test_overlapping_subscriptions_each_deliver(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        client = make_pubsub()
        require(client, "wildcards")
        a, b = Collector(), Collector()
        client.subscribe(f"{ns}/o/#", a)
        client.subscribe(f"{ns}/o/k", b)
        client.publish(f"{ns}/o/k", b"v")
        assert a.wait_count(1)[0].payload == b"v" and b.wait_count(1)[0].payload == b"v"
        settle()
        assert len(a.messages) == 1 and len(b.messages) == 1

    def test_unsubscribe_stops_delivery(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        sub, pub = make_pubsub(), make_pubsub()
        gone, kept = Collector(), Collector()
        s = sub.subscribe(f"{ns}/u", gone)
        sub.subscribe(f"{ns}/u", kept)
        pub.publish(f"{ns}/u", b"before")
        gone.wait_count(1)
        kept.wait_count(1)
        sub.unsubscribe(s)
        for i in range(20):
            pub.publish(f"{ns}/u", f"after{i}".encode())
        kept.wait_count(21)
        settle()
        assert [m.payload for m in gone.messages] == [b"before"]
        sub.unsubscribe(s)  # twice is harmless

    def test_unsubscribe_wildcard_keeps_others(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        client = make_pubsub()
        require(client, "wildcards")
        wild, exact = Collector(), Collector()
        s = client.subscribe(f"{ns}/k/#", wild)
        client.subscribe(f"{ns}/k/1", exact)
        client.unsubscribe(s)
        client.publish(f"{ns}/k/1", b"x")
        exact.wait_count(1)
        settle()
        assert wild.messages == []

    # -- size and scale --------------------------------------------------------------------------

    @pytest.mark.parametrize("durable", [False, True], ids=["plain", "durable"])
    def test_10mb_payload(self, make_pubsub: Callable[..., PubSub], ns: str, durable: bool) -> None:
        sub, pub = make_pubsub(), make_pubsub()
        require(sub, "large_payloads")
        if durable:
            require(sub, "durable")
        got = Collector()
        sub.subscribe(f"{ns}/big", got, durable=durable)
        payload = os.urandom(10 * 1024 * 1024)
        pub.publish(f"{ns}/big", payload, durable=durable)
        pub.publish(f"{ns}/big", b"small after", durable=durable)
        msgs = got.wait_count(2)
        assert msgs[0].payload == payload and msgs[1].payload == b"small after"

    def test_10000_topics(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        sub, pub = make_pubsub(), make_pubsub()
        require(sub, "many_topics")
        require(sub, "wildcards")
        got = Collector()
        sub.subscribe(f"{ns}/many/#", got)
        n = 10_000
        for i in range(n):
            pub.publish(f"{ns}/many/{i % 100}/{i}", str(i).encode())
        msgs = got.wait_count(n, timeout=max(TIMEOUT, 60))
        assert sorted(int(m.payload) for m in msgs) == list(range(n))
        assert all(m.topic.endswith(f"/{m.payload.decode()}") for m in msgs)

    def test_1000_exact_subscriptions(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        sub, pub = make_pubsub(), make_pubsub()
        require(sub, "many_topics")
        collectors = [Collector() for _ in range(1000)]
        for i, c in enumerate(collectors):
            sub.subscribe(f"{ns}/exact/{i}", c)
        for i in range(len(collectors)):
            pub.publish(f"{ns}/exact/{i}", str(i).encode())
        for i, c in enumerate(collectors):
            assert c.wait_count(1)[0].payload == str(i).encode()

    # -- durability and idempotence --------------------------------------------------------------

    def _durable_across(self, make_pubsub: Callable[..., PubSub], disrupt: Disrupt | None, ns: str,
                        victim_role: str) -> None:
        sub = make_pubsub(client_id=f"{ns}-sub")
        require(sub, "durable")
        pub = make_pubsub(client_id=f"{ns}-pub")
        if disrupt is None:
            pytest.skip("no disrupt fixture: cannot check reconnection")
        got = Collector()
        sub.subscribe(f"{ns}/ctl/#" if "wildcards" in sub.capabilities else f"{ns}/ctl/a", got, durable=True)
        topic = f"{ns}/ctl/a"
        sent: list[str] = []
        for i in range(10):
            sent.append(pub.publish(topic, f"{i}".encode(), durable=True))
        got.wait_count(10)
        with disrupt(sub if victim_role == "subscriber" else pub):
            for i in range(10, 60):
                sent.append(pub.publish(topic, f"{i}".encode(), durable=True))
        for i in range(60, 80):
            sent.append(pub.publish(topic, f"{i}".encode(), durable=True))
        msgs = got.wait_count(len(sent), timeout=max(TIMEOUT, 60))
        settle(0.5)
        ids = [m.id for m in got.messages]
        assert len(ids) == len(set(ids)), "a durable message reached a handler twice"
        assert sorted(ids) == sorted(sent)
        seqs = [int(m.payload) for m in msgs]
        assert seqs == sorted(seqs), f"durable messages out of order across the disruption: {seqs}"

    def test_reconnect_subscriber_keeps_durable_messages(self, make_pubsub: Callable[..., PubSub],
                                                         disrupt: Disrupt | None, ns: str) -> None:
        self._durable_across(make_pubsub, disrupt, ns, "subscriber")

    def test_reconnect_publisher_keeps_durable_messages(self, make_pubsub: Callable[..., PubSub],
                                                        disrupt: Disrupt | None, ns: str) -> None:
        self._durable_across(make_pubsub, disrupt, ns, "publisher")

    def test_reconnect_plain_subscriptions_resume(self, make_pubsub: Callable[..., PubSub],
                                                  disrupt: Disrupt | None, ns: str) -> None:
        """After a disruption, non-durable subscriptions work again (what was sent meanwhile may be lost)."""
        sub, pub = make_pubsub(), make_pubsub()
        if disrupt is None:
            pytest.skip("no disrupt fixture: cannot check reconnection")
        got = Collector()
        sub.subscribe(f"{ns}/plain", got)
        with disrupt(sub):
            pass
        deadline = time.monotonic() + TIMEOUT
        while not got.messages and time.monotonic() < deadline:
            with contextlib.suppress(PubSubError):
                pub.publish(f"{ns}/plain", b"again")
            got.wait_for(lambda ms: bool(ms), 0.2)
        assert got.messages, "a plain subscription never worked again after the disruption"

    @pytest.mark.parametrize("durable", [False, True], ids=["plain", "durable"])
    def test_idempotence_by_message_id(self, make_pubsub: Callable[..., PubSub], ns: str, durable: bool) -> None:
        sub, pub, pub2 = make_pubsub(), make_pubsub(), make_pubsub()
        if durable:
            require(sub, "durable")
        got = Collector()
        sub.subscribe(f"{ns}/idem", got, durable=durable)
        mid = pub.publish(f"{ns}/idem", b"once", durable=durable)
        assert pub.publish(f"{ns}/idem", b"once", durable=durable, message_id=mid) == mid
        pub2.publish(f"{ns}/idem", b"once", durable=durable, message_id=mid)
        pub.publish(f"{ns}/idem", b"sentinel", durable=durable)
        got.wait_for(lambda ms: any(m.payload == b"sentinel" for m in ms))
        pub2.publish(f"{ns}/idem", b"sentinel2", durable=durable)
        got.wait_for(lambda ms: any(m.payload == b"sentinel2" for m in ms))
        settle()
        assert [m.payload for m in got.messages if m.id == mid] == [b"once"]

    # -- lifecycle -------------------------------------------------------------------------------

    def test_close_is_clean(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        before = {t.ident for t in threading.enumerate()}
        client = make_pubsub()
        client.subscribe(f"{ns}/c", Collector())
        client.subscribe(f"{ns}/d", Collector(), durable="durable" in client.capabilities)
        client.publish(f"{ns}/c", b"x")
        started = time.monotonic()
        client.close()
        assert time.monotonic() - started < 5, "close() took more than 5 s"
        client.close()  # twice is harmless
        with pytest.raises(PubSubError):
            client.publish(f"{ns}/c", b"after close")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            left = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()]
            if not left:
                break
            time.sleep(0.05)
        assert not left, f"threads left running after close(): {[t.name for t in left]}"

    def test_context_manager(self, make_pubsub: Callable[..., PubSub], ns: str) -> None:
        probe = make_pubsub()
        cls = type(probe)
        got = Collector()
        probe.subscribe(f"{ns}/cm", got)
        with cls(probe.url) as client:
            client.publish(f"{ns}/cm", b"from a with block")
        assert got.wait_count(1)[0].payload == b"from a with block"
