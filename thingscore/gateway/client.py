"""A page's side of the gateway protocol (:mod:`.wire`) in Python: what ``things-web.js`` does,
for scripts, tests and benchmarks that stand in for a web page.

It reads frames on a thread: the program's messages are collected per program (checked to
come numbered 1, 2, 3... each once), everything else is matched to requests by id. Posts are
numbered per program as a page numbers them.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from thingscore.security.keys import KeyRing
from thingscore.structured_clone import deserialize, serialize

from . import auth
from .wire import VERSION


class GatewayError(Exception):
    """An error frame, as an exception: ``code`` and the gateway's message."""

    def __init__(self, frame: dict[str, Any]) -> None:
        super().__init__(f"{frame.get('code')}: {frame.get('message')}")
        self.code = str(frame.get("code"))
        self.frame = frame


class PageClient:
    """One connection to ``things gateway`` (``ring``: the page's browser key; None for an open
    gateway, or to authenticate by hand with ``authenticate=False``)."""

    def __init__(self, url: str, ring: KeyRing | None = None, *, authenticate: bool = True,
                 timeout: float = 10.0) -> None:
        self.ws: ClientConnection = connect(url, max_size=None, open_timeout=timeout).__enter__()
        self.hello: dict[str, Any] = json.loads(self.ws.recv(timeout=timeout))
        self.frames: queue.Queue[dict[str, Any]] = queue.Queue()
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.arrived = threading.Condition()
        self.closed: ConnectionClosed | None = None
        self.seq: dict[str, int] = {}
        self._n = 0
        self._reader = threading.Thread(target=self._read, name="page-client", daemon=True)
        self._reader.start()
        if authenticate:
            self.call("auth", **(auth.sign(ring, self.hello["challenge"]) if ring is not None else {}))

    def _read(self) -> None:
        try:
            for text in self.ws:
                frame = json.loads(text)
                if frame.get("type") == "message":
                    with self.arrived:
                        got = self.messages.setdefault(frame["pid"], [])
                        if got and frame["seq"] <= got[-1]["seq"]:
                            continue  # a repeat after a reconnect: had it
                        got.append(frame)
                        self.arrived.notify_all()
                else:
                    self.frames.put(frame)
        except ConnectionClosed as exc:
            self.closed = exc

    def send(self, op: str, **fields: Any) -> str:
        """Send one operation; its request id (see :meth:`answer`)."""
        self._n += 1
        rid = f"r{self._n}"
        self.ws.send(json.dumps({"v": VERSION, "op": op, "id": rid, **fields}))
        return rid

    def answer(self, rid: str, timeout: float = 60.0) -> dict[str, Any]:
        """The result or error frame of request ``rid`` (frames of other requests are dropped)."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self.frames.get(timeout=max(0.01, deadline - time.monotonic()))
            if frame.get("id") == rid and frame.get("type") in ("result", "error", "ack"):
                return frame

    def call(self, op: str, timeout: float = 60.0, **fields: Any) -> dict[str, Any]:
        """An operation's result; GatewayError for an error frame."""
        frame = self.answer(self.send(op, **fields), timeout)
        if frame["type"] == "error":
            raise GatewayError(frame)
        return frame.get("result", frame)

    def post(self, pid: str, value: Any) -> str:
        """Post ``value`` (structured-clone encoded) to program ``pid`` under the next seq."""
        self.seq[pid] = self.seq.get(pid, 0) + 1
        return self.send("post", pid=pid, seq=self.seq[pid], data=serialize(value))

    def received(self, pid: str) -> int:
        with self.arrived:
            return len(self.messages.get(pid, []))

    def replies(self, pid: str, count: int, timeout: float = 30.0) -> list[Any]:
        """The program's first ``count`` messages, decoded (AssertionError after ``timeout``)."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.messages.get(pid, [])) < count:
                left = deadline - time.monotonic()
                if left <= 0 or not self.arrived.wait(left):
                    raise AssertionError(f"{len(self.messages.get(pid, []))} of {count} messages of {pid} came")
            got = list(self.messages[pid][:count])
        if [m["seq"] for m in got] != list(range(1, count + 1)):
            raise AssertionError(f"messages of {pid} out of sequence: {[m['seq'] for m in got]}")
        self.ws.send(json.dumps({"v": VERSION, "op": "ack", "pid": pid, "seq": count}))  # the gateway may forget them
        return [deserialize(m["data"]) for m in got]

    def close(self) -> None:
        self.ws.close()
