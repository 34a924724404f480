"""``mqtt``: paho-mqtt 2.x against an MQTT broker (mosquitto in our tests).

URL ``mqtt://[user:password@]host[:port][?session_expiry=SECONDS]`` (port 1883 by default), or
``mqtts://[user:password@]host[:port][?ca=PATH&cert=PATH&key=PATH]`` for TLS (port 8883 by
default): ``ca`` is the CA file that signed the broker's certificate (the system's CAs when
absent), ``cert``/``key`` the client's certificate and key for brokers that require one
(mosquitto's ``require_certificate true``). The broker's certificate must name the host of
the URL. Credentials in the URL are percent-decoded; they are never put in error messages.
A refused connection (TLS handshake, client certificate, password) is a PubSubError that
says why, at once: a connection closed before CONNACK is not retried during ``connect()``.

- Protocol MQTT 5 with ``clean_start=False`` and a session expiry: the broker keeps the
  session (durable subscriptions and the QoS 1 messages queued for them) while the client
  is away, so a client that reconnects with the same ``client_id`` loses no control
  message. Durable subscriptions and publications use QoS 1, plain ones QoS 0.
  A client whose id was generated (nobody can come back as it) ends its session on close.
- Each message carries its id in the payload envelope (:func:`thingscore.pubsub.pack`):
  QoS 1 may deliver twice after a reconnect and ``PubSub._deliver`` drops the repeat.
- ``TCP_NODELAY`` is set when paho opens its socket: without it Nagle's algorithm and
  delayed ACKs cost ~40 ms per QoS 1 round trip.
- In-flight limit: the broker's Receive Maximum (from CONNACK) becomes paho's
  ``max_inflight_messages``; paho queues the rest. Our own count of unacknowledged QoS 1
  publications blocks ``publish`` beyond ``MAX_PENDING`` (back-pressure, never a drop),
  and ``close`` waits for them to be acknowledged.
- ``subscribe`` returns after the broker's SUBACK: from then on the broker routes matching
  messages to us (no slow joiner). paho reconnects by itself; on every (re)connection we
  subscribe again, in case the broker lost the session.
"""

from __future__ import annotations

import functools
import logging
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlparse

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
from .mosquitto_broker import Mosquitto
from .tls import closed_after_handshake, redact, tls_context, tls_hint

if TYPE_CHECKING:
    import paho.mqtt.client as mqtt
    from paho.mqtt.properties import Properties
else:  # paho is loaded when a client is made, not when the plugin's declarations are read
    # paho imports dnspython when installed, for MQTT over DNS SRV records (connect_srv), which
    # we do not use: most of paho's import time
    mqtt = lazy_import("paho.mqtt.client", optional=("dns.resolver",))
    _enums = lazy_import("paho.mqtt.enums")
    _packettypes = lazy_import("paho.mqtt.packettypes")
    _properties = lazy_import("paho.mqtt.properties")

log = logging.getLogger("things.pubsub.mqtt")

#: Unacknowledged QoS 1 publications beyond which publish() waits.
MAX_PENDING = 10_000
CONNECT_TIMEOUT = 10.0
SUBACK_TIMEOUT = 10.0


#: Packets read per wake-up of paho's network thread at most (see _BurstClient).
BURST = 500


@functools.cache
def _burst_client() -> type[mqtt.Client]:
    """The class :class:`_BurstClient`, made on first use (it subclasses paho's client)."""

    class _BurstClient(mqtt.Client):
        """paho's client, reading every packet already received each time its socket is readable.

        Why: paho's own ``loop_read`` reads one packet per ``select`` when nothing is in
        flight, so each plain message was handed to our dispatcher thread alone, and waking
        that thread once per message cost more than the rest of our layer. Here a burst is
        read, ``on_burst`` hands it over in one go, then paho goes on as usual (writes, keep-alive).
        Only ``loop_read`` differs from paho's, using the same private steps as paho's.
        """

        on_burst: Callable[[], None] | None = None

        def loop_read(self, max_packets: int = 1) -> mqtt.MQTTErrorCode:
            try:
                for _ in range(max(BURST, len(self._out_messages) + len(self._in_messages))):
                    if self._sock is None:
                        return mqtt.MQTTErrorCode.MQTT_ERR_NO_CONN
                    rc = self._packet_read()
                    if rc > 0:
                        return self._loop_rc_handle(rc)  # type: ignore[no-any-return]
                    if rc == mqtt.MQTTErrorCode.MQTT_ERR_AGAIN:
                        break
                return mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS
            finally:
                if self.on_burst is not None:
                    self.on_burst()

    return _BurstClient


