"""Watching by polling: compare snapshots of ``{path: signature}`` every few tenths of a second.

Used by backends that have no change notifications of their own (a plain directory without
inotify in the standard library). Changes between two polls are coalesced: a file written
three times is reported once as "write"; a file deleted and written again is a "write".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable

from thingscore.fs import WatchCallback

log = logging.getLogger(__name__)

Scan = Callable[[], dict[str, Hashable]]


class PollWatcher:
    """A daemon thread calling ``callback(event, path)`` for differences between scans."""

    def __init__(self, scan: Scan, callback: WatchCallback, interval: float = 0.1) -> None:
        self.scan = scan
        self.callback = callback
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Callable[[], None]:
        """Take the first snapshot now (changes after this call are reported), then poll;
        returns the function that stops watching."""
        previous = self.scan()
        self._thread = threading.Thread(target=self._run, args=(previous,), name="things-fs-watch", daemon=True)
        self._thread.start()
        return self.stop

    def stop(self) -> None:
        """Stop; no callback runs after this returns (unless called from a callback)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def _run(self, previous: dict[str, Hashable]) -> None:
        while not self._stop.wait(self.interval):
            try:
                current = self.scan()
            except Exception:  # a transient error must not end the watch
                log.exception("watch scan failed")
                continue
            for path in sorted(current.keys() | previous.keys()):
                if self._stop.is_set():
                    return
                before, after = previous.get(path), current.get(path)
                if before == after:
                    continue
                try:
                    self.callback("delete" if after is None else "write", path)
                except Exception:
                    log.exception("watch callback failed for %s", path)
            previous = current
