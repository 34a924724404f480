"""``things demo`` (``make demo``): the whole system on one machine, in about 20 seconds.

1. ``things exec``: a program migrated 5 times between fresh node processes, its output
   identical to plain node's.
2. An embedded broker (``things pubsub``), two ``things worker`` processes and a global FS
   in a temporary directory; a stateful program runs on worker A, moves to worker B while it
   runs, and keeps counting where it was. Everything is cleaned up on the way out.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _things() -> list[str]:
    exe = Path(sys.executable).parent / "things"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "thingscore.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _say(text: str) -> None:
    print(f"\033[1m== {text}\033[0m" if sys.stdout.isatty() else f"== {text}", flush=True)


def run(args: argparse.Namespace) -> int:
    examples = ROOT / "examples"
    _say("things exec: examples/counter.js, moved to a fresh node process 5 times")
    r = subprocess.run([*_things(), "exec", str(examples / "counter.js"), "--hops", "5", "--every", "3"])
    if r.returncode != 0:
        return r.returncode
    return _two_workers(examples / "sensor_loop.js")


def _broker_url(first_line: str) -> str:
    """The URL in ``things pubsub``'s first line (``things pubsub: <broker> at URL ...``)."""
    found = re.search(r" at (\S+)", first_line)
    if found is None:
        raise RuntimeError(f"things pubsub did not start: {first_line.strip() or 'no output'}")
    return found.group(1)


def _two_workers(program: Path) -> int:
    from thingscore.control import protocol
    from thingscore.control.config import open_fs, open_pubsub
    from thingscore.control.dispatcher import Dispatcher, DispatchError
    from thingscore.pubsub import Message
    from thingscore.security import keys

    work = Path(tempfile.mkdtemp(prefix="things-demo-"))
    port = _free_port()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        keyfile = work / "cluster.keys"
        keys.write_cluster(keys.generate(), keyfile)
        _say(f"embedded broker on 127.0.0.1:{port}, workers A and B, global FS in {work}; "
             f"the cluster's keys (things keygen) in {keyfile}*: commands, code and snapshots are signed, "
             "snapshots encrypted")
        broker = subprocess.Popen([*_things(), "pubsub", "--port", str(port)], stdout=subprocess.PIPE)
        procs.append(broker)
        assert broker.stdout is not None
        url = _broker_url(broker.stdout.readline().decode())  # the default plugin's broker says its URL first
        for wid in ("A", "B"):
            procs.append(subprocess.Popen([*_things(), "worker", "--id", wid, "--pubsub", url, "--fs", str(work / "fs"),
                                           "--heartbeat", "0.5", "--keys", f"{keyfile}.worker", "--encrypt-snapshots"],
                                          stderr=subprocess.DEVNULL))
        pubsub = open_pubsub(url, client_id="demo")
        fs = open_fs(str(work / "fs"))
        d = Dispatcher(pubsub, fs, timeout=15, gather=0.5, keys=keys.load(f"{keyfile}.dispatcher"))
        deadline = time.monotonic() + 15
        while {w["worker"] for w in d.workers()} != {"A", "B"}:
            if time.monotonic() > deadline:
                print("things demo: the workers did not come up", file=sys.stderr)
                return 1
        done = threading.Event()
        lines: list[str] = []

        def out(msg: Message) -> None:
            for line in msg.payload.decode().splitlines():
                lines.append(line)
                print(f"   {line}", flush=True)
                if line.startswith("done:"):
                    done.set()

        started = d.run("A", program)
        pid = started["id"]
        pubsub.subscribe(protocol.output_topic(pid, "stdout"), out)
        _say(f"running {program.name} on worker A as {pid}")
        time.sleep(1.6)
        moved = d.migrate(pid, "B")
        _say(f"moved {pid} to worker {moved['worker']}: snapshot {moved['snapshot_bytes']} bytes, "
             f"paused for {moved['downtime_ms']:.0f} ms")
        if not done.wait(20):
            print("things demo: the program did not finish", file=sys.stderr)
            return 1
        intruder = Dispatcher(pubsub, fs, timeout=15, client_id="intruder")  # on the broker, without keys
        try:
            intruder.run("B", program)
            _say("an unsigned run was accepted: this must not happen")
            return 1
        except DispatchError as exc:
            _say(f"someone without the keys asks B to run a program: {exc}")
        finally:
            intruder.close()
        ticks = [ln for ln in lines if ln.startswith("tick")]
        where = {p["worker"] for p in d.ps() if p["id"] == pid}
        _say(f"{len(ticks)} ticks, counted on across the move (now on {', '.join(sorted(where)) or 'B'}); cleaning up")
        d.close()
        pubsub.close()
        return 0 if len(ticks) == 40 else 1
    finally:
        for p in reversed(procs):
            with contextlib.suppress(ProcessLookupError):
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)