@dataclass(frozen=True)
class MqttTarget:
    """Where and how to connect: what an ``mqtt://`` or ``mqtts://`` URL says."""

    host: str
    port: int
    expiry: int
    tls: bool = False
    ca: str | None = None
    cert: str | None = None
    key: str | None = None
    username: str | None = None
    password: str | None = None


def parse_target(url: str | None) -> MqttTarget:
    """The :class:`MqttTarget` of an ``mqtt://`` / ``mqtts://`` URL (see the module docstring)."""
    u = urlparse(url or "mqtt://127.0.0.1:1883")
    if u.scheme not in ("mqtt", "tcp", "mqtts"):
        raise PubSubError(f"not an MQTT URL: {redact(url)!r} (expected mqtt://host:port or mqtts://host:port)")
    query = parse_qs(u.query)
    tls = u.scheme == "mqtts"
    files = {k: query[k][-1] for k in ("ca", "cert", "key") if query.get(k)}
    if files and not tls:
        raise PubSubError(f"mqtt: {', '.join(files)}= only make sense with TLS: use mqtts:// instead of {u.scheme}://")
    if "key" in files and "cert" not in files:
        raise PubSubError("mqtt: key= without cert= (the client certificate it belongs to)")
    try:
        port = u.port or (8883 if tls else 1883)
        expiry = int(query.get("session_expiry", ["3600"])[0])
    except ValueError as exc:
        raise PubSubError(f"mqtt: bad URL {redact(url)!r}: {exc}") from exc
    return MqttTarget(u.hostname or "127.0.0.1", port, expiry, tls, files.get("ca"), files.get("cert"),
                      files.get("key"), unquote(u.username) if u.username is not None else None,
                      unquote(u.password) if u.password is not None else None)


def parse_url(url: str | None) -> tuple[str, int, int]:
    """(host, port, session expiry in seconds) of an ``mqtt://`` URL."""
    t = parse_target(url)
    return t.host, t.port, t.expiry


