"""mosquitto as the broker of ``things pubsub --backend mqtt``, for those who want a
standard MQTT broker with the same command. Needs mosquitto installed (``apt-get install
mosquitto``); it runs with persistence in a temporary directory, removed when it stops.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from thingscore.pubsub import PubSubError


class Mosquitto:
    """A mosquitto child process (``thingscore.pubsub.Broker``)."""

    def __init__(self, host: str, port: int) -> None:
        exe = shutil.which("mosquitto") or next((p for p in ("/usr/sbin/mosquitto",) if Path(p).exists()), None)
        if exe is None:
            raise PubSubError("mosquitto is not installed (use the default broker of `things pubsub`, "
                              "or apt-get install mosquitto)")
        self._work = tempfile.TemporaryDirectory(prefix="things-mosquitto-")
        conf = Path(self._work.name) / "mosquitto.conf"
        conf.write_text(f"listener {port} {host}\nallow_anonymous true\npersistence true\n"
                        f"persistence_location {self._work.name}/\nset_tcp_nodelay true\n"  # Nagle: ~40 ms a QoS 1 trip
                        "max_queued_messages 100000\nmessage_size_limit 0\n")
        self._proc = subprocess.Popen([exe, "-c", str(conf)])
        self.url = f"mqtt://{host}:{port}"
        self.description = f"mosquitto at {self.url}"
        self.notes: list[str] = []

    def serve_forever(self) -> int:
        code = self._proc.wait()
        self._work.cleanup()
        return 0 if code in (0, -signal.SIGTERM) else code

    def stop(self) -> None:
        self._proc.terminate()
