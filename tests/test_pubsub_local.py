"""The pub/sub conformance suite against the in-process ``local`` backend, plus its own promises."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from things_conformance.pubsub import ClientFactory, Collector, PubSubConformance

from thingscore import plugins
from thingscore.pubsub import PubSubError


class TestLocalPubSub(PubSubConformance):
    @pytest.fixture
    def make_pubsub(self) -> Iterator[ClientFactory]:
        with ClientFactory(lambda cid: plugins.load("pubsub", "local", url="local://conformance",
                                                    client_id=cid)) as factory:
            yield factory


def test_buses_are_separate_by_name() -> None:
    a = plugins.load("pubsub", "local", url="local://one", client_id=None)
    b = plugins.load("pubsub", "local", url="local://two", client_id=None)
    with a, b:
        got = Collector()
        a.subscribe("t", got)
        b.publish("t", b"other bus")
        a.publish("t", b"same bus")
        assert got.wait_count(1)[0].payload == b"same bus"
        a.flush()
        assert len(got.messages) == 1


def test_not_connected_and_bad_url() -> None:
    client = plugins.load("pubsub", "local", url=None, client_id=None)
    with pytest.raises(PubSubError):
        client.publish("t", b"x")
    with pytest.raises(PubSubError):
        plugins.load("pubsub", "local", url="mqtt://x", client_id=None)
