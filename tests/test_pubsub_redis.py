"""The pub/sub conformance suite against the ``redis`` backend and a real redis-server.

Disruption: the victim's connections are killed server-side (``CLIENT KILL``), the default
``drop_connection`` hook. A server restart is not used: the test server runs without
persistence, and Redis Streams survive a restart only with AOF configured.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from things_conformance.pubsub import ClientFactory, Collector, PubSubConformance
from things_plugins.pubsub.redis_pubsub import glob_for

from thingscore import plugins


class TestRedisPubSub(PubSubConformance):
    @pytest.fixture
    def make_pubsub(self, redis_url: str) -> Iterator[ClientFactory]:
        with ClientFactory(lambda cid: plugins.load("pubsub", "redis", url=redis_url, client_id=cid)) as factory:
            yield factory


@pytest.mark.parametrize(("pattern", "glob"), [
    ("a/b", "a/b"), ("a/+/c", "a/*/c"), ("a/#", "a*"), ("#", "*"), ("+", "*"), ("a*[x]?/+", "a\\*\\[x\\]\\?/*"),
])
def test_glob_superset(pattern: str, glob: str) -> None:
    assert glob_for(pattern) == glob


def test_durable_messages_wait_for_a_resumed_client(redis_url: str) -> None:
    """A client with a stable id that closes and comes back gets what was published meanwhile."""
    cid = "resume-me"
    first = plugins.load("pubsub", "redis", url=redis_url, client_id=cid)
    pub = plugins.load("pubsub", "redis", url=redis_url, client_id=None)
    with pub:
        with first:
            first.subscribe("resume/a", Collector(), durable=True)
        pub.publish("resume/a", b"while away", durable=True)
        again = plugins.load("pubsub", "redis", url=redis_url, client_id=cid)
        with again:
            got = Collector()
            again.subscribe("resume/a", got, durable=True)
            assert got.wait_count(1)[0].payload == b"while away"
            again.unsubscribe(again._table.matching("resume/a")[0])


def test_bursts_longer_than_one_handover_lose_nothing(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader hands messages over in bursts of at most BURST: none may fall between two.

    The reader is held back on its first message while 2.5 bursts' worth pile up in the
    socket, so that it then reads full bursts back to back (a first version read the
    message after a full burst and dropped it).
    """
    from things_plugins.pubsub import redis_pubsub

    held = threading.Event()
    real = redis_pubsub.RedisPubSub._read_burst

    def slow_first(self: redis_pubsub.RedisPubSub, ps: object, msg: object) -> None:
        if not held.is_set():
            held.set()
            time.sleep(1.0)
        real(self, ps, msg)  # type: ignore[arg-type]

    monkeypatch.setattr(redis_pubsub.RedisPubSub, "_read_burst", slow_first)
    n = redis_pubsub.BURST * 5 // 2
    sub = plugins.load("pubsub", "redis", url=redis_url, client_id=None)
    pub = plugins.load("pubsub", "redis", url=redis_url, client_id=None)
    with sub, pub:
        got = Collector()
        sub.subscribe("burst/+", got)
        for i in range(n):
            pub.publish(f"burst/{i % 3}", str(i).encode())
        msgs = got.wait_count(n, timeout=30)
        assert sorted(int(m.payload) for m in msgs) == list(range(n))
