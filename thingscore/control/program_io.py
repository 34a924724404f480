"""What a worker does for the programs it runs: their files in the global FS (synchronous
requests on a pipe of their own) and their pub/sub (a client per program, whose durable
subscriptions keep collecting messages while the program moves between workers).

A program's files live under ``files/<process id>/`` of the global FS, so they follow it;
paths that would leave that folder are refused (``EACCES``, logged): ``..`` anywhere it would
climb out, absolute paths (``/x``, ``\\x``, ``C:x``), backslashes read as separators, NUL and
other control characters, and whatever the file system itself refuses (the local plugin
resolves symlinks and refuses a real location outside its root). Names are never URL-decoded:
``%2e%2e`` is a file of that name, inside the folder. A request the worker cannot read (not
JSON, not an object, too long) is answered with an error; the program's thread goes on.
Programs may not touch the control plane's own topics (``things/...``) nor subscribe to
everything.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import threading
import time
from typing import Any

from thingscore import program_rpc
from thingscore.fs import FileSystem, NotFound, PathEscape, normalize
from thingscore.instrument import dynamic
from thingscore.pubsub import Message, PubSub, Subscription

from . import mailbox, protocol
from .process import ManagedProcess

log = logging.getLogger("things.worker")


#: What a process id may be (it names the program's folder in the global FS).
PID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
#: The longest request line a program may send (a write's data included, as base64).
MAX_REQUEST_BYTES = program_rpc.MAX_REQUEST_BYTES
MAX_PATH_CHARS = 4096
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def files_root(pid: str) -> str:
    """The program's folder; a process id that is not a plain name (``..``, ``a/b``) is refused,
    since it would put the folder somewhere else in the global FS."""
    if not isinstance(pid, str) or not PID_RE.fullmatch(pid) or pid.strip(".") == "":
        raise PathEscape(f"invalid process id {pid!r}")
    return f"files/{pid}"


def serve_file_requests(p: ManagedProcess, fs: FileSystem) -> None:
    """Answer a program's file calls until its process ends (runs on its own thread). Nothing a
    program sends ends this thread or the worker: a bad request gets an error answer."""
    requests = getattr(p.proc, "rpc_requests", None)
    replies = getattr(p.proc, "rpc_replies", None)
    if requests is None or replies is None:
        return
    # MAX_REQUEST_BYTES read now: a test may lower it
    program_rpc.serve_lines(requests, replies, lambda line: _answer(fs, p.pid, line), MAX_REQUEST_BYTES,
                            f"program {p.pid}")


def _answer(fs: FileSystem, pid: str, line: bytes) -> dict[str, Any]:
    try:
        req = json.loads(line)
    except (ValueError, RecursionError) as exc:  # not JSON, or nested past Python's stack
        return {"error": True, "code": "EINVAL", "message": f"malformed request: {type(exc).__name__}"}
    if not isinstance(req, dict):
        return {"error": True, "code": "EINVAL", "message": "a request is a JSON object"}
    try:
        if req.get("op") in dynamic.OPS:  # code the program makes at run time (instrument/dynamic.py)
            return dynamic.answer(req)
        return file_request(fs, pid, req)
    except Exception as exc:  # never the end of the thread: the program would wait forever
        log.warning("file request of %s failed: %s", pid, exc)
        return {"error": True, "code": "EIO", "message": str(exc)}


def program_path(pid: str, path: str, *, listing: bool = False) -> str:
    """Where ``path`` of program ``pid`` is in the global FS, or PathEscape saying why not."""
    root = files_root(pid)
    if listing and path in (".", "./", ""):
        return root
    if len(path) > MAX_PATH_CHARS:
        raise PathEscape(f"path longer than {MAX_PATH_CHARS} characters")
    if _CONTROL_CHARS.search(path):
        raise PathEscape(f"control character in path {path!r}")
    full = normalize(f"{root}/{normalize(path)}")
    if not full.startswith(root + "/"):  # normalize already refuses; kept as the last word
        raise PathEscape(f"path escapes the program's folder: {path!r}")
    return full


def file_request(fs: FileSystem, pid: str, req: dict[str, Any]) -> dict[str, Any]:
    """One file call of a program, answered as data (the program's fs module raises from it)."""
    op, path = req.get("op"), req.get("path")
    if not isinstance(path, str):
        return {"error": True, "code": "EINVAL", "message": "path must be a string"}
    try:
        full = program_path(pid, path, listing=op in ("list", "stat"))
    except PathEscape as exc:
        log.warning("program %s: %s %r refused: %s", pid, op, path, exc)
        return {"error": True, "code": "EACCES", "message": str(exc)}
    try:
        if op == "read":
            return {"b64": base64.b64encode(fs.read(full)).decode()}
        if op == "write":
            fs.write(full, _data(req))
            return {}
        if op == "append":
            fs.append(full, _data(req))
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
    except PathEscape as exc:  # the file system's own refusal (a symlink out of the local root)
        log.warning("program %s: %s %r refused by the file system: %s", pid, op, path, exc)
        return {"error": True, "code": "EACCES", "message": str(exc)}
    except _BadData as exc:
        return {"error": True, "code": "EINVAL", "message": str(exc)}
    except Exception as exc:  # the program gets an I/O error, the worker goes on
        log.warning("file request %s %s of %s failed: %s", op, path, pid, exc)
        return {"error": True, "code": "EIO"}
    return {"error": True, "code": "ENOSYS", "message": f"unknown operation {op!r}"}


class _BadData(ValueError):
    """A write/append whose data is not base64."""


def _data(req: dict[str, Any]) -> bytes:
    b64 = req.get("b64", "")
    if not isinstance(b64, str):
        raise _BadData("b64 must be a string")
    try:
        return base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _BadData(f"data is not base64: {exc}") from exc


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

    def __init__(self, worker_bus: PubSub, p: ManagedProcess, worker_id: str, paused: bool = False,
                 fs: FileSystem | None = None) -> None:
        self.worker_bus = worker_bus
        self.fs = fs  # where its subscriptions are recorded for the schedulers' mail keepers
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
            own = topic == protocol.post_out_topic(self.p.pid)  # a Web Worker's postMessage
            if not isinstance(topic, str) or not (own or _allowed(topic, False)):
                log.warning("program %s may not publish on %r", self.p.pid, topic)
                return
            payload = base64.b64decode(data["b64"]) if "b64" in data else str(data.get("s", "")).encode()
            self.worker_bus.publish(topic, payload)
        elif kind == "subscribe":
            sid, pattern = msg.get("sub"), msg.get("pattern")
            # (a Web Worker's own channel is sub 0, under things/: that one topic and no other)
            own = sid == 0 and pattern == protocol.post_in_topic(self.p.pid)
            if not isinstance(sid, int) or not isinstance(pattern, str) or not (own or _allowed(pattern, True)):
                log.warning("program %s may not subscribe to %r", self.p.pid, pattern)
                return
            with self._lock:
                sub = self._client().subscribe(pattern, self._forward(sid), durable=True)
                self.subs[sid] = (pattern, sub)
            self._record_subs()
        elif kind == "unsubscribe":
            with self._lock:
                entry = self.subs.pop(msg.get("sub"), None)  # type: ignore[arg-type]
                if entry and entry[1] is not None and self.client is not None:
                    self.client.unsubscribe(entry[1])
            self._record_subs()

    def _record_subs(self) -> None:
        if self.fs is not None:
            with self._lock:
                subs = {sid: pattern for sid, (pattern, _) in self.subs.items()}
            mailbox.write_subs(self.fs, self.worker_bus, self.p.pid, subs)

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
