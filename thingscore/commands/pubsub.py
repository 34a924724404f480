"""``things pubsub``: the embedded broker that makes one machine a whole system.

The default backend is ``zmq``: our own broker (libzmq's XSUB/XPUB proxy plus a durable
channel), nothing to install but the package. ``--backend mqtt`` starts mosquitto when it
is installed, for those who want a standard broker with the same command. Prints the URL
clients use on its first line of output, then runs until SIGINT or SIGTERM (exit 0).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from thingscore.pubsub import PubSubError


def run(args: argparse.Namespace) -> int:
    backend = getattr(args, "backend", None) or "zmq"
    host = getattr(args, "host", None) or "127.0.0.1"
    port = getattr(args, "port", None)
    if backend == "zmq":
        return _run_zmq(host, port or 7901)
    if backend == "mqtt":
        return _run_mosquitto(host, port or 1883)
    print(f"error: unknown broker backend {backend!r} (zmq or mqtt)", file=sys.stderr)
    return 2


def _on_signals(stop: object) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop())  # type: ignore[operator]


def _run_zmq(host: str, port: int) -> int:
    from things_plugins.pubsub.zmq_broker import ZmqBroker

    broker = ZmqBroker(host, port)
    try:
        broker.start()
    except PubSubError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"things pubsub: zmq broker at {broker.url} (XSUB {port}, XPUB {port + 1}, durable ROUTER {port + 2})",
          flush=True)
    _on_signals(broker.stop)
    broker.serve_forever()
    return 0


def _run_mosquitto(host: str, port: int) -> int:
    exe = shutil.which("mosquitto") or next((p for p in ("/usr/sbin/mosquitto",) if Path(p).exists()), None)
    if exe is None:
        print("error: mosquitto is not installed (use the default --backend zmq, or apt-get install mosquitto)",
              file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="things-mosquitto-") as work:
        conf = Path(work) / "mosquitto.conf"
        conf.write_text(f"listener {port} {host}\nallow_anonymous true\npersistence true\n"
                        f"persistence_location {work}/\nset_tcp_nodelay true\n"  # Nagle: ~40 ms a QoS 1 trip
                        "max_queued_messages 100000\nmessage_size_limit 0\n")
        proc = subprocess.Popen([exe, "-c", str(conf)])
        print(f"things pubsub: mosquitto at mqtt://{host}:{port}", flush=True)
        _on_signals(proc.terminate)
        code = proc.wait()
    return 0 if code in (0, -signal.SIGTERM) else code
