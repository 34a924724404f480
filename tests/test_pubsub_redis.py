"""The pub/sub conformance suite against the ``redis`` backend and a real redis-server.

Disruption: the victim's connections are killed server-side (``CLIENT KILL``), the default
``drop_connection`` hook. A server restart is not used: the test server runs without
persistence, and Redis Streams survive a restart only with AOF configured.
"""

from __future__ import annotations

import threading
import time
import uuid
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


def test_close_wakes_the_readers_instead_of_waiting_for_their_reads(redis_url: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """close() shuts the readers' sockets: it used to wait out a blocked stream read (200 ms on
    every `things dispatch` command). The block is made 20 s here, so that a close that waits
    for it cannot pass for one that does not, however loaded the machine."""
    from things_plugins.pubsub import redis_pubsub

    monkeypatch.setattr(redis_pubsub, "BLOCK_MS", 20_000)
    # a stable id, as `things dispatch` gives: its inbox is kept on close (a deleted one would
    # end the blocked read by itself)
    client = plugins.load("pubsub", "redis", url=redis_url, client_id=f"wake-{uuid.uuid4().hex[:8]}")
    client.connect()
    client.subscribe("wake/plain", Collector())
    client.subscribe("wake/durable", Collector(), durable=True)
    time.sleep(0.3)  # both readers are now in their blocking reads
    started = time.monotonic()
    client.close()
    assert time.monotonic() - started < 3, "close() waited for the blocked stream read (joined for 5 s)"
    assert not [t for t in threading.enumerate() if t.name.startswith(f"things-redis-inbox-{client.client_id}")]
    import redis

    redis.Redis.from_url(redis_url).delete(f"things:inbox:{client.client_id}")


def test_an_inbox_whose_group_vanished_is_read_again(redis_url: str) -> None:
    """A server that restarts without persistence loses the inbox and its consumer group: the
    reader makes the group again when Redis says NOGROUP (it no longer makes it before
    every read), and durable messages published afterwards arrive."""
    import redis

    sub = plugins.load("pubsub", "redis", url=redis_url, client_id=None)
    pub = plugins.load("pubsub", "redis", url=redis_url, client_id=None)
    with sub, pub:
        got = Collector()
        sub.subscribe("regroup/a", got, durable=True)
        pub.publish("regroup/a", b"before", durable=True)
        assert got.wait_count(1)[0].payload == b"before"
        redis.Redis.from_url(redis_url).delete(f"things:inbox:{sub.client_id}")  # what a restart does
        pub.publish("regroup/a", b"after", durable=True)
        assert [m.payload for m in got.wait_count(2)] == [b"before", b"after"]
