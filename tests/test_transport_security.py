"""Transport security of every backend, against real servers: TLS and passwords for mosquitto,
AUTH, ACL and TLS for redis-server (pub/sub and FS), CURVE for the embedded zmq broker.

For each: the right credentials pass the whole conformance suite (publish, subscribe,
durable, reconnection), and each wrong one (no client certificate, a certificate from
another CA, a plain client on a TLS port, a wrong password, a wrong or missing CURVE key,
a client key the broker does not allow) is a clear error that names the cause, quickly:
never the time-out of a handshake retried in silence. Certificates come from a test CA
made here with ``cryptography``; every server runs on free loopback ports and is stopped
at the end of its module.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import zmq
import zmq.auth
from conftest import things_cmd
from servers import (
    Server,
    TlsFiles,
    free_port_triple,
    make_tls_files,
    mosquitto_tls_config,
    start_mosquitto_passwords,
    start_mosquitto_tls,
    start_redis,
    start_redis_tls,
)
from things_conformance.fs import FileSystemConformance
from things_conformance.pubsub import ClientFactory, Collector, PubSubConformance
from things_plugins.fs.redis_fs import RedisFS
from things_plugins.pubsub import zmq_pubsub
from things_plugins.pubsub.zmq_broker import ZmqBroker, load_or_create_keys, public_key_file

from thingscore import plugins
from thingscore.control.config import fs_spec, pubsub_spec
from thingscore.fs import FSError, Unavailable
from thingscore.pubsub import PubSubError

#: A refusal must be reported before the handshake time-out (10 s) would be: that is what
#: tells a refusal from silence (seen at 5.5 s on a loaded 2-core machine, 0.1 s idle).
QUICK = 9.0


def refused(url: str, backend: str, match: str) -> str:
    """Connect to ``url`` expecting a PubSubError matching ``match``, quickly; returns its text."""
    client = plugins.load("pubsub", backend, url=url, client_id=None)
    started = time.monotonic()
    with pytest.raises(PubSubError, match=match) as info:
        client.connect()
    elapsed = time.monotonic() - started
    assert elapsed < QUICK, f"the refusal took {elapsed:.1f} s: {info.value}"
    return str(info.value)


def round_trip(url: str, backend: str, prefix: str = "sec") -> None:
    """A durable and a plain message between two clients of ``url``."""
    with plugins.load("pubsub", backend, url=url, client_id=None) as a, \
            plugins.load("pubsub", backend, url=url, client_id=None) as b:
        durable, plain = Collector(), Collector()
        b.subscribe(f"{prefix}/d/#", durable, durable=True)
        b.subscribe(f"{prefix}/p/+", plain)
        a.publish(f"{prefix}/d/x", b"durable", durable=True)
        a.publish(f"{prefix}/p/x", b"plain")
        assert [m.payload for m in durable.wait_count(1)] == [b"durable"]
        assert [m.payload for m in plain.wait_count(1)] == [b"plain"]


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_tls_files(tmp_path_factory.mktemp("pki"))


def test_secure_schemes_name_their_plugins() -> None:
    assert pubsub_spec("mqtts://h:8883?ca=/c")[0] == "mqtt"
    assert pubsub_spec("rediss://h:6380/0")[0] == "redis"
    assert fs_spec("rediss://:pw@h:6380/0")[0] == "redis"
    assert pubsub_spec("zmq://h:7901?server_key=x")[0] == "zmq"


# -- MQTT: TLS with client certificates, passwords -------------------------------------------------


@pytest.fixture(scope="module")
def mosquitto_tls(tls: TlsFiles) -> Iterator[Server]:
    server = start_mosquitto_tls(tls)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mosquitto_pw() -> Iterator[Server]:
    server = start_mosquitto_passwords({"alice": "s3cret:/@x", "bob": "other"})
    yield server
    server.stop()


def mqtts_url(server: Server, tls: TlsFiles, cert: str = "client", ca: bool = True) -> str:
    query = [f"ca={tls.ca}"] if ca else []
    if cert == "client":
        query += [f"cert={tls.client_cert}", f"key={tls.client_key}"]
    elif cert == "rogue":
        query += [f"cert={tls.rogue_cert}", f"key={tls.rogue_key}"]
    return f"mqtts://127.0.0.1:{server.port}?{'&'.join(query)}"


class TestMqttOverTls(PubSubConformance):
    """The whole pub/sub suite over mqtts:// with a client certificate (reconnection: the TLS
    socket is cut and paho reconnects, handshake included)."""

    @pytest.fixture
    def make_pubsub(self, mosquitto_tls: Server, tls: TlsFiles) -> Iterator[ClientFactory]:
        url = mqtts_url(mosquitto_tls, tls)
        with ClientFactory(lambda cid: plugins.load("pubsub", "mqtt", url=url, client_id=cid)) as factory:
            yield factory


def test_mqtts_without_client_certificate_is_refused(mosquitto_tls: Server, tls: TlsFiles) -> None:
    refused(mqtts_url(mosquitto_tls, tls, cert="none"), "mqtt", "requires a client certificate")


def test_mqtts_certificate_of_another_ca_is_refused(mosquitto_tls: Server, tls: TlsFiles) -> None:
    text = refused(mqtts_url(mosquitto_tls, tls, cert="rogue"), "mqtt", "TLS")
    assert "client certificate" in text


def test_plain_mqtt_on_the_tls_port_is_refused(mosquitto_tls: Server) -> None:
    refused(f"mqtt://127.0.0.1:{mosquitto_tls.port}", "mqtt", "TLS port")


def test_mqtts_on_a_plain_port_is_refused(mosquitto: Server, tls: TlsFiles) -> None:
    refused(f"mqtts://127.0.0.1:{mosquitto.port}?ca={tls.ca}", "mqtt", "TLS")


def test_mqtts_broker_certificate_not_trusted(mosquitto_tls: Server, tls: TlsFiles) -> None:
    """Without ca= the system's CAs are used, and they do not know the test CA."""
    refused(mqtts_url(mosquitto_tls, tls, ca=False), "mqtt", "certificate is not trusted")


