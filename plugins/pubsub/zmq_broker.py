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

CURVE (optional, libsodium is bundled in pyzmq): with a key pair (``curve_secret``) every
one of the three ports speaks CURVE (encrypted and authenticated: clients must know the
broker's public key, ``zmq://host:port?server_key=...``). With ``allowed_clients`` (a file or
directory of client public keys, see :func:`load_public_keys`, re-read at every handshake
so that a key file removed is a client refused from then on) a ZAP handler refuses every
other client key; without it any client that knows the broker's public key may connect.
Key files are ZeroMQ certificates (``zmq.auth.create_certificates``' format).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlparse

import zmq
import zmq.auth
from zmq.utils import z85

from thingscore.pubsub import PubSubError, new_id, topic_matches, unpack

if TYPE_CHECKING:  # imported by the broker that uses CURVE: it imports asyncio (a sixth of every client's start)
    from zmq.auth.thread import ThreadAuthenticator

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


def decode_key(text: str | bytes) -> bytes | None:
    """A CURVE public key as 40 Z85 characters (bytes), from Z85 or 64 hex digits; None if neither."""
    raw = text.decode("ascii", "replace") if isinstance(text, bytes) else text
    raw = raw.strip()
    if len(raw) == 64:
        try:
            return z85.encode(bytes.fromhex(raw))
        except ValueError:
            return None
    if len(raw) == 40:
        try:
            if len(z85.decode(raw.encode("ascii"))) == 32:
                return raw.encode("ascii")
        except (KeyError, ValueError, UnicodeEncodeError):
            return None
    return None


def public_key_file(secret_path: str | Path) -> Path:
    """Where the public half of a key pair file lives: ZeroMQ's ``x.key`` next to ``x.key_secret``,
    else ``<file>.pub``."""
    p = Path(secret_path)
    return p.with_name(p.name[:-len("_secret")]) if p.name.endswith("_secret") else p.with_name(p.name + ".pub")


def _write_certificate(path: Path, public: bytes, secret: bytes | None) -> None:
    """A ZeroMQ certificate file (what ``zmq.auth.load_certificate`` reads); secret ones are 0600."""
    lines = ["#   ZeroMQ CURVE " + ("**Secret** Certificate: keep it private" if secret else "Public Certificate"),
             "#   written by things", "", "metadata", "curve", f'    public-key = "{public.decode()}"']
    if secret:
        lines.append(f'    secret-key = "{secret.decode()}"')
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if secret else 0o644)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")


def load_or_create_keys(path: str | Path) -> tuple[bytes, bytes, bool]:
    """(public, secret, created) of the key pair file ``path``; made (with its public file,
    :func:`public_key_file`) when absent, so that ``things pubsub --curve-keys F`` just works."""
    p = Path(path)
    if not p.exists():
        public, secret = zmq.curve_keypair()
        p.parent.mkdir(parents=True, exist_ok=True)
        _write_certificate(p, public, secret)
        pub = public_key_file(p)
        pub.unlink(missing_ok=True)  # a stale public half of an older pair would mislead
        _write_certificate(pub, public, None)
        return public, secret, True
    try:
        public, secret = zmq.auth.load_certificate(p)
    except (OSError, ValueError) as exc:
        raise PubSubError(f"zmq: cannot read the CURVE key pair {p}: {exc}") from exc
    if secret is None or decode_key(secret) is None or decode_key(public) is None:
        raise PubSubError(f"zmq: {p} holds no CURVE secret key (a public certificate? give the *_secret one)")
    return public, secret, False


def load_public_keys(path: str | Path) -> set[bytes]:
    """Client public keys (Z85) allowed by a file or a directory.

    A directory: every file in it that is a ZeroMQ certificate (``*.key``, ``*.pub``...;
    secret ones count by their public half). A file: a certificate, or one key per line
    (Z85 or hex; ``#`` starts a comment).
    """
    p = Path(path)
    files = sorted(f for f in p.iterdir() if f.is_file()) if p.is_dir() else [p]
    keys: set[bytes] = set()
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        if "public-key" in text:
            with contextlib.suppress(OSError, ValueError):
                key = decode_key(zmq.auth.load_certificate(f)[0])
                if key:
                    keys.add(key)
            continue
        if p.is_dir():
            continue
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip() if not decode_key(line) else line.strip()
            if line:
                key = decode_key(line)
                if key is None:
                    raise PubSubError(f"zmq: {f}: not a CURVE public key (40 Z85 characters or 64 hex): {line!r}")
                keys.add(key)
    return keys


