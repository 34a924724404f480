"""The pub/sub conformance suite against the ``zmq`` backend and its embedded broker.

The broker runs in-process on free ports (``things pubsub`` runs the same class). Two
disruptions: the broker is stopped for the ``with`` block and started again on the same
ports (clients notice the new epoch, re-register and re-send), and, in a second class,
the victim's sockets are closed and reopened (``drop_connection``).
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Iterator

import pytest
from conftest import things_cmd
from servers import free_port_triple
from things_conformance.pubsub import ClientFactory, Collector, PubSubConformance
from things_plugins.pubsub.zmq_broker import ZmqBroker
from things_plugins.pubsub.zmq_pubsub import zmq_prefix

from thingscore import plugins
from thingscore.pubsub import PubSub, PubSubError


class BrokerHolder:
    def __init__(self) -> None:
        self.port = free_port_triple()
        self.broker = ZmqBroker("127.0.0.1", self.port).start()

    @property
    def url(self) -> str:
        return f"zmq://127.0.0.1:{self.port}"

    def restart(self, down: float = 0.0) -> None:
        self.broker.stop()
        time.sleep(down)
        self.broker = ZmqBroker("127.0.0.1", self.port).start()


@pytest.fixture(scope="module")
def zmq_broker() -> Iterator[BrokerHolder]:
    holder = BrokerHolder()
    yield holder
    holder.broker.stop()


class TestZmqPubSub(PubSubConformance):
    @pytest.fixture
    def make_pubsub(self, zmq_broker: BrokerHolder) -> Iterator[ClientFactory]:
        url = zmq_broker.url
        with ClientFactory(lambda cid: plugins.load("pubsub", "zmq", url=url, client_id=cid)) as factory:
            yield factory

    @pytest.fixture
    def disrupt(self, zmq_broker: BrokerHolder):
        @contextlib.contextmanager
        def restart_broker(victim: PubSub) -> Iterator[None]:
            zmq_broker.broker.stop()
            try:
                yield
            finally:
                zmq_broker.broker = ZmqBroker("127.0.0.1", zmq_broker.port).start()

        return restart_broker


_C = PubSubConformance


class TestZmqDropConnection:
    """The reconnect checks again, with the victim's sockets closed and reopened."""

    make_pubsub = TestZmqPubSub.make_pubsub
    ns = _C.ns
    disrupt = _C.disrupt  # the default: PubSub.drop_connection()
    _durable_across = _C._durable_across
    test_reconnect_subscriber_keeps_durable_messages = _C.test_reconnect_subscriber_keeps_durable_messages
    test_reconnect_publisher_keeps_durable_messages = _C.test_reconnect_publisher_keeps_durable_messages
    test_reconnect_plain_subscriptions_resume = _C.test_reconnect_plain_subscriptions_resume


@pytest.mark.parametrize(("pattern", "prefix"), [
    ("a/b", "a/b"), ("a/+/c", "a/"), ("a/#", "a"), ("#", ""), ("+", ""), ("+/b", ""), ("a/b/+", "a/b/"),
])
def test_prefixes(pattern: str, prefix: str) -> None:
    assert zmq_prefix(pattern) == prefix


def test_no_broker_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from things_plugins.pubsub import zmq_pubsub

    monkeypatch.setattr(zmq_pubsub, "HANDSHAKE_TIMEOUT", 0.5)
    client = plugins.load("pubsub", "zmq", url=f"zmq://127.0.0.1:{free_port_triple()}", client_id=None)
    with pytest.raises(PubSubError, match="things pubsub"):
        client.connect()


def test_things_pubsub_command_serves_clients() -> None:
    """`things pubsub --port P` is a broker that clients use; it stops cleanly on SIGTERM."""
    port = free_port_triple()
    if subprocess.run([*things_cmd(), "pubsub", "--help"], capture_output=True).returncode != 0:
        pytest.skip("`things pubsub` is not wired into thingscore/cli.py yet")
    proc = subprocess.Popen([*things_cmd(), "pubsub", "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        assert f"zmq://127.0.0.1:{port}" in line, line
        url = f"zmq://127.0.0.1:{port}"
        with plugins.load("pubsub", "zmq", url=url, client_id=None) as a, \
                plugins.load("pubsub", "zmq", url=url, client_id=None) as b:
            got = Collector()
            b.subscribe("cmd/#", got, durable=True)
            a.publish("cmd/x", b"durable", durable=True)
            a.publish("cmd/x", b"plain")
            assert {m.payload for m in got.wait_count(2)} == {b"durable", b"plain"}
    finally:
        proc.terminate()
        assert proc.wait(10) == 0