def test_mqtts_missing_files_are_named(mosquitto_tls: Server, tmp_path: Path) -> None:
    refused(f"mqtts://127.0.0.1:{mosquitto_tls.port}?ca={tmp_path}/nope.pem", "mqtt", "nope.pem")


def test_tls_options_need_mqtts() -> None:
    with pytest.raises(PubSubError, match="mqtts://"):
        plugins.load("pubsub", "mqtt", url="mqtt://127.0.0.1:1883?ca=/x", client_id=None)


def test_mqtt_password(mosquitto_pw: Server) -> None:
    base = f"127.0.0.1:{mosquitto_pw.port}"
    round_trip(f"mqtt://alice:{quote('s3cret:/@x', safe='')}@{base}", "mqtt")  # percent-encoded in the URL
    text = refused(f"mqtt://alice:wrong-password@{base}", "mqtt", "user name and password")
    assert "wrong-password" not in text
    refused(f"mqtt://{base}", "mqtt", "wants a user name and password")
    refused(f"mqtt://mallory:other@{base}", "mqtt", "Not authorized")


def test_mqtts_with_password_and_certificate(tls: TlsFiles) -> None:
    server = start_mosquitto_passwords({"alice": "pw"}, mosquitto_tls_config(tls))
    try:
        url = mqtts_url(server, tls)
        round_trip(url.replace("mqtts://", "mqtts://alice:pw@"), "mqtt")
        refused(url.replace("mqtts://", "mqtts://alice:bad@"), "mqtt", "user name and password")
    finally:
        server.stop()


# -- Redis: AUTH, ACL users, TLS ----------------------------------------------------------------------


#: An ACL user limited to the pub/sub plugin's keys, channels under "ok", and the FS prefix "fsok".
#: Redis matches a PSUBSCRIBE pattern *literally* against the allowed ones: the globs the plugin
#: subscribes for "ok/#" and "ok/p/+" ("ok*", "ok/p/*") are listed as such.
ACL_USER = ["--user", "limited", "on", ">lpw", "~things:*", "~{fsok}:*", "&ok*", "&ok/p/*", "&{fsok}:events",
            "+@all"]


@pytest.fixture(scope="module")
def redis_auth() -> Iterator[Server]:
    server = start_redis(["--requirepass", "s3cret", *ACL_USER])
    yield server
    server.stop()


@pytest.fixture(scope="module")
def redis_tls(tls: TlsFiles) -> Iterator[Server]:
    server = start_redis_tls(tls, ["--requirepass", "tlspw"])
    yield server
    server.stop()


