"""What a worker does for the programs it runs: their files in the global FS (synchronous
requests on a pipe of their own) and their pub/sub (a client per program, whose durable
subscriptions keep collecting messages while the program moves between workers).

A program's files live under ``files/<process id>/`` of the global FS, so they follow it;
paths that would leave that folder are refused. Programs may not touch the control plane's
own topics (``things/...``) nor subscribe to everything.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from typing import Any

from thingscore.fs import FileSystem, NotFound, PathEscape, normalize
from thingscore.pubsub import Message, PubSub, Subscription

from .process import ManagedProcess

log = logging.getLogger("things.worker")


def files_root(pid: str) -> str:
    return f"files/{pid}"


def serve_file_requests(p: ManagedProcess, fs: FileSystem) -> None:
    """Answer a program's file calls until its process ends (runs on its own thread)."""
    requests = getattr(p.proc, "rpc_requests", None)
    replies = getattr(p.proc, "rpc_replies", None)
    if requests is None or replies is None:
        return
    buf = b""
    while True:
        try:
            chunk = requests.read(65536)
        except (OSError, ValueError):
            return
        if not chunk:
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            try:
                answer = file_request(fs, p.pid, json.loads(line))
            except (ValueError, TypeError) as exc:
                answer = {"error": True, "code": "EINVAL", "message": str(exc)}
            try:
                replies.write(json.dumps(answer).encode() + b"\n")
            except (OSError, ValueError):
                return


def file_request(fs: FileSystem, pid: str, req: dict[str, Any]) -> dict[str, Any]:
    op, path = req.get("op"), req.get("path")
    if not isinstance(path, str):
        return {"error": True, "code": "EINVAL"}
    root = files_root(pid)
    try:
        rel = "" if op == "list" and path in (".", "./", "") else normalize(path)
    except PathEscape:
        return {"error": True, "code": "EACCES"}
    full = f"{root}/{rel}" if rel else root
    try:
        if op == "read":
            return {"b64": base64.b64encode(fs.read(full)).decode()}
        if op == "write":
            fs.write(full, base64.b64decode(req.get("b64", "")))
            return {}
        if op == "append":
            fs.append(full, base64.b64decode(req.get("b64", "")))
            return {}
        if op == "delete":
            fs.delete(full)
            return {}
        if op == "stat":
            try:
                st = fs.stat(full)
                return {"size": st.size, "mtime": st.mtime}
            except NotFound:
                if fs.list(full):
                    return {"size": 0, "mtime": 0, "dir": True}
                raise
        if op == "list":
            prefix = full + "/"
            names = sorted({f[len(prefix):].split("/", 1)[0] for f in fs.list(full) if f.startswith(prefix)})
            return {"names": names}
    except NotFound:
        return {"error": True, "code": "ENOENT"}
    except Exception as exc:  # the program gets an I/O error, the worker goes on
        log.warning("file request %s %s of %s failed: %s", op, path, pid, exc)
        return {"error": True, "code": "EIO"}
    return {"error": True, "code": "ENOSYS"}


def _allowed(topic: str, pattern: bool) -> bool:
    first = topic.split("/", 1)[0]
    if first == "things":
        return False
    return not (pattern and first in ("#", "+"))


