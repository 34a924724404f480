"""The embedded broker behind the ``zmq`` backend (what ``things pubsub`` runs).

URL ``zmq://HOST:PORT`` names three consecutive ports:

- ``PORT``   XSUB: publishers' PUB sockets connect here;
- ``PORT+1`` XPUB: subscribers' SUB sockets connect here;
- ``PORT+2`` ROUTER: every client's DEALER connects here for durable (control) traffic.

Plain messages go through libzmq's own proxy (XSUB -> XPUB, a C loop: no Python per message).
The XSUB side subscribes to everything so that a publisher forwards all it publishes as
soon as it is connected. High-water marks are 0 (unbounded) on every socket: memory grows
under a slow subscriber instead of messages being dropped silently.

Durable messages go through the ROUTER, handled by one Python thread, with go-back-N in
both directions so that a brief disconnection loses nothing and reorders nothing:

- a client publishes ``PUB session pseq topic frame``; the broker accepts only the next
  ``pseq`` of that session (answers ``PUBOK session last`` cumulatively), the client keeps
  and re-sends everything unacknowledged, in order, until acknowledged;
- for each client with a matching durable pattern (``SUB pattern`` -> ``SUBOK``), the
  broker appends the message to that client's queue and sends ``MSG epoch seq topic frame``;
  the client accepts only the next ``seq`` and acknowledges cumulatively (``ACK``); the
  broker re-sends a client's whole unacknowledged queue, in order, every ``RESEND`` seconds
  (messages sent to a disconnected client are dropped by the ROUTER and come again);
- ``HELLO`` (at connect) is answered by ``WELCOME epoch first_seq`` and a re-send; ``PING``
  (every half second) by ``PONG epoch``: a client that sees a new epoch (the broker was
  restarted) says HELLO again, re-subscribes and re-sends its unacknowledged publications.
- for ``GRACE`` seconds after it starts, the broker leaves durable publications
  unacknowledged (their publishers re-send them): after a restart, subscribers have time
  to re-register their durable patterns before anything is fanned out to them;
- a durable message is also published on the plain path (flag ``D``) for plain subscribers;
  repeated message ids are fanned out once (idempotence by id).

The durable state lives in the broker's memory: it survives clients' disconnections, not
the broker's own restart (queued messages for a client that is away at that moment are
lost; publications not yet acknowledged are re-sent by their publishers).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from urllib.parse import urlparse

import zmq

from thingscore.pubsub import PubSubError, new_id, topic_matches, unpack

log = logging.getLogger("things.pubsub.zmq.broker")

RESEND = 0.5
GRACE = 1.2  # > the clients' PING interval plus a round trip
DEFAULT_PORT = 7901  # what `things pubsub` and the worker use by default


def parse_url(url: str | None) -> tuple[str, int]:
    """(host, base port) of a ``zmq://host:port`` URL (base port: the XSUB; +1 XPUB; +2 ROUTER)."""
    if url in (None, "", "zmq", "zmq://"):
        return "127.0.0.1", DEFAULT_PORT
    assert url is not None
    u = urlparse(url if "://" in url else f"zmq://{url}")
    if u.scheme not in ("zmq", "tcp"):
        raise PubSubError(f"not a ZeroMQ URL: {url!r} (expected zmq://host:port)")
    return u.hostname or "127.0.0.1", u.port or DEFAULT_PORT


def endpoints(host: str, port: int) -> tuple[str, str, str]:
    return f"tcp://{host}:{port}", f"tcp://{host}:{port + 1}", f"tcp://{host}:{port + 2}"


def unbounded(sock: zmq.Socket) -> None:
    """No high-water mark: never drop silently (memory is the bound, and it is visible)."""
    sock.setsockopt(zmq.SNDHWM, 0)
    sock.setsockopt(zmq.RCVHWM, 0)


@dataclass
class _Client:
    patterns: set[str] = field(default_factory=set)
    queue: deque[tuple[int, bytes, bytes]] = field(default_factory=deque)
    next_seq: int = 1
    last_send: float = 0.0
    interval: float = RESEND  # doubles while a client acknowledges nothing (gone for good?)