def rediss_url(server: Server, tls: TlsFiles, cert: str = "client") -> str:
    query = f"ca={tls.ca}"
    if cert == "client":
        query += f"&cert={tls.client_cert}&key={tls.client_key}"
    elif cert == "rogue":
        query += f"&cert={tls.rogue_cert}&key={tls.rogue_key}"
    return f"rediss://:tlspw@127.0.0.1:{server.port}/0?{query}"


class TestRedisWithPassword(PubSubConformance):
    @pytest.fixture
    def make_pubsub(self, redis_auth: Server) -> Iterator[ClientFactory]:
        url = f"redis://:s3cret@127.0.0.1:{redis_auth.port}/0"
        with ClientFactory(lambda cid: plugins.load("pubsub", "redis", url=url, client_id=cid)) as factory:
            yield factory


class TestRedisOverTls(PubSubConformance):
    @pytest.fixture
    def make_pubsub(self, redis_tls: Server, tls: TlsFiles) -> Iterator[ClientFactory]:
        url = rediss_url(redis_tls, tls)
        with ClientFactory(lambda cid: plugins.load("pubsub", "redis", url=url, client_id=cid)) as factory:
            yield factory


class TestRedisFsOverTls(FileSystemConformance):
    @pytest.fixture
    def fs(self, redis_tls: Server, tls: TlsFiles) -> Iterator[RedisFS]:
        fs = RedisFS(f"{rediss_url(redis_tls, tls)}&prefix=t-{secrets.token_hex(6)}")
        yield fs
        for path in fs.list():
            fs.delete(path)
        fs.close()


def test_redis_fs_watch_over_tls(redis_tls: Server, tls: TlsFiles) -> None:
    """The watcher's own pub/sub connection gets the same TLS options and password."""
    import threading

    fs = RedisFS(f"{rediss_url(redis_tls, tls)}&prefix=t-{secrets.token_hex(6)}")
    seen: list[tuple[str, str]] = []
    changed = threading.Event()
    stop = fs.watch("d/", lambda event, path: (seen.append((event, path)), changed.set()))
    try:
        fs.write("d/a", b"x")
        assert changed.wait(30) and seen[0] == ("write", "d/a")
    finally:
        stop()
        fs.delete("d/a")
        fs.close()


def test_redis_password_refusals(redis_auth: Server) -> None:
    base = f"127.0.0.1:{redis_auth.port}/0"
    text = refused(f"redis://:wrong-password@{base}", "redis", "authentication failed")
    assert "wrong-password" not in text
    refused(f"redis://{base}", "redis", "authentication failed.*redis://:PASSWORD@")
    refused(f"redis://limited:nope@{base}", "redis", "authentication failed")
    for url in (f"redis://:wrong-password@{base}", f"redis://{base}"):
        with pytest.raises(Unavailable, match="authentication failed") as info:
            RedisFS(url).write("a", b"x")
        assert "wrong-password" not in str(info.value)
    fs = RedisFS(f"redis://:s3cret@{base}?prefix=t-{secrets.token_hex(4)}")
    fs.write("a", b"x")
    assert fs.read("a") == b"x"
    fs.delete("a")
    fs.close()


def test_redis_acl_user_inside_and_outside_its_rights(redis_auth: Server) -> None:
    url = f"redis://limited:lpw@127.0.0.1:{redis_auth.port}/0"
    round_trip(url, "redis", prefix="ok")
    with plugins.load("pubsub", "redis", url=url, client_id=None) as a, \
            plugins.load("pubsub", "redis", url=url, client_id=None) as b:
        got = Collector()
        with pytest.raises(PubSubError, match="ACL"):
            a.publish("elsewhere/x", b"no")
        started = time.monotonic()
        with pytest.raises(PubSubError, match="ACL"):
            b.subscribe("elsewhere/#", Collector())
        assert time.monotonic() - started < QUICK
        b.subscribe("ok/#", got)  # the refused subscription left the client usable
        a.publish("ok/y", b"after")
        assert [m.payload for m in got.wait_count(1)] == [b"after"]
    fs = RedisFS(f"{url}?prefix=fsok")
    fs.write("a", b"x")
    assert fs.read("a") == b"x"
    fs.delete("a")
    fs.close()
    with pytest.raises(Unavailable, match="ACL"):
        RedisFS(f"{url}?prefix=other").write("a", b"x")