class _AllowedClients:
    """ZAP credentials provider: the keys of ``path``, read again at every handshake."""

    def __init__(self, path: str | Path) -> None:
        self.path = path

    def callback(self, domain: str, key: bytes) -> bool:
        try:
            allowed = key in load_public_keys(self.path)
        except (OSError, PubSubError) as exc:
            log.error("zmq broker: cannot read the allowed client keys (%s): refusing %s", exc, key.decode())
            return False
        if not allowed:
            log.warning("zmq broker: refused a client with CURVE key %s (not in %s)", key.decode(), self.path)
        return allowed


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

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT, grace: float = GRACE, *,
                 curve_secret: bytes | None = None, allowed_clients: str | Path | None = None) -> None:
        if allowed_clients is not None and curve_secret is None:
            raise PubSubError("zmq broker: allowed client keys need CURVE (a server key pair)")
        self.host, self.port = host, port
        self.curve_secret = curve_secret
        self.public_key = zmq.curve_public(curve_secret) if curve_secret else None
        self.allowed_clients = allowed_clients
        self._auth: ThreadAuthenticator | None = None
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
        """What clients connect to: with CURVE, the broker's public key included (percent-encoded:
        Z85 has ``&``, ``#``, ``+``... that mean other things in a URL)."""
        if self.public_key is None:
            return f"zmq://{self.host}:{self.port}"
        return f"zmq://{self.host}:{self.port}?server_key={quote(self.public_key.decode(), safe='')}"

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
            if self.curve_secret is not None:
                # Also covers xsub's inproc endpoint for our own PUB: inproc has no handshake.
                s.curve_server = True
                s.curve_secretkey = self.curve_secret
        if self.allowed_clients is not None:
            from zmq.auth.thread import ThreadAuthenticator

            self._auth = ThreadAuthenticator(self._ctx, log=logging.getLogger("things.pubsub.zmq.auth"))
            self._auth.start()
            self._auth.configure_curve_callback("*", credentials_provider=_AllowedClients(self.allowed_clients))
        router.setsockopt(zmq.ROUTER_HANDOVER, 1)  # a reconnecting client takes its identity back
        try:
            xsub.bind(xsub_ep)
            xsub.bind(self._inproc)
            xpub.bind(xpub_ep)
            router.bind(router_ep)
        except zmq.ZMQError as exc:
            for s in (xsub, xpub, router, control_in, self._control):
                s.close(0)
            if self._auth is not None:
                self._auth.stop()
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
        if self._auth is not None:
            self._auth.stop()
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


class ServedBroker:
    """The zmq broker as ``things pubsub`` runs it (``thingscore.pubsub.Broker``)."""

    def __init__(self, broker: ZmqBroker, description: str, notes: list[str]) -> None:
        self.broker = broker
        self.url = broker.url
        self.description = description
        self.notes = notes

    def serve_forever(self) -> int:
        self.broker.serve_forever()
        return 0

    def stop(self) -> None:
        self.broker.stop()


def serve(host: str, port: int, options: dict[str, str]) -> ServedBroker:
    """Start the broker for ``things pubsub``; options ``curve_keys`` (the broker's key pair file,
    made when absent) and ``curve_clients`` (the client public keys it admits)."""
    curve_keys, curve_clients = options.get("curve_keys"), options.get("curve_clients")
    secret, created = None, False
    if curve_clients and not curve_keys:
        raise PubSubError("--curve-clients needs --curve-keys (the broker's own key pair)")
    if curve_keys:
        _, secret, created = load_or_create_keys(curve_keys)
    if curve_clients:
        allowed = load_public_keys(curve_clients)  # now, so that a wrong path fails at start
        if not allowed:
            log.warning("no client public key in %s yet: every client is refused until one is added", curve_clients)
    broker = ZmqBroker(host, port, curve_secret=secret, allowed_clients=curve_clients)
    broker.start()
    mode = "" if secret is None else (", CURVE" + (f", clients allowed by {curve_clients}" if curve_clients else
                                                   ", any client that knows the key"))
    notes = []
    if created and curve_keys:
        notes.append(f"made a new CURVE key pair in {curve_keys} (keep it private); public key in "
                     f"{public_key_file(curve_keys)}")
    return ServedBroker(broker, f"zmq broker at {broker.url} (XSUB {port}, XPUB {port + 1}, "
                                f"durable ROUTER {port + 2}{mode})", notes)
