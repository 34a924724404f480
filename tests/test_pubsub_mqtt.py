"""The pub/sub conformance suite against the ``mqtt`` backend and a real mosquitto.

Disruption here is the harshest we can do: mosquitto is stopped for the duration of the
``with`` block and started again (its persistence keeps the sessions), so the durable
messages published meanwhile wait in the publisher's queue, then in the broker.

This module runs its own mosquitto: run as root, mosquitto drops to the ``mosquitto`` user
and cannot write its database into the test's private directory, so sessions would not
survive the restart; ``user root`` keeps it able to (a no-op for other users).
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

import pytest
from servers import Server, start_mosquitto
from things_conformance.pubsub import ClientFactory, Collector, PubSubConformance

from thingscore import plugins
from thingscore.pubsub import PubSub, PubSubError


@pytest.fixture(scope="module")
def persistent_mosquitto() -> Iterator[Server]:
    # start_mosquitto sets set_tcp_nodelay (mosquitto leaves Nagle on: ~40 ms per QoS 1 round trip)
    # and, as root, `user root` (so that persistence survives a restart).
    server = start_mosquitto()
    yield server
    server.stop()


class TestMqttPubSub(PubSubConformance):
    @pytest.fixture
    def make_pubsub(self, persistent_mosquitto: Server) -> Iterator[ClientFactory]:
        url = f"mqtt://127.0.0.1:{persistent_mosquitto.port}"
        with ClientFactory(lambda cid: plugins.load("pubsub", "mqtt", url=url, client_id=cid)) as factory:
            yield factory

    @pytest.fixture
    def disrupt(self, persistent_mosquitto: Server):
        mosquitto = persistent_mosquitto

        @contextlib.contextmanager
        def restart_broker(victim: PubSub) -> Iterator[None]:
            mosquitto.proc.terminate()
            mosquitto.proc.wait(5)
            try:
                yield
            finally:
                mosquitto.restart()

        return restart_broker


_C = PubSubConformance


class TestMqttDropConnection:
    """The reconnect checks again, with a cut socket (paho must notice and reconnect) instead of a restart."""

    make_pubsub = TestMqttPubSub.make_pubsub
    ns = _C.ns
    disrupt = _C.disrupt  # the default: PubSub.drop_connection()
    _durable_across = _C._durable_across
    test_reconnect_subscriber_keeps_durable_messages = _C.test_reconnect_subscriber_keeps_durable_messages
    test_reconnect_publisher_keeps_durable_messages = _C.test_reconnect_publisher_keeps_durable_messages
    test_reconnect_plain_subscriptions_resume = _C.test_reconnect_plain_subscriptions_resume


def test_nodelay_is_set(mqtt_url: str) -> None:
    client = plugins.load("pubsub", "mqtt", url=mqtt_url, client_id=None)
    with client:
        sock = client._client.socket()  # type: ignore[union-attr]
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_unreachable_broker_is_a_clear_error() -> None:
    from servers import free_port

    client = plugins.load("pubsub", "mqtt", url=f"mqtt://127.0.0.1:{free_port()}", client_id=None)
    with pytest.raises(PubSubError, match="cannot connect"):
        client.connect()


def test_durable_publish_round_trip_is_fast(mqtt_url: str) -> None:
    """QoS 1 without Nagle: 200 request/replies well under the ~40 ms each Nagle would cost."""
    import time

    a = plugins.load("pubsub", "mqtt", url=mqtt_url, client_id=None)
    b = plugins.load("pubsub", "mqtt", url=mqtt_url, client_id=None)
    with a, b:
        got = Collector()
        b.subscribe("rtt/x", got, durable=True)
        started = time.monotonic()
        for i in range(200):
            a.publish("rtt/x", b"x", durable=True)
            got.wait_count(i + 1)
        assert (time.monotonic() - started) / 200 < 0.01
