"""Real servers for the tests: mosquitto, redis-server and `things pubsub` (the embedded zmq
broker) on free loopback ports.

Each is started in a temporary directory with its own configuration, waited for, and
stopped (and its directory removed) at the end. The binaries come from Debian packages
that `make test` installs (tests/setup/install_services.sh); when one is missing the tests
that need it are skipped with a visible reason, never passed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_triple() -> int:
    """A port P with P, P+1 and P+2 free on loopback (the zmq broker listens on three)."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base > 65000:
            continue
        try:
            with contextlib.ExitStack() as stack:
                for p in (base, base + 1, base + 2):
                    t = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
                    t.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
    raise RuntimeError("no three consecutive free ports")


def _wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"server did not listen on port {port} within {timeout}s")


def _binary(name: str) -> str | None:
    return shutil.which(name) or next((p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if Path(p).exists()),
                                      None)


@dataclass
class Server:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    workdir: Path

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def url(self) -> str:
        """The pub/sub URL of this server (db 0 for redis)."""
        scheme = {"mosquitto": "mqtt", "redis": "redis", "things-pubsub": "zmq"}[self.name]
        return f"{scheme}://127.0.0.1:{self.port}" + ("/0" if self.name == "redis" else "")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def restart(self) -> None:
        """Stop and start again on the same port (for reconnection tests)."""
        args = self.proc.args
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(5)
        self.proc = subprocess.Popen(args, cwd=self.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_port(self.port, self.proc)


def start_mosquitto(extra_config: str = "") -> Server:
    exe = _binary("mosquitto")
    if exe is None:
        pytest.skip("mosquitto is not installed (make test installs it with apt-get)")
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="things-mosquitto-"))
    conf = work / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location {work}/\n"
        "max_inflight_messages 100\nmax_queued_messages 100000\nmessage_size_limit 0\nset_tcp_nodelay true\n"
        + ("user root\n" if os.geteuid() == 0 else "") + extra_config
    )
    proc = subprocess.Popen([exe, "-c", str(conf)], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_port(port, proc)
    return Server("mosquitto", port, proc, work)


def start_redis(extra_args: list[str] | None = None) -> Server:
    exe = _binary("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed (make test installs it with apt-get)")
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="things-redis-"))
    args = [exe, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(work), "--save", "", "--appendonly", "no",
            "--protected-mode", "yes", *(extra_args or [])]
    proc = subprocess.Popen(args, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_port(port, proc)
    return Server("redis", port, proc, work)


def start_things_pubsub(things: Sequence[str]) -> Server:
    """`things pubsub` (``things`` is the command, e.g. conftest's things_cmd()): the embedded
    broker of the zmq plugin on three consecutive free ports."""
    port = free_port_triple()
    work = Path(tempfile.mkdtemp(prefix="things-pubsub-"))
    proc = subprocess.Popen([*things, "pubsub", "--port", str(port)], cwd=work, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _wait_port(port + 2, proc, timeout=60)  # the last of its three sockets
    return Server("things-pubsub", port, proc, work)


@pytest.fixture(scope="session")
def mosquitto() -> Iterator[Server]:
    server = start_mosquitto()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[Server]:
    server = start_redis()
    yield server
    server.stop()


@pytest.fixture
def mqtt_url(mosquitto: Server) -> str:
    return f"mqtt://127.0.0.1:{mosquitto.port}"


@pytest.fixture
def redis_url(redis_server: Server) -> str:
    return f"redis://127.0.0.1:{redis_server.port}/0"


# -- transport security: certificates, TLS and password-protected servers -------------------------


@dataclass
class TlsFiles:
    """PEM files of a test PKI: a CA, a server certificate for 127.0.0.1/localhost, a client
    certificate from the same CA, and a "rogue" client certificate from another CA."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    rogue_cert: Path
    rogue_key: Path


def make_tls_files(directory: Path) -> TlsFiles:
    """Generate the PKI of :class:`TlsFiles` in ``directory`` (EC P-256 keys, valid one day).

    Made with the ``cryptography`` package (a dependency already) rather than the openssl
    command, so that the tests need no other tool and the certificates are exactly known.
    """
    import ipaddress
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.now(UTC)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> Path:
        path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
        path.chmod(0o600)
        return path

    def write_cert(cert: x509.Certificate, path: Path) -> Path:
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return path

    def make_ca(cn: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder().subject_name(name(cn)).issuer_name(name(cn)).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(hours=1))
                .not_valid_after(now + timedelta(days=1))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                             content_commitment=False, key_encipherment=False, data_encipherment=False,
                                             key_agreement=False, encipher_only=False, decipher_only=False),
                               critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .sign(key, hashes.SHA256()))
        return key, cert

    def make_leaf(cn: str, ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate,
                  server: bool) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (x509.CertificateBuilder().subject_name(name(cn)).issuer_name(ca_cert.subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH if server
                                                         else ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                                  critical=False))
        if server:
            builder = builder.add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        return key, builder.sign(ca_key, hashes.SHA256())

    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = make_ca("things test CA")
    server_key, server_cert = make_leaf("localhost", ca_key, ca_cert, server=True)
    client_key, client_cert = make_leaf("things-client", ca_key, ca_cert, server=False)
    rogue_ca_key, rogue_ca_cert = make_ca("some other CA")
    rogue_key, rogue_cert = make_leaf("things-client", rogue_ca_key, rogue_ca_cert, server=False)
    return TlsFiles(
        ca=write_cert(ca_cert, directory / "ca.pem"),
        server_cert=write_cert(server_cert, directory / "server.pem"),
        server_key=write_key(server_key, directory / "server.key"),
        client_cert=write_cert(client_cert, directory / "client.pem"),
        client_key=write_key(client_key, directory / "client.key"),
        rogue_cert=write_cert(rogue_cert, directory / "rogue.pem"),
        rogue_key=write_key(rogue_key, directory / "rogue.key"),
    )


def mosquitto_tls_config(tls: TlsFiles, require_certificate: bool = True) -> str:
    """mosquitto configuration lines making its listener speak TLS with the test PKI."""
    return (f"cafile {tls.ca}\ncertfile {tls.server_cert}\nkeyfile {tls.server_key}\n"
            f"require_certificate {'true' if require_certificate else 'false'}\n")


def start_mosquitto_tls(tls: TlsFiles, require_certificate: bool = True) -> Server:
    """mosquitto whose only listener speaks TLS with the test PKI (client certificates required)."""
    return start_mosquitto(mosquitto_tls_config(tls, require_certificate))


def start_mosquitto_passwords(users: dict[str, str], extra_config: str = "") -> Server:
    """mosquitto refusing anonymous clients, with a password file made by ``mosquitto_passwd -b``.

    The password file is read at start-up and then kept in the server's directory (removed with it);
    its configured path is gone, so this server is not for ``restart()``."""
    exe = _binary("mosquitto_passwd")
    if exe is None:
        pytest.skip("mosquitto_passwd is not installed (it comes with the mosquitto package)")
    pwdir = Path(tempfile.mkdtemp(prefix="things-mosquitto-pw-"))
    pwfile = pwdir / "passwords"
    pwfile.touch(0o600)
    for user, password in users.items():
        subprocess.run([exe, "-b", str(pwfile), user, password], check=True, capture_output=True)
    # Later lines win in mosquitto's configuration: this overrides start_mosquitto's allow_anonymous.
    server = start_mosquitto(f"allow_anonymous false\npassword_file {pwfile}\n{extra_config}")
    shutil.move(str(pwfile), server.workdir / "passwords")  # read at start-up; removed with the server
    shutil.rmtree(pwdir, ignore_errors=True)
    return server


def start_redis_tls(tls: TlsFiles, extra_args: list[str] | None = None) -> Server:
    """redis-server with a TLS port only (plain port 0), requiring client certificates of the test CA.

    Skipped, visibly, when this redis-server was built without TLS (it refuses ``tls-port``)."""
    exe = _binary("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed (make test installs it with apt-get)")
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="things-redis-tls-"))
    args = [exe, "--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1", "--dir", str(work), "--save", "",
            "--appendonly", "no", "--tls-cert-file", str(tls.server_cert), "--tls-key-file", str(tls.server_key),
            "--tls-ca-cert-file", str(tls.ca), "--tls-auth-clients", "yes", *(extra_args or [])]
    log = work / "redis.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(args, cwd=work, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_port(port, proc)
    except RuntimeError:
        proc.kill()
        proc.wait()
        text = log.read_text(errors="replace")
        shutil.rmtree(work, ignore_errors=True)
        if "tls" in text.lower() and ("not supported" in text.lower() or "bad directive" in text.lower()):
            pytest.skip(f"this redis-server has no TLS support: {text.strip().splitlines()[-1]}")
        raise RuntimeError(f"redis-server with TLS did not start: {text.strip()[-500:]}") from None
    return Server("redis-tls", port, proc, work)