class MqttPubSub(PubSub):
    name = "mqtt"
    capabilities = frozenset({"wildcards", "durable", "large_payloads", "many_topics", "serve_broker"})
    schemes = ("mqtt", "mqtts")
    default_url = "mqtt://127.0.0.1:1883"
    broker_port = 1883

    @classmethod
    def serve_broker(cls, host: str, port: int, options: Mapping[str, str]) -> Mosquitto:
        """mosquitto, when it is installed."""
        return Mosquitto(host, port)

    def __init__(self, url: str | None = None, *, client_id: str | None = None) -> None:
        super().__init__(url, client_id=client_id)
        self._target = parse_target(url)
        self._host, self._port, self._expiry = self._target.host, self._target.port, self._target.expiry
        self._stable_id = client_id is not None
        self._table = SubscriptionTable()
        self._filters: dict[str, list[Subscription]] = {}  # MQTT filter -> our subscriptions
        self._lock = threading.Lock()
        self._pending = threading.Lock()  # guards self._unacked
        self._unacked: deque[mqtt.MQTTMessageInfo] = deque()
        self._subacks: dict[int, threading.Event] = {}
        self._connected = threading.Event()
        self._connect_error: str | None = None
        self._connecting = False  # in connect(), before the first CONNACK: a lost connection is a refusal
        self._socket_error: str | None = None  # paho's last socket error while connecting (on_log)
        self._client: mqtt.Client | None = None
        self._dispatcher: Dispatcher | None = None
        self._burst: list[tuple[Sequence[Subscription], Message]] = []  # paho's thread only
        self._closed = False
        self._resending = False

    # -- connection ------------------------------------------------------------------------------

    def connect(self) -> None:
        if self._client is not None:
            return
        if self._closed:
            raise PubSubError("mqtt: closed")
        t = self._target
        ctx = tls_context(t.ca, t.cert, t.key, "mqtt") if t.tls else None
        c = _burst_client()(_enums.CallbackAPIVersion.VERSION2, client_id=self.client_id, protocol=mqtt.MQTTv5)
        if ctx is not None:
            c.tls_set_context(ctx)
        if t.username is not None:
            c.username_pw_set(t.username, t.password)
        # Only while connecting: paho reports socket errors (a TLS alert read after the handshake)
        # through its log alone, and formats every debug line when a log callback is set.
        c.on_log = self._on_log
        self._connecting = True
        c.on_burst = self._on_burst
        c.on_socket_open = self._on_socket_open
        c.on_connect = self._on_connect
        c.on_disconnect = self._on_disconnect
        c.on_message = self._on_message
        c.on_subscribe = self._on_subscribe
        # No on_publish: with one set, paho builds a ReasonCode and a Properties object for
        # every QoS 0 publication it writes, just to call it (a third of the raw client's cost
        # per message). Acknowledgements are read from paho's MessageInfo instead.
        c.max_queued_messages_set(0)
        c.max_inflight_messages_set(20)  # MQTT's usual default until CONNACK tells the broker's limit
        c.reconnect_delay_set(min_delay=0.05, max_delay=2)  # type: ignore[arg-type]
        props = _properties.Properties(_packettypes.PacketTypes.CONNECT)
        props.SessionExpiryInterval = self._expiry
        self._dispatcher = Dispatcher(self, name=f"things-mqtt-{self.client_id}")
        self._client = c
        try:
            c.connect(self._host, self._port, keepalive=30, clean_start=False, properties=props)
        except OSError as exc:  # the TLS handshake happens in there too (ssl.SSLError is an OSError)
            self._teardown()
            tls_failed = isinstance(exc, ssl.SSLError) or (t.tls and isinstance(exc, ConnectionResetError))
            why = tls_hint(exc) if tls_failed else str(exc)
            raise PubSubError(f"mqtt: cannot connect to {self._host}:{self._port}: {why}") from exc
        c.loop_start()
        if not self._connected.wait(CONNECT_TIMEOUT) or self._connect_error:
            why = self._connect_error or f"no CONNACK within {CONNECT_TIMEOUT:.0f} s"
            self._teardown()
            raise PubSubError(f"mqtt: cannot connect to {self._host}:{self._port}: {why}")
        self._connecting = False
        c.on_log = None

    def _on_log(self, client: mqtt.Client, userdata: object, level: int, buf: str) -> None:
        if level == mqtt.MQTT_LOG_ERR and self._connecting:
            self._socket_error = buf

    def _refusal(self, reason: object) -> str:
        """Why the broker closed the connection before CONNACK, as precisely as we can tell."""
        err = self._socket_error
        closed = not err or any(s in err.lower() for s in ("eof", "reset", "broken pipe"))
        if self._target.tls and closed:
            return closed_after_handshake(self._target.cert, err or str(reason))
        if self._target.tls:
            return tls_hint(err or str(reason))
        if closed:
            return (f"the broker closed the connection before answering CONNECT ({err or reason}): is it a TLS port "
                    "(then use mqtts://), or does it refuse this client?")
        return err or str(reason)

    def _on_socket_open(self, client: mqtt.Client, userdata: object, sock: socket.socket) -> None:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):  # a websocket or TLS wrapper: nothing to tune
            pass

    def _on_connect(self, client: mqtt.Client, userdata: object, flags: mqtt.ConnectFlags,
                    reason: mqtt.ReasonCode, properties: Properties | None) -> None:
        if reason.is_failure:
            self._connect_error = str(reason)
            if reason.value in (0x86, 0x87):  # bad user name or password, not authorized
                self._connect_error += (" (check the user name and password in the URL)" if self._target.username
                                        else " (the broker wants a user name and password: mqtt://user:pass@host)")
            self._connected.set()
            return
        receive_max = getattr(properties, "ReceiveMaximum", None) if properties else None
        if receive_max:
            # paho refuses the setter once connected (only because 0 means "no limit" to it);
            # moving between two positive limits is safe, and the broker's figure is the truth.
            client._max_inflight_messages = max(1, min(int(receive_max), 65535))
        with self._lock:
            filters = {f: (1 if any(s.durable for s in subs) else 0) for f, subs in self._filters.items()}
        if filters:  # re-subscribe: cheap, and covers a broker that lost our session
            client.subscribe(list(filters.items()))
        self._connect_error = None
        self._resending = True  # paho re-sends its queue right after this callback returns
        self._connected.set()

    def _on_disconnect(self, client: mqtt.Client, userdata: object, flags: mqtt.DisconnectFlags,
                       reason: mqtt.ReasonCode, properties: Properties | None) -> None:
        self._connected.clear()
        self._resending = False  # while disconnected paho queues in order: nothing to wait for
        if self._connecting and not self._connect_error:
            # Closed before CONNACK while connect() waits: a refusal (TLS alert, plain client on a
            # TLS port), not a glitch to retry for CONNECT_TIMEOUT seconds.
            self._connect_error = self._refusal(reason)
            self._connected.set()
            return
        if not self._closed:
            log.info("mqtt %s: disconnected (%s), reconnecting", self.client_id, reason)

    def drop_connection(self) -> bool:
        sock = self._client.socket() if self._client else None
        if sock is None:
            return False
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            return False
        return True

    # -- publish ---------------------------------------------------------------------------------

    def _require(self) -> mqtt.Client:
        if self._client is None or self._closed:
            raise PubSubError("mqtt: not connected (call connect() first)" if not self._closed else "mqtt: closed")
        return self._client

    def publish(self, topic: str, payload: bytes, *, durable: bool = False, message_id: str | None = None) -> str:
        check_topic(topic)
        client = self._require()
        mid = message_id or new_id()
        data = pack(mid, payload)
        if not durable:
            info = client.publish(topic, data, qos=0)
            if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
                raise PubSubError(f"mqtt: publish failed: {mqtt.error_string(info.rc)}")
            return mid
        with self._pending:
            full = self._unacked_count() >= MAX_PENDING
        if full and not self._wait_acked(60, MAX_PENDING - 1):
            raise PubSubError(f"mqtt: {MAX_PENDING} publications unacknowledged for 60 s")
        self._wait_resent(client)
        # Not under self._pending: paho may call back into us holding its own lock, which publish takes.
        info = client.publish(topic, data, qos=1)  # queued by paho while disconnected, re-sent
        if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
            raise PubSubError(f"mqtt: publish failed: {mqtt.error_string(info.rc)}")
        with self._pending:
            self._unacked.append(info)
        return mid

    def _wait_resent(self, client: mqtt.Client) -> None:
        """After a reconnection, wait until paho has re-sent what it queued while disconnected.

        paho marks the connection up, calls on_connect, and only then re-sends its queue;
        a QoS 1 publication made in between would be sent at once and overtake them (seen:
        messages 60..79 delivered before 10..59 across a broker restart). So the first
        publications after a reconnection wait until no queued message is left unsent.
        """
        # Checked on every durable publication, not only after a reconnection was noticed: the
        # flag came too late under load (the same overtaking was seen again). While connected
        # nothing waits in that state, so the check costs a lock and a short scan.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with client._out_message_mutex:
                if not any(m.state == mqtt.mqtt_ms_publish for m in client._out_messages.values()):
                    break
            if not self._connected.is_set():
                break  # queued in order by paho, re-sent in order when connected
            time.sleep(0.001)
        self._resending = False

    def _unacked_count(self) -> int:
        """Unacknowledged QoS 1 publications (caller holds self._pending); forgets acknowledged ones."""
        # paho marks a publication's MQTTMessageInfo on PUBACK; is_published() would raise for one
        # that was queued while disconnected, so the flag is read directly.
        while self._unacked and self._unacked[0]._published:
            self._unacked.popleft()
        if len(self._unacked) > 100 and any(i._published for i in self._unacked):
            self._unacked = deque(i for i in self._unacked if not i._published)
        return len(self._unacked)

    def _wait_acked(self, timeout: float, most: int = 0) -> bool:
        """Wait until at most ``most`` QoS 1 publications are unacknowledged (False on time-out).

        Waits on the oldest one's own condition, which paho notifies on its PUBACK: acks come
        in order on one connection, so when the oldest is in, so are most of the others.
        """
        deadline = time.monotonic() + timeout
        while True:
            with self._pending:
                if self._unacked_count() <= most:
                    return True
                oldest = self._unacked[0]
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            cond = oldest._condition
            with cond:
                cond.wait_for(lambda o=oldest: o._published, min(left, 0.5))  # type: ignore[misc]

    def wait_published(self, timeout: float = 10.0) -> bool:
        """Wait until the broker acknowledged every durable publication (False on time-out)."""
        return self._wait_acked(timeout)

    # -- subscribe -------------------------------------------------------------------------------

    def subscribe(self, pattern: str, handler: Handler, *, durable: bool = False) -> Subscription:
        check_pattern(pattern)
        client = self._require()
        sub = Subscription(pattern, handler, durable)
        self._table.add(sub)
        with self._lock:
            subs = self._filters.setdefault(pattern, [])
            need = not subs or (durable and not any(s.durable for s in subs))
            subs.append(sub)
        if need:
            self._mqtt_subscribe(client, pattern, 1 if durable else 0)
        return sub

    def _mqtt_subscribe(self, client: mqtt.Client, pattern: str, qos: int) -> None:
        done = threading.Event()
        with self._lock:
            rc, mid = client.subscribe(pattern, qos=qos)
            if rc == mqtt.MQTT_ERR_NO_CONN:
                return  # _on_connect subscribes again when the connection is back
            if rc != mqtt.MQTT_ERR_SUCCESS:
                raise PubSubError(f"mqtt: subscribe failed: {mqtt.error_string(rc)}")
            self._subacks[mid] = done
        if not done.wait(SUBACK_TIMEOUT) and self._connected.is_set():
            raise PubSubError(f"mqtt: no SUBACK for {pattern!r} within {SUBACK_TIMEOUT:.0f} s")

    def _on_subscribe(self, client: mqtt.Client, userdata: object, mid: int, reasons: list[mqtt.ReasonCode],
                      properties: Properties) -> None:
        with self._lock:
            done = self._subacks.pop(mid, None)
        if any(r.is_failure for r in reasons):
            log.error("mqtt %s: subscription refused: %s", self.client_id, reasons)
        if done is not None:
            done.set()

    def unsubscribe(self, subscription: Subscription) -> None:
        subscription.active = False
        if not self._table.remove(subscription):
            return
        with self._lock:
            subs = [s for s in self._filters.get(subscription.pattern, []) if s is not subscription]
            if subs:
                self._filters[subscription.pattern] = subs
                return
            self._filters.pop(subscription.pattern, None)
        if self._client is not None and not self._closed:
            self._client.unsubscribe(subscription.pattern)

    def _on_message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        try:
            mid, payload = unpack(msg.payload)
            topic = msg.topic
        except (PubSubError, UnicodeDecodeError):
            log.warning("mqtt %s: dropped a message without our envelope on %r", self.client_id, msg.topic)
            return
        subs = self._table.matching(topic)
        if subs:
            self._burst.append((subs, message(topic, payload, mid)))

    def _on_burst(self) -> None:
        """End of a burst read by paho's thread: the messages go to the dispatcher together."""
        if self._burst:
            burst, self._burst = self._burst, []
            if self._dispatcher is not None:
                self._dispatcher.submit_batch(burst)

    # -- close -----------------------------------------------------------------------------------

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        client = self._client
        if client is not None and self._connected.is_set():
            self.wait_published(5.0)
            props = None
            if not self._stable_id:  # nobody can resume a generated id: end the session now
                props = _properties.Properties(_packettypes.PacketTypes.DISCONNECT)
                props.SessionExpiryInterval = 0
            client.disconnect(properties=props)
        self._teardown()

    def _teardown(self) -> None:
        self._closed = True
        client, self._client = self._client, None
        if client is not None:
            client.loop_stop()
            try:
                client.socket() and client.disconnect()
            except Exception:
                pass
        if self._dispatcher is not None:
            self._dispatcher.stop()
            self._dispatcher = None
