"""``redis``: redis-py against redis-server; URL ``redis://host:port/db``.

Security (see :func:`client_options`): ``redis://:PASSWORD@host:port/0`` (``requirepass``) or
``redis://USER:PASSWORD@host:port/0`` (an ACL user); ``rediss://host:port/0?ca=PATH&cert=PATH&key=PATH``
for TLS (``ca``: the CA of the server's certificate, else the system's; ``cert``/``key``: ours, for
a server with ``tls-auth-clients yes``). Refusals (password, ACL, TLS) are errors that say
so, and never show the password.

Two paths, because Redis pub/sub forgets what it sends to a disconnected client:

- *Plain* messages go over Redis pub/sub: ``PUBLISH topic`` and ``PSUBSCRIBE glob`` on the
  subscriber's side. MQTT wildcards have no exact glob (``*`` also matches ``/``), so each
  pattern subscribes a glob *superset* (``+`` -> ``*``, ``a/#`` -> ``a*``) and every message is
  matched against the real patterns (:func:`thingscore.pubsub.pattern_regex`) before delivery.
- *Durable* subscriptions are registered in a hash (``things:dsubs``, field
  ``client_id NUL pattern``) and each has an inbox stream ``things:inbox:<client_id>`` with
  a consumer group. A durable publication is one Lua script, atomic in Redis: it appends
  the message to the inbox of every client with a matching durable pattern and PUBLISHes
  it for the plain subscribers. The subscriber reads its inbox with ``XREADGROUP``, first
  its pending entries (``0``: delivered before a disconnect but never acknowledged), then
  new ones (``>``), and acknowledges (``XACK`` + ``XDEL``) once they are queued for the
  handlers. The consumer group remembers the last id per client_id, in Redis, so neither a
  dropped connection nor a restarted client (same ``client_id``) loses a control message.
- Durable subscribers see durable messages only through their inbox (the PUBLISHed copy
  carries a flag and is ignored by them): one path per subscription keeps its order.
  Plain publications reach durable subscriptions through pub/sub, best-effort.

``subscribe`` returns once Redis confirmed the PSUBSCRIBE (or the hash holds the durable
registration), so what is published afterwards is delivered: no slow joiner. A client
whose id was generated removes its registrations and inbox on close; one with a stable id
keeps them, to be resumed. Durability across a *server* restart needs Redis persistence
(AOF) configured on the server; the tests run redis-server without it.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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

from .._lazy import lazy_import
from .tls import closed_after_handshake, redact, tls_context, tls_hint

if TYPE_CHECKING:
    import redis
else:  # redis-py is loaded when a client is made, not when the plugin's declarations are read
    redis = lazy_import("redis")

log = logging.getLogger("things.pubsub.redis")

REGISTRY = "things:dsubs"
INBOX = "things:inbox:"
GROUP = "things"
PLAIN, DURABLE = b"P", b"D"
BLOCK_MS = 200  # how long a stream read waits: bounds close()'s wait for the reader thread
BURST = 1000  # pub/sub messages handed to the dispatcher at once at most

# Appends to the inbox of every client with a matching durable pattern, then PUBLISHes.
# ARGV: topic, channel frame, inbox frame. Patterns match as in thingscore.pubsub.topic_matches.
_PUBLISH_DURABLE = r"""
local function split(s)
  local out = {}
  for part in string.gmatch(s .. "/", "([^/]*)/") do out[#out + 1] = part end
  return out
end
local function matches(pattern, t)
  local p = split(pattern)
  for i = 1, #p do
    if p[i] == "#" then return true end
    if i > #t then return false end
    if p[i] ~= "+" and p[i] ~= t[i] then return false end
  end
  return #p == #t
end
local topic = split(ARGV[1])
local done = {}
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  local sep = string.find(field, "\0", 1, true)
  local cid = string.sub(field, 1, sep - 1)
  if not done[cid] and matches(string.sub(field, sep + 1), topic) then
    done[cid] = true
    redis.call('XADD', KEYS[2] .. cid, '*', 't', ARGV[1], 'm', ARGV[3])
  end
end
return redis.call('PUBLISH', ARGV[1], ARGV[2])
"""


#: Our short TLS options (as for mqtts://) and redis-py's names for them.
TLS_OPTIONS = {"ca": "ssl_ca_certs", "cert": "ssl_certfile", "key": "ssl_keyfile"}


def client_options(url: str) -> tuple[str, dict[str, Any]]:
    """(URL for redis-py, keyword arguments): ``ca``/``cert``/``key`` become redis-py's ``ssl_*``.

    The files are loaded once here, so that a wrong path is an error naming it instead of
    an obscure failure at the first command. Raises ValueError for a URL that makes no sense.
    Shared with the redis file system, so that both accept the same URLs.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ValueError(f"not a Redis URL: {redact(url)!r} (expected redis://host:port/db or rediss://...)")
    query = parse_qsl(parts.query, keep_blank_values=True)
    tls = {TLS_OPTIONS[k]: v for k, v in query if k in TLS_OPTIONS and v}
    if tls and parts.scheme != "rediss":
        raise ValueError(f"redis: ca=, cert=, key= only make sense with TLS: use rediss:// instead of {parts.scheme}://")
    if "ssl_keyfile" in tls and "ssl_certfile" not in tls:
        raise ValueError("redis: key= without cert= (the client certificate it belongs to)")
    if parts.scheme == "rediss":
        try:
            tls_context(tls.get("ssl_ca_certs"), tls.get("ssl_certfile"), tls.get("ssl_keyfile"), "redis")
        except PubSubError as exc:
            raise ValueError(str(exc)) from None
    rest = urlencode([(k, v) for k, v in query if k not in TLS_OPTIONS])
    return urlunsplit(parts._replace(query=rest)), tls


def refusal(exc: BaseException, url: str, connecting: bool = False) -> str | None:
    """Why the server refused us (password, ACL, TLS), in words; None for any other error
    (a server that is down, a time-out), which callers report or retry as before.

    A connection closed by the server counts as a refusal only while ``connecting`` (the TLS
    handshake or its absence); later it is a restart or a network failure, to be retried."""
    text = str(exc)
    low = text.lower()
    if isinstance(exc, redis.AuthenticationError) or low.startswith(("noauth", "wrongpass")) \
            or "invalid username-password" in low or "authentication required" in low:
        return (f"authentication failed ({text}): give the password in the URL, redis://:PASSWORD@host:port/0, "
                "or redis://USER:PASSWORD@host:port/0 for an ACL user")
    if isinstance(exc, redis.exceptions.NoPermissionError) or "noperm" in low:
        return f"the server's ACL does not allow this user that command, key or channel ({text})"
    tls = urlsplit(url).scheme == "rediss"
    closed = connecting and ("closed by server" in low or "connection reset" in low or "eof" in low)
    # OpenSSL's own EOF survives redis-py's retries only when the server keeps closing on us.
    if tls and (closed or "eof occurred" in low) and "certificate" not in low:
        cert = dict(parse_qsl(urlsplit(url).query)).get("cert")
        return closed_after_handshake(cert, text)
    if tls and ("ssl" in low or "tls" in low or "certificate" in low):
        return tls_hint(text)
    if not tls and closed:
        return f"the server closed the connection ({text}): is it a TLS port (then use rediss://)?"
    return None


def _interrupt(conn: redis.connection.Connection | None) -> None:
    """Wake the thread blocked reading ``conn``: its read sees the connection closed at once.

    Only the socket is shut down (the plain ``socket.shutdown``, under a TLS wrapper too, so
    that no SSL state is torn away under the reading thread); the reader, which sees the
    stop flag, returns, and redis-py's own ``close()`` follows. redis-py keeps the socket in
    ``_sock``; a version without it only loses the wake-up, never the close.
    """
    sock = getattr(conn, "_sock", None) if conn is not None else None
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def glob_for(pattern: str) -> str:
    """A Redis glob matching at least every topic that ``pattern`` matches."""
    out = []
    parts = pattern.split("/")
    for i, part in enumerate(parts):
        if part == "#":
            # "a/#" also matches "a" itself: drop the separator and let '*' cover the rest.
            return ("/".join(out) + "*") if out else "*"
        out.append("*" if part == "+" else "".join("\\" + c if c in "*?[]\\" else c for c in part))
        del i
    return "/".join(out)


class RedisPubSub(PubSub):
    name = "redis"
    capabilities = frozenset({"wildcards", "durable", "large_payloads", "many_topics"})
    schemes = ("redis", "rediss")
    default_url = "redis://127.0.0.1:6379/0"

    def __init__(self, url: str | None = None, *, client_id: str | None = None) -> None:
        super().__init__(url, client_id=client_id)
        self._url = url or "redis://127.0.0.1:6379/0"
        try:
            self._client_url, self._options = client_options(self._url)
        except ValueError as exc:
            raise PubSubError(str(exc)) from None
        if "\0" in self.client_id:
            raise PubSubError("client_id must not contain NUL")
        self._stable_id = client_id is not None
        self._table = SubscriptionTable()
        self._globs: dict[str, int] = {}
        self._durable: dict[str, int] = {}
        self._lock = threading.Lock()
        self._confirm: dict[str, threading.Event] = {}
        self._refused: dict[str, str] = {}  # glob -> why Redis refused its PSUBSCRIBE (ACL)
        self._r: redis.Redis | None = None
        self._pub_conn: redis.connection.Connection | None = None
        self._pub_lock = threading.Lock()
        self._ps: redis.client.PubSub | None = None
        self._stream_r: redis.Redis | None = None
        self._dispatcher: Dispatcher | None = None
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._script: object = None
        self._closed = False

    @property
    def _inbox(self) -> str:
        return INBOX + self.client_id

    # -- connection ------------------------------------------------------------------------------

    def connect(self) -> None:
        if self._r is not None:
            return
        if self._closed:
            raise PubSubError("redis: closed")
        url, opts = self._client_url, self._options
        try:
            self._r = redis.Redis.from_url(url, client_name=f"things:{self.client_id}:cmd", **opts)
            self._r.ping()
            self._script = self._r.register_script(_PUBLISH_DURABLE)
            self._pub_conn = self._r.connection_pool.get_connection()
            self._ps = redis.Redis.from_url(url, client_name=f"things:{self.client_id}:sub", **opts).pubsub()
            # One connection of its own (not a pool), so that close() can find the socket on
            # which the inbox reader waits and wake it (see _teardown)
            self._stream_r = redis.Redis.from_url(url, client_name=f"things:{self.client_id}:inbox",
                                                  single_connection_client=True, **opts)
        except redis.RedisError as exc:
            self._teardown()
            why = refusal(exc, self._url, connecting=True) or str(exc)
            raise PubSubError(f"redis: cannot connect to {redact(self._url)}: {why}") from exc
        self._dispatcher = Dispatcher(self, name=f"things-redis-{self.client_id}")
        self._threads = [threading.Thread(target=self._read_channels, name=f"things-redis-ps-{self.client_id}",
                                          daemon=True)]
        self._threads[0].start()
        # The inbox reader starts with the first durable subscription, not here: a resumed
        # client's inbox may already hold messages, and read before any durable subscription
        # exists they would match nothing and be dropped.

    def _start_inbox_reader(self) -> None:
        with self._lock:
            if len(self._threads) > 1 or self._stop.is_set():
                return
            th = threading.Thread(target=self._read_inbox, name=f"things-redis-inbox-{self.client_id}", daemon=True)
            self._threads.append(th)
        th.start()

    def drop_connection(self) -> bool:
        """Kill this client's connections server-side (CLIENT KILL), as a network failure would."""
        if self._r is None:
            return False
        prefix = f"things:{self.client_id}:"
        killed = False
        for c in self._r.client_list():
            if str(c.get("name", "")).startswith(prefix):
                with contextlib.suppress(redis.RedisError):
                    self._r.client_kill_filter(_id=c["id"], skipme=False)
                    killed = True
        return killed

    def _require(self) -> redis.Redis:
        if self._r is None or self._closed:
            raise PubSubError("redis: closed" if self._closed else "redis: not connected (call connect() first)")
        return self._r

    # -- publish ---------------------------------------------------------------------------------

    def publish(self, topic: str, payload: bytes, *, durable: bool = False, message_id: str | None = None) -> str:
        check_topic(topic)
        self._require()
        mid = message_id or new_id()
        try:
            if durable:
                frame = pack(mid, payload)
                args = [topic, DURABLE + frame, frame]
                with self._pub_lock:  # behind any plain publication of ours still on its way
                    try:
                        self._script(keys=[REGISTRY, INBOX], args=args)  # type: ignore[operator]
                    except (redis.ConnectionError, redis.TimeoutError):
                        # Once more, as plain publications are: redis-py has dropped the dead
                        # connection, the pool connects afresh. Seen after CLIENT KILL: the
                        # pooled connection looked alive and the reply never came. A repeat
                        # that Redis did run twice is dropped by id at the subscriber.
                        self._script(keys=[REGISTRY, INBOX], args=args)  # type: ignore[operator]
            else:
                self._publish_plain(topic, pack(mid, payload, PLAIN))
        except redis.RedisError as exc:
            raise PubSubError(f"redis: publish on {topic!r} failed: {refusal(exc, self._url) or exc}") from exc
        return mid

    def _publish_plain(self, topic: str, data: bytes) -> None:
        """PUBLISH on our own connection, waiting for Redis's reply as ``Redis.publish`` does.

        Why not ``Redis.publish``: each call there takes a connection from the pool and gives
        it back (locks, a pid check, a retry wrapper, deprecation decorators), about 8 us of
        Python per message, a third of the raw client's cost at loopback speed. One connection
        kept for publishing, under a lock, also keeps a publisher's messages in order. A
        connection error is retried once on a fresh connection (redis-py's default too): if
        the first attempt did reach Redis, subscribers drop the repeat by message id.
        """
        with self._pub_lock:
            conn = self._pub_conn
            if conn is None:
                raise PubSubError("redis: closed")
            try:
                conn.send_command("PUBLISH", topic, data)
                conn.read_response()
            except (redis.ConnectionError, redis.TimeoutError):
                conn.disconnect()
                conn.send_command("PUBLISH", topic, data)  # connects again
                conn.read_response()

    # -- subscribe -------------------------------------------------------------------------------

    def subscribe(self, pattern: str, handler: Handler, *, durable: bool = False) -> Subscription:
        check_pattern(pattern)
        r = self._require()
        sub = Subscription(pattern, handler, durable)
        if durable:
            with self._lock:
                first = self._durable.get(pattern, 0) == 0
                self._durable[pattern] = self._durable.get(pattern, 0) + 1
            if first:
                try:
                    with contextlib.suppress(redis.ResponseError):  # BUSYGROUP: it exists already
                        r.xgroup_create(self._inbox, GROUP, id="0", mkstream=True)
                    r.hset(REGISTRY, f"{self.client_id}\0{pattern}", "1")
                except redis.RedisError as exc:
                    why = refusal(exc, self._url) or exc
                    raise PubSubError(f"redis: durable subscribe to {pattern!r} failed: {why}") from exc
            self._table.add(sub)
            self._start_inbox_reader()
            return sub
        self._table.add(sub)
        glob = glob_for(pattern)
        with self._lock:
            count = self._globs.get(glob, 0)
            self._globs[glob] = count + 1
            done = self._confirm.setdefault(glob, threading.Event()) if count == 0 else None
        if done is not None:
            assert self._ps is not None
            try:
                self._ps.psubscribe(glob)
            except redis.RedisError as exc:
                raise PubSubError(f"redis: subscribe to {pattern!r} failed: {exc}") from exc
            if threading.current_thread() is not self._threads[0] and not done.wait(10):
                raise PubSubError(f"redis: PSUBSCRIBE {glob!r} not confirmed within 10 s")
            with self._lock:
                why = self._refused.pop(glob, None)
            if why is not None:
                self.unsubscribe(sub)
                raise PubSubError(f"redis: subscribe to {pattern!r} (PSUBSCRIBE {glob!r}) refused: {why}")
        return sub

    def unsubscribe(self, subscription: Subscription) -> None:
        subscription.active = False
        if not self._table.remove(subscription):
            return
        if subscription.durable:
            with self._lock:
                left = self._durable[subscription.pattern] - 1
                self._durable[subscription.pattern] = left
                if not left:
                    del self._durable[subscription.pattern]
            if not left and self._r is not None:
                with contextlib.suppress(redis.RedisError):
                    self._r.hdel(REGISTRY, f"{self.client_id}\0{subscription.pattern}")
            return
        glob = glob_for(subscription.pattern)
        with self._lock:
            left = self._globs[glob] - 1
            self._globs[glob] = left
            if not left:
                del self._globs[glob]
                self._confirm.pop(glob, None)
        if not left and self._ps is not None:
            with contextlib.suppress(redis.RedisError):
                self._ps.punsubscribe(glob)

    # -- readers ---------------------------------------------------------------------------------

    def _read_channels(self) -> None:
        ps = self._ps
        assert ps is not None
        while not self._stop.is_set():
            if not ps.subscribed:
                self._stop.wait(0.02)  # nothing to read yet; close() ends the wait at once
                continue
            try:
                msg = ps.get_message(timeout=0.2)
                if msg is not None and msg["type"] == "pmessage":
                    self._read_burst(ps, msg)
                    continue
            except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
                if self._stop.is_set():
                    return
                log.info("redis %s: pub/sub connection lost (%s), reconnecting", self.client_id, exc)
                time.sleep(0.05)  # redis-py reconnects and re-subscribes on the next call
                continue
            except (ValueError, AttributeError):  # the connection was closed under us by close()
                return
            except redis.ResponseError as exc:  # a PSUBSCRIBE refused (ACL): its subscribe() says why
                self._on_refused(exc)
                continue
            if msg is not None:
                self._on_other(msg)

    def _on_refused(self, exc: redis.ResponseError) -> None:
        """Redis's error reply names no pattern: every PSUBSCRIBE still unconfirmed gets it."""
        why = refusal(exc, self._url) or str(exc)
        log.error("redis %s: %s", self.client_id, why)
        with self._lock:
            for glob, done in self._confirm.items():
                if not done.is_set():
                    self._refused[glob] = why
                    done.set()

    def _read_burst(self, ps: redis.client.PubSub, msg: dict[str, object] | None) -> None:
        """``msg`` and every message already received after it, handed over in one batch.

        One hand-off to the dispatcher thread per burst instead of one per message: each
        hand-off may wake that thread, and under load the wake-ups, not the work, cost most.
        Stops after anything but a message (a subscription's confirmation, handled here too)
        and after BURST messages: a message is only ever read once it will be handled (a
        first version read one more after its 1,000th and dropped it).
        """
        batch: list[tuple[Sequence[Subscription], Message]] = []
        matching = self._table.matching
        read = 0
        try:
            while msg is not None:
                if msg["type"] != "pmessage":
                    self._on_other(msg)
                    break
                channel, data = msg["channel"], msg["data"]
                try:
                    topic = channel.decode()  # type: ignore[union-attr]
                    mid, payload = unpack(data, 1)  # type: ignore[arg-type]
                except (PubSubError, UnicodeDecodeError):
                    log.warning("redis %s: dropped a message without our envelope on %r", self.client_id, channel)
                else:
                    subs = matching(topic, False) if data[:1] == DURABLE else matching(topic)  # type: ignore[index]
                    if subs:
                        batch.append((subs, message(topic, payload, mid)))
                read += 1
                if read >= BURST:
                    break  # the next message stays in redis-py's buffer for the caller's next read
                msg = ps.get_message(timeout=0)
        finally:  # a connection error on a later read must not lose what was read before it
            if self._dispatcher is not None:
                self._dispatcher.submit_batch(batch)

    def _on_other(self, msg: dict[str, object]) -> None:
        if msg["type"] == "psubscribe":
            raw = msg["channel"]  # redis-py puts the confirmed pattern there
            pattern = raw.decode() if isinstance(raw, bytes) else str(raw)
            with self._lock:
                done = self._confirm.get(pattern)
            if done is not None:
                done.set()

    def _read_inbox(self) -> None:
        r = self._stream_r
        assert r is not None
        start = "0"  # pending entries first: delivered before a disconnect, never acknowledged
        while not self._stop.is_set():
            try:
                reply = r.xreadgroup(GROUP, self.client_id, {self._inbox: start}, count=500,
                                     block=None if start == "0" else BLOCK_MS)
            except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
                if self._stop.is_set():
                    return
                log.info("redis %s: inbox connection lost (%s), reconnecting", self.client_id, exc)
                time.sleep(0.05)
                start = "0"
                continue
            except redis.RedisError as exc:
                if self._stop.is_set():
                    return
                if "NOGROUP" in str(exc):
                    # The group is made by subscribe(); gone means a server restarted without
                    # persistence: made again here (not before every read: a round trip each)
                    try:
                        r.xgroup_create(self._inbox, GROUP, id="0", mkstream=True)
                        continue
                    except redis.ResponseError as again:
                        if "BUSYGROUP" in str(again):  # made meanwhile by subscribe()
                            continue
                        exc = again
                    except redis.RedisError as again:
                        exc = again
                log.warning("redis %s: inbox read failed: %s", self.client_id, exc)
                time.sleep(0.2)
                continue
            entries = reply[0][1] if reply else []
            if start == "0" and not entries:
                start = ">"
                continue
            self._on_entries(r, entries)

    def _on_entries(self, r: redis.Redis, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> None:
        batch = []
        for _, fields in entries:
            try:
                topic = fields[b"t"].decode()
                mid, payload = unpack(fields[b"m"])
            except (KeyError, PubSubError, UnicodeDecodeError):
                log.warning("redis %s: dropped a malformed inbox entry", self.client_id)
                continue
            subs = self._table.matching(topic, durable=True)
            if subs:
                batch.append((subs, Message(topic, payload, mid)))
        if self._dispatcher is not None:
            self._dispatcher.submit_batch(batch)
        ids = [eid for eid, _ in entries]
        if ids:
            with contextlib.suppress(redis.RedisError):  # not acknowledged: redelivered, then deduplicated
                pipe = r.pipeline(transaction=False)
                pipe.xack(self._inbox, GROUP, *ids)
                pipe.xdel(self._inbox, *ids)
                pipe.execute()

    # -- close -----------------------------------------------------------------------------------

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._r is not None and not self._stable_id:
            with contextlib.suppress(redis.RedisError):  # nobody can resume a generated id
                fields = [f"{self.client_id}\0{p}" for p in list(self._durable)]
                if fields:
                    self._r.hdel(REGISTRY, *fields)
                self._r.delete(self._inbox)
        self._teardown()

    def _teardown(self) -> None:
        self._closed = True
        self._stop.set()
        # The readers wait on their sockets (a stream read blocks BLOCK_MS, a pub/sub read
        # 0.2 s): without a wake-up every close() of a command-line client waited that long
        # for its threads, most of the answer time of `things dispatch ps` on redis.
        if self._ps is not None:
            _interrupt(self._ps.connection)
        if self._stream_r is not None:
            _interrupt(self._stream_r.connection)
        for th in self._threads:
            if th is not threading.current_thread():
                th.join(5)
        self._threads = []
        for conn in (self._ps, self._stream_r, self._r):
            with contextlib.suppress(Exception):
                conn.close()  # type: ignore[union-attr]
        self._ps = self._stream_r = self._r = None
        with self._pub_lock:
            self._pub_conn = None  # disconnected with its pool above
        if self._dispatcher is not None:
            self._dispatcher.stop()
            self._dispatcher = None
