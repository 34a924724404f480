"""``things pubsub``: the embedded broker that makes one machine a whole system.

The default backend is ``zmq``: our own broker (libzmq's XSUB/XPUB proxy plus a durable
channel), nothing to install but the package. ``--backend mqtt`` starts mosquitto when it
is installed, for those who want a standard broker with the same command. Prints the URL
clients use on its first line of output, then runs until SIGINT or SIGTERM (exit 0).

CURVE for the zmq broker (encryption and authentication, see :mod:`things_plugins.pubsub.zmq_broker`):
``--curve-keys FILE`` is the broker's key pair, made when FILE is absent (its public half is
written next to it, see ``public_key_file``); the URL printed then carries ``server_key=``.
``--curve-clients PATH`` (a directory of client public key files, or a file of keys) admits
only those clients. Both also come from ``THINGS_PUBSUB_CURVE_KEYS`` / ``THINGS_PUBSUB_CURVE_CLIENTS``,
so that a service definition can set them without a command line.
"""

from __future__ import annotations

import argparse
import os
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
    curve_keys = getattr(args, "curve_keys", None) or os.environ.get("THINGS_PUBSUB_CURVE_KEYS") or None
    curve_clients = getattr(args, "curve_clients", None) or os.environ.get("THINGS_PUBSUB_CURVE_CLIENTS") or None
    if backend == "zmq":
        return _run_zmq(host, port or 7901, curve_keys, curve_clients)
    if curve_keys or curve_clients:
        print("things pubsub: --curve-keys and --curve-clients are for the zmq backend (mosquitto: configure TLS "
              "in its own configuration)", file=sys.stderr)
        return 2
    if backend == "mqtt":
        return _run_mosquitto(host, port or 1883)
    print(f"things pubsub: unknown broker backend {backend!r} (zmq or mqtt)", file=sys.stderr)
    return 2


def _on_signals(stop: object) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop())  # type: ignore[operator]


def _run_zmq(host: str, port: int, curve_keys: str | None = None, curve_clients: str | None = None) -> int:
    from things_plugins.pubsub.zmq_broker import ZmqBroker, load_or_create_keys, load_public_keys, public_key_file

    secret, created = None, False
    try:
        if curve_clients and not curve_keys:
            raise PubSubError("--curve-clients needs --curve-keys (the broker's own key pair)")
        if curve_keys:
            _, secret, created = load_or_create_keys(curve_keys)
        if curve_clients:
            allowed = load_public_keys(curve_clients)  # now, so that a wrong path fails at start
            if not allowed:
                print(f"things pubsub: warning: no client public key in {curve_clients} yet: every client is refused "
                      "until one is added", file=sys.stderr, flush=True)
        broker = ZmqBroker(host, port, curve_secret=secret, allowed_clients=curve_clients)
        broker.start()
    except PubSubError as exc:  # a key file that is not one, a --port already taken: what was typed cannot work
        print(f"things pubsub: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a key file that cannot be read or written
        print(f"things pubsub: {exc}", file=sys.stderr)
        return 1
    mode = "" if secret is None else (", CURVE" + (f", clients allowed by {curve_clients}" if curve_clients else
                                                   ", any client that knows the key"))
    print(f"things pubsub: zmq broker at {broker.url} (XSUB {port}, XPUB {port + 1}, durable ROUTER {port + 2}{mode})",
          flush=True)
    if created and curve_keys:
        print(f"things pubsub: made a new CURVE key pair in {curve_keys} (keep it private); public key in "
              f"{public_key_file(curve_keys)}", flush=True)
    _on_signals(broker.stop)
    broker.serve_forever()
    return 0


def _run_mosquitto(host: str, port: int) -> int:
    exe = shutil.which("mosquitto") or next((p for p in ("/usr/sbin/mosquitto",) if Path(p).exists()), None)
    if exe is None:
        print("things pubsub: mosquitto is not installed (use the default --backend zmq, or apt-get install mosquitto)",
              file=sys.stderr)
        return 2  # a missing prerequisite: the message says what to install
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