def test_redis_tls_refusals(redis_tls: Server, tls: TlsFiles) -> None:
    refused(rediss_url(redis_tls, tls, cert="none"), "redis", "requires a client certificate")
    text = refused(rediss_url(redis_tls, tls, cert="rogue"), "redis", "TLS")
    assert "client certificate" in text and "tlspw" not in text
    refused(f"redis://:tlspw@127.0.0.1:{redis_tls.port}/0", "redis", "TLS port")
    refused(rediss_url(redis_tls, tls).replace(f"ca={tls.ca}&", ""), "redis", "certificate is not trusted")
    with pytest.raises(Unavailable, match="client certificate"):
        RedisFS(rediss_url(redis_tls, tls, cert="none")).write("a", b"x")
    with pytest.raises(Unavailable, match="client certificate"):
        RedisFS(rediss_url(redis_tls, tls, cert="rogue")).write("a", b"x")


def test_redis_tls_options_are_checked(tmp_path: Path) -> None:
    with pytest.raises(PubSubError, match="rediss://"):
        plugins.load("pubsub", "redis", url="redis://127.0.0.1:1/0?ca=/x", client_id=None)
    with pytest.raises(PubSubError, match="nope.pem"):
        plugins.load("pubsub", "redis", url=f"rediss://127.0.0.1:1/0?ca={tmp_path}/nope.pem", client_id=None)
    with pytest.raises(FSError, match="nope.pem"):
        RedisFS(f"rediss://127.0.0.1:1/0?ca={tmp_path}/nope.pem")


# -- ZeroMQ: CURVE --------------------------------------------------------------------------------


class CurveBroker:
    """An in-process broker with CURVE (optionally admitting only the keys of ``allowed``)."""

    def __init__(self, keys: Path, allowed: Path | None = None) -> None:
        self.port = free_port_triple()
        self.keys = keys
        _, secret, _ = load_or_create_keys(keys)
        self.broker = ZmqBroker("127.0.0.1", self.port, curve_secret=secret, allowed_clients=allowed).start()

    @property
    def url(self) -> str:
        return self.broker.url

    def stop(self) -> None:
        self.broker.stop()


@pytest.fixture(scope="module")
def curve_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("curve")
    (d / "allowed").mkdir()
    zmq.auth.create_certificates(d, "worker")  # worker.key (public), worker.key_secret
    zmq.auth.create_certificates(d, "stranger")
    shutil.copy(d / "worker.key", d / "allowed" / "worker.key")
    return d


@pytest.fixture(scope="module")
def curve_broker(curve_dir: Path) -> Iterator[CurveBroker]:
    holder = CurveBroker(curve_dir / "broker.key")
    yield holder
    holder.stop()


@pytest.fixture(scope="module")
def curve_broker_allowlist(curve_dir: Path) -> Iterator[CurveBroker]:
    holder = CurveBroker(curve_dir / "broker2.key", allowed=curve_dir / "allowed")
    yield holder
    holder.stop()


class TestZmqWithCurve(PubSubConformance):
    """The whole suite with CURVE and an ephemeral client key pair (reconnection: the client's
    sockets are closed and reopened, handshakes included)."""

    @pytest.fixture
    def make_pubsub(self, curve_broker: CurveBroker) -> Iterator[ClientFactory]:
        url = curve_broker.url
        with ClientFactory(lambda cid: plugins.load("pubsub", "zmq", url=url, client_id=cid)) as factory:
            yield factory


def test_curve_key_files_and_url_forms(curve_broker: CurveBroker) -> None:
    """The key pair file is made with its public half; the key works in Z85, hex or as that file."""
    public, _, created = load_or_create_keys(curve_broker.keys)
    assert not created and oct(curve_broker.keys.stat().st_mode & 0o777) == "0o600"
    pub_file = public_key_file(curve_broker.keys)
    assert zmq.auth.load_certificate(pub_file) == (public, None)
    assert quote(public.decode(), safe="") in curve_broker.url
    base = f"zmq://127.0.0.1:{curve_broker.port}"
    round_trip(f"{base}?server_key={zmq.utils.z85.decode(public).hex()}", "zmq")
    round_trip(f"{base}?server_key={pub_file}", "zmq")
    with pytest.raises(PubSubError, match="not a CURVE public key"):
        plugins.load("pubsub", "zmq", url=f"{base}?server_key=short", client_id=None)


