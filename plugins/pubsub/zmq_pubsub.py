"""``zmq``: pyzmq clients of the embedded broker (``things pubsub``; see :mod:`.zmq_broker`).

URL ``zmq://HOST:PORT``: PUB connects to PORT (the broker's XSUB), SUB to PORT+1 (XPUB),
DEALER to PORT+2 (the durable ROUTER). The DEALER's routing id is the client_id, so the
broker keeps a durable subscriber's queue under it across reconnections.

Plain path. Messages are ``[topic, b"P" + envelope]`` (envelope: id + payload). ZeroMQ
filters by byte prefix, so a pattern subscribes the literal prefix before its first
wildcard (``a/+/c`` -> ``a/``; ``a/#`` -> ``a``, which also matches ``a`` itself) and every
message is matched against the real patterns here. Slow joiners are solved by handshakes:
``connect`` publishes probes on a private topic until one comes back (the PUB has the
broker's subscription and the SUB is connected), and ``subscribe`` publishes probes
``<prefix> NUL <nonce>`` until one arrives (the broker's XPUB has our subscription, so
what anyone publishes afterwards reaches us). Topics cannot contain NUL, so probes never
reach a handler. High-water marks are 0: nothing is dropped silently.

Durable path. Over the DEALER with go-back-N both ways (see :mod:`.zmq_broker`): durable
publications are numbered per session and re-sent until the broker acknowledges them;
durable messages arrive numbered per client and only the next number is accepted, then
acknowledged. A PING every half second notices a restarted broker (new epoch): the client
then says HELLO again, re-subscribes and re-sends. Durable subscribers take durable
messages from that path only (their plain copies are ignored), which keeps their order.

CURVE: ``zmq://HOST:PORT?server_key=KEY[&client_key=PATH]`` when the broker runs with a key
pair (``things pubsub --curve-keys``). KEY is the broker's public key: 40 Z85 characters,
percent-encoded (``things pubsub`` prints the URL so), or 64 hex digits, or the path of its
public key file. ``client_key`` is this client's key pair file (a ZeroMQ ``*.key_secret``
certificate), needed when the broker only allows listed clients; otherwise an ephemeral
pair is made per connection object. ZeroMQ retries a failed handshake silently, forever;
so ``connect`` watches the DEALER's handshake (a socket monitor) and fails at once when it
is refused: a broker that wants CURVE from a plain client, a client key the broker does not
allow, a plain broker given a key; a wrong server_key is only seen as the broker hanging up
mid-handshake, reported after a few attempts (or at the handshake time-out).

Threads: one I/O thread owns the SUB and DEALER sockets (ZeroMQ sockets are not
thread-safe); callers reach it through an inproc PUSH socket guarded by a lock, and publish
on the PUB socket under another. Handlers run on the dispatcher thread.
"""

from __future__ import annotations

import contextlib
import logging
import os
import struct
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

import zmq
import zmq.auth

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
    message,
    new_id,
    pack,
    unpack,
)

from .zmq_broker import ServedBroker, decode_key, endpoints, parse_url, unbounded

log = logging.getLogger("things.pubsub.zmq")

PING_EVERY = 0.5
REPUBLISH_AFTER = 1.0
HANDSHAKE_TIMEOUT = 10.0
MAX_PENDING = 10_000
PLAIN, DURABLE = b"P", b"D"
#: What pack(new_id(), payload, PLAIN) puts before the id: the flag and the id's length.
_PLAIN_HEAD = PLAIN + bytes((len(new_id()),))
#: Flags as plain ints: pyzmq's send_multipart ORs enum flags in Python for every frame
#: (``zmq.SNDMORE | flags`` runs enum machinery), a sizeable part of a small message's cost.
_SNDMORE = int(zmq.SNDMORE)
_NOBLOCK = int(zmq.NOBLOCK)
#: pyzmq's compiled send, without the Python wrapper in front of it (routing-id and group
#: arguments we never pass): 0.15 us less per frame, two frames per publication.
_send = zmq.backend.Socket.send if issubclass(zmq.Socket, zmq.backend.Socket) else zmq.Socket.send
#: The same for receiving. Frames are received as ``zmq.Frame`` to read their ``more`` flag:
#: recv_multipart asks getsockopt(RCVMORE) after every frame, ~0.75 us each in pyzmq 27.
_recv = zmq.backend.Socket.recv if issubclass(zmq.Socket, zmq.backend.Socket) else zmq.Socket.recv
#: Payloads at least this big are handed to ZeroMQ without a copy.
ZERO_COPY_FROM = 65536
#: The broker hanging up this many times during the CURVE handshake, never completing it:
#: a wrong server_key (the broker cannot read our HELLO and says nothing else).
CURVE_HANGUPS = 3
_MONITORED = (zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
              | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL | zmq.EVENT_HANDSHAKE_FAILED_AUTH | zmq.EVENT_DISCONNECTED)