class ZmqBroker:
    """XSUB/XPUB proxy plus the durable ROUTER; ``start()`` returns once all are bound."""

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT, grace: float = GRACE) -> None:
        self.host, self.port = host, port
        self._grace_until = time.monotonic() + grace
        self.epoch = new_id().encode()
        self._ctx = zmq.Context()
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._clients: dict[bytes, _Client] = {}
        self._sessions: dict[tuple[bytes, bytes], int] = {}
        self._seen: OrderedDict[bytes, None] = OrderedDict()
        self._inproc = f"inproc://things-broker-{new_id()}"

    @property
    def url(self) -> str:
        return f"zmq://{self.host}:{self.port}"

    @classmethod
    def from_url(cls, url: str | None) -> ZmqBroker:
        return cls(*parse_url(url))

    def start(self) -> ZmqBroker:
        xsub_ep, xpub_ep, router_ep = endpoints(self.host, self.port)
        xsub, xpub = self._ctx.socket(zmq.XSUB), self._ctx.socket(zmq.XPUB)
        router = self._ctx.socket(zmq.ROUTER)
        control_in, self._control = self._ctx.socket(zmq.PAIR), self._ctx.socket(zmq.PAIR)
        for s in (xsub, xpub, router):
            unbounded(s)
            s.setsockopt(zmq.LINGER, 0)
        router.setsockopt(zmq.ROUTER_HANDOVER, 1)  # a reconnecting client takes its identity back
        try:
            xsub.bind(xsub_ep)
            xsub.bind(self._inproc)
            xpub.bind(xpub_ep)
            router.bind(router_ep)
        except zmq.ZMQError as exc:
            for s in (xsub, xpub, router, control_in, self._control):
                s.close(0)
            self._ctx.term()
            raise PubSubError(f"zmq broker: cannot bind {self.host}:{self.port}..{self.port + 2}: {exc}") from exc
        xsub.send(b"\x01")  # subscribe to everything: publishers forward all they publish at once
        control_in.bind(f"{self._inproc}-ctl")
        self._control.connect(f"{self._inproc}-ctl")

        def proxy() -> None:
            try:
                zmq.proxy_steerable(xsub, xpub, None, control_in)
            except zmq.ZMQError:
                pass
            finally:
                for s in (xsub, xpub, control_in):
                    s.close(0)

        self._threads = [threading.Thread(target=proxy, name="things-broker-proxy", daemon=True),
                         threading.Thread(target=self._serve, args=(router,), name="things-broker-durable",
                                          daemon=True)]
        for th in self._threads:
            th.start()
        self._ready.wait(5)
        return self

    def stop(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        try:
            self._control.send(b"TERMINATE")
        except zmq.ZMQError:
            pass
        for th in self._threads:
            th.join(5)
        self._control.close(0)
        self._ctx.term()

    def __enter__(self) -> ZmqBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Block until ``stop()`` (from a signal handler, say)."""
        while not self._stop.wait(0.5):
            pass

    # -- the durable channel ---------------------------------------------------------------------

    def _serve(self, router: zmq.Socket) -> None:
        plain = self._ctx.socket(zmq.PUB)  # durable messages' copy for plain subscribers
        unbounded(plain)
        plain.setsockopt(zmq.LINGER, 0)
        plain.connect(self._inproc)
        self._ready.set()
        poller = zmq.Poller()
        poller.register(router, zmq.POLLIN)
        try:
            while not self._stop.is_set():
                if poller.poll(100):
                    for _ in range(1000):
                        try:
                            frames = router.recv_multipart(zmq.NOBLOCK)
                        except zmq.Again:
                            break
                        try:
                            self._handle(router, plain, frames)
                        except Exception:  # a malformed request must not stop the broker
                            log.exception("zmq broker: bad request %r", frames[:2])
                self._resend_due(router)
        finally:
            router.close(0)
            plain.close(0)

    def _handle(self, router: zmq.Socket, plain: zmq.Socket, frames: list[bytes]) -> None:
        ident, cmd, args = frames[0], frames[1], frames[2:]
        client = self._clients.setdefault(ident, _Client())
        if cmd == b"PUB":
            session, pseq, topic, frame = args
            if time.monotonic() < self._grace_until:
                return  # not acknowledged: re-sent once subscribers are back (see GRACE)
            key, seq = (ident, session), int(pseq)
            expected = self._sessions.setdefault(key, seq)
            if seq == expected:
                self._sessions[key] = seq + 1
                self._fan_out(router, plain, topic, frame)
            router.send_multipart([ident, b"PUBOK", session, str(self._sessions[key] - 1).encode()])
        elif cmd == b"ACK":
            epoch, seq = args
            if epoch == self.epoch:
                upto = int(seq)
                if client.queue and client.queue[0][0] <= upto:
                    client.interval = RESEND
                while client.queue and client.queue[0][0] <= upto:
                    client.queue.popleft()
        elif cmd == b"PING":
            router.send_multipart([ident, b"PONG", self.epoch])
        elif cmd == b"SUB":
            client.patterns.add(args[0].decode())
            router.send_multipart([ident, b"SUBOK", args[0]])
        elif cmd == b"UNSUB":
            client.patterns.discard(args[0].decode())
            router.send_multipart([ident, b"UNSUBOK", args[0]])
        elif cmd == b"HELLO":
            first = client.queue[0][0] if client.queue else client.next_seq
            client.interval = RESEND
            router.send_multipart([ident, b"WELCOME", self.epoch, str(first).encode()])
            self._send_queue(router, ident, client)
        elif cmd == b"BYE":
            self._clients.pop(ident, None)
            for key in [k for k in self._sessions if k[0] == ident]:
                del self._sessions[key]
        else:
            log.warning("zmq broker: unknown command %r", cmd[:20])

    def _fan_out(self, router: zmq.Socket, plain: zmq.Socket, topic: bytes, frame: bytes) -> None:
        mid = frame[1:1 + frame[0]] if frame else b""
        if mid in self._seen:
            return  # the same message id again: subscribers already have it
        self._seen[mid] = None
        if len(self._seen) > 100_000:
            self._seen.popitem(last=False)
        unpack(frame)  # refuse malformed frames before anyone queues them
        text = topic.decode()
        for ident, client in self._clients.items():
            if any(topic_matches(p, text) for p in client.patterns):
                seq = client.next_seq
                client.next_seq += 1
                client.queue.append((seq, topic, frame))
                router.send_multipart([ident, b"MSG", self.epoch, str(seq).encode(), topic, frame])
                client.last_send = time.monotonic()
        plain.send_multipart([topic, b"D" + frame])

    def _send_queue(self, router: zmq.Socket, ident: bytes, client: _Client) -> None:
        for seq, topic, frame in client.queue:
            router.send_multipart([ident, b"MSG", self.epoch, str(seq).encode(), topic, frame])
        client.last_send = time.monotonic()

    def _resend_due(self, router: zmq.Socket) -> None:
        now = time.monotonic()
        for ident, client in self._clients.items():
            if client.queue and now - client.last_send > client.interval:
                self._send_queue(router, ident, client)
                client.interval = min(client.interval * 2, 5.0)