def test_plain_client_on_a_curve_broker_is_refused(curve_broker: CurveBroker) -> None:
    refused(f"zmq://127.0.0.1:{curve_broker.port}", "zmq", "requires CURVE: add server_key=")


def test_wrong_server_key_is_refused(curve_broker: CurveBroker) -> None:
    other, _ = zmq.curve_keypair()
    url = f"zmq://127.0.0.1:{curve_broker.port}?server_key={quote(other.decode(), safe='')}"
    refused(url, "zmq", "not the broker's public key")


def test_wrong_server_key_times_out_clearly_at_worst(curve_broker: CurveBroker,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the broker's hang-ups go unseen, the handshake time-out still says CURVE."""
    monkeypatch.setattr(zmq_pubsub, "HANDSHAKE_TIMEOUT", 1.0)
    monkeypatch.setattr(zmq_pubsub, "CURVE_HANGUPS", 10**6)
    other, _ = zmq.curve_keypair()
    url = f"zmq://127.0.0.1:{curve_broker.port}?server_key={quote(other.decode(), safe='')}"
    refused(url, "zmq", "CURVE handshake probably failed")


def test_curve_client_on_a_plain_broker_is_refused(curve_broker: CurveBroker) -> None:
    port = free_port_triple()
    with ZmqBroker("127.0.0.1", port):
        public = curve_broker.broker.public_key
        assert public is not None
        refused(f"zmq://127.0.0.1:{port}?server_key={quote(public.decode(), safe='')}", "zmq",
                "does not use CURVE")


def test_only_allowed_clients(curve_broker_allowlist: CurveBroker, curve_dir: Path) -> None:
    url = curve_broker_allowlist.url
    round_trip(f"{url}&client_key={curve_dir / 'worker.key_secret'}", "zmq")
    refused(f"{url}&client_key={curve_dir / 'stranger.key_secret'}", "zmq", "not among the broker's allowed clients")
    refused(url, "zmq", "not among the broker's allowed clients")  # an ephemeral key pair
    with pytest.raises(PubSubError, match="no secret key"):
        plugins.load("pubsub", "zmq", url=f"{url}&client_key={curve_dir / 'worker.key'}", client_id=None)


def test_allowed_clients_are_read_at_each_connection(curve_broker_allowlist: CurveBroker, curve_dir: Path) -> None:
    url = curve_broker_allowlist.url
    shutil.copy(curve_dir / "stranger.key", curve_dir / "allowed" / "stranger.key")
    try:
        round_trip(f"{url}&client_key={curve_dir / 'stranger.key_secret'}", "zmq")
    finally:
        (curve_dir / "allowed" / "stranger.key").unlink()
    refused(f"{url}&client_key={curve_dir / 'stranger.key_secret'}", "zmq", "not among the broker's allowed clients")


def _things_pubsub(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*things_cmd(), "pubsub", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **env})


def test_things_pubsub_with_curve(tmp_path: Path) -> None:
    """`things pubsub --curve-keys --curve-clients` with a key pair file it makes, and an
    allowed-clients directory; the URL it prints is what clients use."""
    keys, allowed = tmp_path / "broker.key", tmp_path / "allowed"
    allowed.mkdir()
    zmq.auth.create_certificates(tmp_path, "w1")
    shutil.copy(tmp_path / "w1.key", allowed / "w1.key")
    port = free_port_triple()
    proc = _things_pubsub(["--port", str(port), "--curve-keys", str(keys), "--curve-clients", str(allowed)], {})
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        assert f"zmq://127.0.0.1:{port}?server_key=" in line and "CURVE" in line, line
        url = line.split(" at ", 1)[1].split()[0]
        assert "made a new CURVE key pair" in proc.stdout.readline().decode()
        assert keys.exists() and public_key_file(keys).exists()
        round_trip(f"{url}&client_key={tmp_path / 'w1.key_secret'}", "zmq")
        refused(url, "zmq", "not among the broker's allowed clients")
    finally:
        proc.terminate()
        assert proc.wait(10) == 0


def test_things_pubsub_refuses_a_public_key_file(tmp_path: Path) -> None:
    zmq.auth.create_certificates(tmp_path, "b")
    proc = _things_pubsub(["--port", str(free_port_triple())], {"THINGS_PUBSUB_CURVE_KEYS": str(tmp_path / "b.key")})
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 2 and b"no CURVE secret key" in err  # a usage error (README: Exit codes)