class ProgramBus:
    """A program's pub/sub on one worker: its own client (``prog-<pid>-<worker>``) with durable
    subscriptions, forwarding messages to the program's runtime.

    Moving a program must neither lose nor reorder its messages, whatever the broker does
    with a client that goes away. So the source *pauses* (keeps receiving, buffers), the
    target subscribes while restoring and buffers too, and once the target has the program
    the source ends its subscriptions and *hands over* what it buffered; the target delivers
    that first, then its own buffer (the runtime drops repeats by message id).
    """

    HANDOVER_WAIT = 10.0  # seconds a target waits for the source's handover before going on

    def __init__(self, worker_bus: PubSub, p: ManagedProcess, worker_id: str, paused: bool = False) -> None:
        self.worker_bus = worker_bus
        self.p = p
        self.client_id = f"prog-{p.pid}-{worker_id}"
        self.client: PubSub | None = None
        self.subs: dict[int, tuple[str, Subscription | None]] = {}
        self.paused = paused
        self.buffer: list[dict[str, Any]] = []
        self._lock = threading.RLock()
        if paused:
            threading.Timer(self.HANDOVER_WAIT, self.take_handover, args=([],)).start()

    def _client(self) -> PubSub:
        if self.client is None:
            self.client = type(self.worker_bus)(self.worker_bus.url, client_id=self.client_id)
            self.client.connect()
        return self.client

    def handle(self, msg: dict[str, Any]) -> None:
        kind = msg.get("type")
        if kind == "publish":
            topic, data = msg.get("topic"), msg.get("data") or {}
            if not isinstance(topic, str) or not _allowed(topic, False):
                log.warning("program %s may not publish on %r", self.p.pid, topic)
                return
            payload = base64.b64decode(data["b64"]) if "b64" in data else str(data.get("s", "")).encode()
            self.worker_bus.publish(topic, payload)
        elif kind == "subscribe":
            sid, pattern = msg.get("sub"), msg.get("pattern")
            if not isinstance(sid, int) or not isinstance(pattern, str) or not _allowed(pattern, True):
                log.warning("program %s may not subscribe to %r", self.p.pid, pattern)
                return
            with self._lock:
                sub = self._client().subscribe(pattern, self._forward(sid), durable=True)
                self.subs[sid] = (pattern, sub)
        elif kind == "unsubscribe":
            with self._lock:
                entry = self.subs.pop(msg.get("sub"), None)  # type: ignore[arg-type]
                if entry and entry[1] is not None and self.client is not None:
                    self.client.unsubscribe(entry[1])

    def _forward(self, sid: int):  # noqa: ANN202 - a small closure
        def forward(m: Message) -> None:
            item = {"type": "message", "sub": sid, "topic": m.topic, "id": m.id,
                    "b64": base64.b64encode(m.payload).decode()}
            with self._lock:
                if self.paused:
                    self.buffer.append(item)
                    return
            self.p.proc.send(item)

        return forward

    def pause(self) -> None:
        """Keep receiving, but hold messages back (the program is being snapshotted)."""
        with self._lock:
            self.paused = True

    def resume(self) -> None:
        """The move failed: deliver what was held back, and go on as before."""
        with self._lock:
            held, self.buffer, self.paused = self.buffer, [], False
            for item in held:
                self.p.proc.send(item)

    def handover(self) -> list[dict[str, Any]]:
        """The program runs elsewhere now: end this worker's subscriptions for it and give
        back what was held (the target delivers it). Messages the broker sent before it saw
        the unsubscription may still be on their way: they are waited for (until nothing has
        come for a moment) before the client closes, so that none is lost with it."""
        with self._lock:
            client = self.client
            subs = list(self.subs.values())
        if client is not None:
            for _, sub in subs:
                if sub is not None:
                    try:
                        client.unsubscribe(sub)
                    except Exception:  # the broker may be gone: nothing more will come then
                        pass
            quiet_since = time.monotonic()
            seen = len(self.buffer)
            deadline = quiet_since + 2.0
            while time.monotonic() < deadline and time.monotonic() - quiet_since < 0.25:
                time.sleep(0.02)
                with self._lock:
                    if len(self.buffer) != seen:
                        seen, quiet_since = len(self.buffer), time.monotonic()
        self.end()
        with self._lock:
            held, self.buffer = self.buffer, []
        return held

    def take_handover(self, items: list[dict[str, Any]]) -> None:
        """On the target: the source's held messages first, then ours, then live delivery."""
        with self._lock:
            if not self.paused:
                return
            own, self.buffer, self.paused = self.buffer, [], False
            for item in [*items, *own]:
                if isinstance(item, dict) and item.get("type") == "message":
                    self.p.proc.send(item)

    def end(self) -> None:
        """The program ended (or left): its subscriptions on this worker end with it."""
        with self._lock:
            client, self.client = self.client, None
            subs, self.subs = self.subs, {}
        if client is not None:
            for _, sub in subs.values():
                if sub is not None:
                    try:
                        client.unsubscribe(sub)
                    except Exception:  # the broker may be gone; nothing to keep then
                        pass
            client.close()