def _query(url: str | None) -> dict[str, str]:
    """The query of a zmq URL, read by hand: a raw Z85 key may hold ``#``, ``?`` and ``+``,
    which urllib would take for a fragment, a separator or a space."""
    if not url or "?" not in url:
        return {}
    out = {}
    for item in url.split("?", 1)[1].split("&"):
        key, _, value = item.partition("=")
        out[key] = value
    return out


def curve_keys(url: str | None) -> tuple[bytes, bytes, bytes] | None:
    """(server public, client public, client secret) for a URL with ``server_key``; None without.

    See the module docstring for the forms. Errors name what is wrong, without the secret.
    """
    query = _query(url)
    raw = query.get("server_key")
    if raw is None:
        if "client_key" in query:
            raise PubSubError("zmq: client_key= needs server_key= (the broker's CURVE public key)")
        return None
    server = decode_key(raw) or decode_key(unquote(raw))
    if server is None and os.path.isfile(unquote(raw)):
        try:
            server = decode_key(zmq.auth.load_certificate(unquote(raw))[0])
        except (OSError, ValueError) as exc:
            raise PubSubError(f"zmq: server_key={unquote(raw)}: {exc}") from exc
    if server is None:
        raise PubSubError(f"zmq: server_key={raw!r} is not a CURVE public key: give the broker's public key as 40 "
                          "Z85 characters, percent-encoded in the URL (as `things pubsub` prints it), as 64 hex "
                          "digits, or as the path of its public key file")
    path = query.get("client_key")
    if path is None:
        public, secret = zmq.curve_keypair()  # ephemeral: enough for a broker that allows any client
        return server, public, secret
    path = unquote(path)
    try:
        public, secret = zmq.auth.load_certificate(path)
    except (OSError, ValueError) as exc:
        raise PubSubError(f"zmq: client_key={path}: cannot read a CURVE key pair: {exc}") from exc
    if secret is None or decode_key(secret) is None:
        raise PubSubError(f"zmq: client_key={path} holds no secret key (give the *.key_secret file, not the public "
                          "one)")
    return server, public, secret


def _hostport(url: str | None) -> str:
    u = urlsplit(url if url and "://" in url else f"zmq://{url or ''}")
    return f"{u.hostname or '127.0.0.1'}:{u.port or ''}".rstrip(":")


def zmq_prefix(pattern: str) -> str:
    """The byte prefix ZeroMQ filters on for ``pattern`` (a superset of what it matches)."""
    out: list[str] = []
    for part in pattern.split("/"):
        if part == "#":
            return "/".join(out)
        if part == "+":
            return "/".join(out) + "/" if out else ""
        out.append(part)
    return "/".join(out)


def _monitor_event(frames: list[bytes]) -> tuple[int, int]:
    """(event, value) of a socket monitor's message: a 16-bit event id and a 32-bit value in the
    first frame, the endpoint in the second (``zmq.utils.monitor.parse_monitor_message``, whose
    module imports ``zmq.asyncio`` and asyncio: a sixth of a ``things dispatch`` command's time)."""
    if len(frames) != 2 or len(frames[0]) != 6:
        raise RuntimeError(f"not a socket monitor message: {frames!r}")
    event, value = struct.unpack("=hi", frames[0])
    return event, value


