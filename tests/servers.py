"""Real servers for the tests: mosquitto and redis-server on free loopback ports.

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
from collections.abc import Iterator
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