class ZmqPubSub(PubSub):
    name = "zmq"
    capabilities = frozenset({"wildcards", "durable", "large_payloads", "many_topics", "serve_broker"})
    schemes = ("zmq", "tcp")
    default_url = "zmq://127.0.0.1:7901"
    #: The default pub/sub: its broker is ours, in the package (``things pubsub``).
    default_priority = 100
    broker_port = 7901
    broker_options = ("curve_keys", "curve_clients")

    @classmethod
    def serve_broker(cls, host: str, port: int, options: Mapping[str, str]) -> ServedBroker:
        from .zmq_broker import serve

        return serve(host, port, dict(options))

    def __init__(self, url: str | None = None, *, client_id: str | None = None) -> None:
        super().__init__(url, client_id=client_id)
        self._host, self._port = parse_url(url)
        self._curve = curve_keys(url)
        self._handshake_error: str | None = None
        raw = self.client_id.encode()
        if not raw or len(raw) > 255 or raw[0] == 0:
            raise PubSubError("zmq: client_id must be 1..255 bytes and not start with NUL")
        self._stable_id = client_id is not None
        self._table = SubscriptionTable()
        self._prefixes: dict[str, int] = {}
        self._durable: dict[str, int] = {}
        self._lock = threading.Lock()
        self._pub_lock = threading.Lock()
        self._cmd_lock = threading.Lock()
        self._events: dict[bytes, threading.Event] = {}
        self._session = new_id().encode()
        self._pseq = 0
        self._unacked: OrderedDict[int, tuple[bytes, bytes]] = OrderedDict()
        self._pending = threading.Condition()
        self._last_republish = 0.0
        self._epoch: bytes | None = None
        self._expected = 0
        self._ctx: zmq.Context | None = None
        self._pub: zmq.Socket | None = None
        self._cmd: zmq.Socket | None = None
        self._io: threading.Thread | None = None
        self._dispatcher: Dispatcher | None = None
        self._closed = False

    # -- connection ------------------------------------------------------------------------------

    def connect(self) -> None:
        if self._ctx is not None:
            return
        if self._closed:
            raise PubSubError("zmq: closed")
        self._ctx = zmq.Context()
        xsub_ep, _, _ = endpoints(self._host, self._port)
        self._pub = self._ctx.socket(zmq.PUB)
        self._secure(self._pub)
        unbounded(self._pub)
        self._pub.setsockopt(zmq.LINGER, 2000)  # close() lets queued messages out
        self._pub.connect(xsub_ep)
        inproc = f"inproc://things-zmq-{new_id()}"
        pull = self._ctx.socket(zmq.PULL)
        unbounded(pull)
        pull.bind(inproc)
        self._cmd = self._ctx.socket(zmq.PUSH)
        unbounded(self._cmd)
        self._cmd.connect(inproc)
        self._dispatcher = Dispatcher(self, name=f"things-zmq-{self.client_id}")
        welcome = self._event(b"WELCOME")
        self._io = threading.Thread(target=self._run, args=(pull,), name=f"things-zmq-io-{self.client_id}",
                                    daemon=True)
        self._io.start()
        try:
            if self._handshake_error or not welcome.wait(HANDSHAKE_TIMEOUT) or self._handshake_error:
                raise PubSubError(self._handshake_error or self._no_answer())
            self._probe("\0" + self.client_id)
        except BaseException:
            self._teardown()
            raise

    def _secure(self, sock: zmq.Socket) -> None:
        """CURVE on a socket that connects to the broker, when the URL gives its key."""
        if self._curve is not None:
            server, public, secret = self._curve
            sock.curve_serverkey = server
            sock.curve_publickey = public
            sock.curve_secretkey = secret

    def _no_answer(self) -> str:
        where = f"{self._host}:{self._port + 2}"
        if self._curve is not None:
            return (f"zmq: no broker answered at {where} within {HANDSHAKE_TIMEOUT:.0f} s: the CURVE handshake "
                    "probably failed (is server_key the broker's public key, and is this client allowed?), "
                    "or `things pubsub` is not running")
        return (f"zmq: no broker answered at {where} within {HANDSHAKE_TIMEOUT:.0f} s (is `things pubsub` "
                "running? if it uses CURVE, add server_key= to the URL)")

    def _on_monitor(self, mon: zmq.Socket, state: dict[str, int]) -> bool:
        """Handshake events of the DEALER while connecting; True once the handshake succeeded.

        A refusal is recorded in ``_handshake_error`` and wakes ``connect`` at once: ZeroMQ
        itself would go on retrying silently and ``connect`` would only time out.
        """
        while True:
            try:
                frames = mon.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return False
            event, value = _monitor_event(frames)
            why = None
            if event == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                return True
            if event == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
                why = (f"the broker refused this client's CURVE key (ZAP status {value}): its public key is not "
                       "among the broker's allowed clients (give client_key= a key pair the broker allows)")
            elif event == zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL:
                if value == zmq.PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH:
                    why = ("the broker does not use CURVE, but the URL gives server_key=" if self._curve else
                           "the broker requires CURVE: add server_key=<the broker's public key> to the URL")
                elif value == zmq.PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC:
                    why = "the CURVE handshake failed (cryptographic error): is server_key the broker's public key?"
                else:
                    why = f"the ZeroMQ handshake failed (protocol error {value})"
            elif event == zmq.EVENT_DISCONNECTED and self._curve is not None:
                # Also what follows HANDSHAKE_FAILED_NO_DETAIL (the peer hung up: an I/O error,
                # which libzmq retries), so that one is only counted here.
                state["hangups"] = state.get("hangups", 0) + 1
                if state["hangups"] >= CURVE_HANGUPS:
                    why = (f"the broker hung up {state['hangups']} times during the CURVE handshake: server_key is "
                           "most likely not the broker's public key (or the broker does not use CURVE)")
            if why is not None and self._handshake_error is None:
                self._handshake_error = f"zmq: cannot connect to {_hostport(self.url)}: {why}"
                self._event(b"WELCOME").set()

    def _event(self, key: bytes) -> threading.Event:
        with self._lock:
            return self._events.setdefault(key, threading.Event())

    def _send_cmd(self, *frames: bytes) -> None:
        with self._cmd_lock:
            if self._cmd is None:
                raise PubSubError("zmq: closed" if self._closed else "zmq: not connected (call connect() first)")
            self._cmd.send_multipart(list(frames))

    def _probe(self, prefix: str) -> None:
        """Subscribe ``prefix`` and publish probes under it until one comes back."""
        nonce = new_id().encode()
        done = self._event(b"PROBE" + nonce)
        self._send_cmd(b"zsub", prefix.encode())
        topic = prefix.encode() + b"\0" + nonce
        deadline = time.monotonic() + HANDSHAKE_TIMEOUT
        wait = 0.001
        try:
            while True:
                with self._pub_lock:
                    assert self._pub is not None
                    self._pub.send_multipart([topic, b""])
                if done.wait(wait):
                    return
                if time.monotonic() > deadline:
                    raise PubSubError(f"zmq: subscription handshake for {prefix!r} timed out")
                wait = min(wait * 2, 0.1)
        finally:
            with self._lock:
                self._events.pop(b"PROBE" + nonce, None)

    def drop_connection(self) -> bool:
        if self._io is None or self._closed:
            return False
        self._send_cmd(b"drop")
        return True

    # -- publish ---------------------------------------------------------------------------------

    def publish(self, topic: str, payload: bytes, *, durable: bool = False, message_id: str | None = None) -> str:
        check_topic(topic)
        if self._pub is None or self._closed:
            raise PubSubError("zmq: closed" if self._closed else "zmq: not connected (call connect() first)")
        mid = message_id or new_id()
        if not durable:
            # pack() inlined for our own ids (always 32 ASCII characters): once per message
            data = _PLAIN_HEAD + mid.encode() + payload if message_id is None else pack(mid, payload, PLAIN)
            topic_b = topic.encode()
            pub = self._pub
            with self._pub_lock:  # two frames, one message: no other thread's frame in between
                _send(pub, topic_b, _SNDMORE)
                _send(pub, data, 0, len(data) < ZERO_COPY_FROM)
            return mid
        frame = pack(mid, payload)
        with self._pending:
            if len(self._unacked) >= MAX_PENDING and not self._pending.wait_for(
                    lambda: len(self._unacked) < MAX_PENDING, 60):
                raise PubSubError(f"zmq: {MAX_PENDING} durable publications unacknowledged for 60 s")
            self._pseq += 1
            seq = self._pseq
            self._unacked[seq] = (topic.encode(), frame)
            # Sent under the lock: the I/O thread sees publications in sequence order.
            self._send_cmd(b"dealer", b"PUB", self._session, str(seq).encode(), topic.encode(), frame)
        return mid

    def wait_published(self, timeout: float = 10.0) -> bool:
        """Wait until the broker acknowledged every durable publication (False on time-out)."""
        with self._pending:
            return self._pending.wait_for(lambda: not self._unacked, timeout)

    # -- subscribe -------------------------------------------------------------------------------

    def subscribe(self, pattern: str, handler: Handler, *, durable: bool = False) -> Subscription:
        check_pattern(pattern)
        if self._ctx is None or self._closed:
            raise PubSubError("zmq: closed" if self._closed else "zmq: not connected (call connect() first)")
        sub = Subscription(pattern, handler, durable)
        self._table.add(sub)
        prefix = zmq_prefix(pattern)
        with self._lock:
            first_prefix = self._prefixes.get(prefix, 0) == 0
            self._prefixes[prefix] = self._prefixes.get(prefix, 0) + 1
            first_durable = durable and self._durable.get(pattern, 0) == 0
            if durable:
                self._durable[pattern] = self._durable.get(pattern, 0) + 1
        if first_durable:
            ok = self._event(b"SUBOK" + pattern.encode())
            self._send_cmd(b"dealer", b"SUB", pattern.encode())
            if not ok.wait(HANDSHAKE_TIMEOUT):
                raise PubSubError(f"zmq: durable subscription to {pattern!r} not confirmed by the broker")
            with self._lock:
                self._events.pop(b"SUBOK" + pattern.encode(), None)
        if first_prefix:  # durable subscriptions also receive plain publications: same handshake
            self._probe(prefix)
        return sub

    def unsubscribe(self, subscription: Subscription) -> None:
        subscription.active = False
        if not self._table.remove(subscription):
            return
        prefix = zmq_prefix(subscription.pattern)
        with self._lock:
            self._prefixes[prefix] -= 1
            drop_prefix = self._prefixes[prefix] == 0
            if drop_prefix:
                del self._prefixes[prefix]
            drop_durable = False
            if subscription.durable:
                self._durable[subscription.pattern] -= 1
                drop_durable = self._durable[subscription.pattern] == 0
                if drop_durable:
                    del self._durable[subscription.pattern]
        with contextlib.suppress(PubSubError):
            if drop_prefix:
                self._send_cmd(b"zunsub", prefix.encode())
            if drop_durable:
                self._send_cmd(b"dealer", b"UNSUB", subscription.pattern.encode())

    # -- the I/O thread --------------------------------------------------------------------------

    def _run(self, pull: zmq.Socket) -> None:
        assert self._ctx is not None
        _, xpub_ep, router_ep = endpoints(self._host, self._port)

        mon: zmq.Socket | None = None

        def open_sockets() -> tuple[zmq.Socket, zmq.Socket]:
            nonlocal mon
            sub = self._ctx.socket(zmq.SUB)  # type: ignore[union-attr]
            dealer = self._ctx.socket(zmq.DEALER)  # type: ignore[union-attr]
            for s in (sub, dealer):
                self._secure(s)
                unbounded(s)
                s.setsockopt(zmq.LINGER, 0)
            dealer.setsockopt(zmq.ROUTING_ID, self.client_id.encode())
            dealer.setsockopt(zmq.RECONNECT_IVL, 50)
            sub.setsockopt(zmq.RECONNECT_IVL, 50)
            if mon is None and self._epoch is None:
                # Before connecting: after a protocol error (a CURVE mismatch) libzmq gives up
                # that connection for good, so a monitor attached later could miss the only event.
                # Only until the first handshake succeeds or fails: see _on_monitor.
                mon = dealer.get_monitor_socket(_MONITORED)
            sub.connect(xpub_ep)
            dealer.connect(router_ep)
            return sub, dealer

        sub, dealer = open_sockets()
        mon_state: dict[str, int] = {}
        dealer.send_multipart([b"HELLO", self._session])
        last_ping = time.monotonic()
        poller = zmq.Poller()
        for s in (sub, dealer, pull, mon):
            poller.register(s, zmq.POLLIN)
        try:
            while True:
                ready = dict(poller.poll(100))
                if mon is not None and mon in ready and (self._on_monitor(mon, mon_state) or self._handshake_error):
                    poller.unregister(mon)
                    dealer.disable_monitor()
                    mon.close(0)
                    mon = None
                if sub in ready:
                    self._drain_sub(sub)
                if dealer in ready:
                    self._drain_dealer(dealer)
                if pull in ready:
                    for _ in range(1000):
                        try:
                            frames = pull.recv_multipart(zmq.NOBLOCK)
                        except zmq.Again:
                            break
                        cmd = frames[0]
                        if cmd == b"dealer":
                            dealer.send_multipart(frames[1:])
                        elif cmd == b"zsub":
                            sub.setsockopt(zmq.SUBSCRIBE, frames[1])
                        elif cmd == b"zunsub":
                            sub.setsockopt(zmq.UNSUBSCRIBE, frames[1])
                        elif cmd == b"drop":
                            sub, dealer = self._reopen(poller, sub, dealer, open_sockets)
                        elif cmd == b"stop":
                            with contextlib.suppress(zmq.ZMQError):
                                if len(frames) > 1:
                                    dealer.send_multipart(frames[1:])  # BYE
                            return
                now = time.monotonic()
                if now - last_ping > PING_EVERY:
                    dealer.send_multipart([b"PING"])
                    last_ping = now
                    self._republish_due(dealer, now)
        finally:
            if mon is not None:
                mon.close(0)
            for s in (sub, dealer, pull):
                s.close(linger=200 if s is dealer else 0)

    def _reopen(self, poller: zmq.Poller, sub: zmq.Socket, dealer: zmq.Socket,
                open_sockets: object) -> tuple[zmq.Socket, zmq.Socket]:
        """Test hook: close SUB and DEALER (the connection drops) and open them again later."""
        prefixes = list(self._prefixes) + ["\0" + self.client_id]
        for s in (sub, dealer):
            poller.unregister(s)
            s.close(0)
        time.sleep(0.3)  # the broker notices: what it sends meanwhile is dropped, then re-sent
        sub, dealer = open_sockets()  # type: ignore[operator]
        for p in prefixes:
            sub.setsockopt(zmq.SUBSCRIBE, p.encode())
        poller.register(sub, zmq.POLLIN)
        poller.register(dealer, zmq.POLLIN)
        self._rehello(dealer)
        return sub, dealer

    def _rehello(self, dealer: zmq.Socket) -> None:
        """After a reconnection or a broker restart: HELLO, durable patterns, unacknowledged publications."""
        dealer.send_multipart([b"HELLO", self._session])
        for pattern in list(self._durable):
            dealer.send_multipart([b"SUB", pattern.encode()])
        self._republish_due(dealer, time.monotonic(), force=True)

    def _republish_due(self, dealer: zmq.Socket, now: float, force: bool = False) -> None:
        with self._pending:
            if not self._unacked or (not force and now - self._last_republish < REPUBLISH_AFTER):
                return
            items = list(self._unacked.items())
        for seq, (topic, frame) in items:
            dealer.send_multipart([b"PUB", self._session, str(seq).encode(), topic, frame])
        self._last_republish = now

    def _drain_sub(self, sub: zmq.Socket) -> None:
        batch = []
        matching = self._table.matching
        for _ in range(1000):
            try:
                first = _recv(sub, _NOBLOCK, False)
            except zmq.Again:
                break
            if not first.more:
                continue  # one frame (or the last of a longer message): not ours
            # The second frame is there (ZeroMQ delivers a message whole or not at all) and is
            # read as bytes, without its own 'more' flag (a Frame costs 0.4 us more): a foreign
            # message of three or more frames is then read as ours (and dropped: its second
            # frame is no envelope) plus frames that, having 'more' clear, end up skipped
            # above, so the next message is read from its first frame again.
            data = _recv(sub, _NOBLOCK)
            topic_b = first.bytes
            if b"\0" in topic_b:
                done = self._events.get(b"PROBE" + topic_b.rpartition(b"\0")[2])
                if done is not None:
                    done.set()
                continue
            try:
                topic = topic_b.decode()
                mid, payload = unpack(data, 1)
            except (PubSubError, UnicodeDecodeError):
                log.warning("zmq %s: dropped a message without our envelope on %r", self.client_id, topic_b)
                continue
            subs = matching(topic, False) if data[:1] == DURABLE else matching(topic)
            if subs:
                batch.append((subs, message(topic, payload, mid)))
        if self._dispatcher is not None:
            self._dispatcher.submit_batch(batch)

    def _drain_dealer(self, dealer: zmq.Socket) -> None:
        batch = []
        ack = None
        for _ in range(1000):
            try:
                frames = dealer.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                break
            cmd, args = frames[0], frames[1:]
            if cmd == b"MSG":
                epoch, seq_b, topic_b, frame = args
                seq = int(seq_b)
                if epoch != self._epoch:
                    continue  # from before a broker restart: HELLO will settle it
                if seq == self._expected:
                    self._expected += 1
                    topic = topic_b.decode()
                    mid, payload = unpack(frame)
                    subs = self._table.matching(topic, durable=True)
                    if subs:
                        batch.append((subs, Message(topic, payload, mid)))
                if seq < self._expected:
                    ack = self._expected - 1
            elif cmd == b"PUBOK":
                session, upto = args
                if session == self._session:
                    with self._pending:
                        for seq in [s for s in self._unacked if s <= int(upto)]:
                            del self._unacked[seq]
                        self._pending.notify_all()
            elif cmd == b"PONG":
                if args[0] != self._epoch:
                    log.info("zmq %s: the broker restarted, resuming the durable session", self.client_id)
                    self._rehello(dealer)
            elif cmd == b"WELCOME":
                self._epoch, self._expected = args[0], int(args[1])
                self._event(b"WELCOME").set()
            elif cmd in (b"SUBOK", b"UNSUBOK"):
                done = self._events.get(cmd + args[0])
                if done is not None:
                    done.set()
        if self._dispatcher is not None:
            self._dispatcher.submit_batch(batch)
        if ack is not None and self._epoch is not None:
            dealer.send_multipart([b"ACK", self._epoch, str(ack).encode()])

    # -- close -----------------------------------------------------------------------------------

    def close(self) -> None:
        if self._closed:
            return
        if self._io is not None:
            self.wait_published(5.0)
            bye = [] if self._stable_id else [b"BYE"]
            with contextlib.suppress(PubSubError):
                self._send_cmd(b"stop", *bye)
        self._teardown()

    def _teardown(self) -> None:
        self._closed = True
        if self._io is not None and self._io.is_alive():
            with contextlib.suppress(PubSubError, zmq.ZMQError):
                self._send_cmd(b"stop")
            self._io.join(5)
        self._io = None
        with self._cmd_lock:
            for s in (self._cmd, self._pub):
                if s is not None:
                    s.close()
            self._cmd = self._pub = None
        if self._ctx is not None:
            self._ctx.term()
            self._ctx = None
        if self._dispatcher is not None:
            self._dispatcher.stop()
            self._dispatcher = None
