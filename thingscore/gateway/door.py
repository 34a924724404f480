"""What the gateway does in the cluster for a page: the operations of :mod:`.wire`, as plain
blocking calls (the WebSocket server runs them on threads).

Every control message goes through the :class:`~thingscore.control.dispatcher.Dispatcher`
(signed with the gateway's dispatcher key when the cluster has keys); the gateway adds what a
page needs around it: ownership (:mod:`.owners`), the channels that survive moves
(:mod:`.channel`), placement by the cluster's policy (:mod:`.placement`), and the two moves
that involve the page itself, *offload* (a snapshot from the page restored on a worker) and
*bring back* (a worker's snapshot of it, and every message it may not have seen, to the page).

Keys: with ``--keys`` the gateway needs the dispatcher key (its commands), the worker key (an
offloaded snapshot is stored sealed as a worker's, since workers restore only those) and,
where workers encrypt snapshots, the snapshot key to read one for the page: the cluster's
full key file holds them all. The page's ``browser`` public keys come from the same file.
"""

from __future__ import annotations

import base64
import json
import logging
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from thingscore.control import mailbox, program_history, protocol, store
from thingscore.control.dispatcher import Dispatcher, DispatchError
from thingscore.fs import FileSystem, NotFound, PathEscape, normalize
from thingscore.pubsub import Message, PubSub, Subscription
from thingscore.security import sealed_files
from thingscore.security.envelope import Refused as SealRefused
from thingscore.security.keys import KeyRing, KeysError
from thingscore.snapshot import loads_bounded
from thingscore.structured_clone import MalformedClone, deserialize, serialize

from . import placement
from .auth import Principal
from .channel import ENDED, HELD, PAGE, RUNNING, STARTING, Channel, Post, Refused
from .owners import Owned, Owners

log = logging.getLogger("things.gateway")

Emit = Callable[[str, dict[str, Any]], None]

#: Where the global FS holds the programs pages may start by path (``run`` with ``path``).
PUBLISHED = "web/"


class OpError(Refused):
    """An operation refused or failed; ``code`` is the page's error code (see :mod:`.wire`)."""


class Door:
    #: After a bring-back's snapshot: how long the program's channel must be quiet (its last
    #: messages reach the page before the snapshot does), and the longest wait for that.
    SETTLE = 0.15
    SETTLE_MAX = 2.0
    #: How long a started program gets to subscribe to its channel before held posts go anyway.
    READY_WAIT = 10.0

    def __init__(self, pubsub: PubSub, fs: FileSystem | None, ring: KeyRing | None, *, policy: str | None = None,
                 timeout: float = 15.0, emit: Emit | None = None) -> None:
        self.pubsub = pubsub
        self.ring = ring
        self.sealer: KeyRing | None = None
        if ring is not None:
            try:
                self.sealer = ring.as_role("worker")
                ring.as_role("dispatcher")
            except KeysError as exc:
                raise KeysError(f"things gateway needs the cluster's full key file (dispatcher and worker keys, "
                                f"to command workers and to store the snapshots pages offload): {exc}") from exc
        self.d = Dispatcher(pubsub, fs, timeout=timeout, gather=0.5, client_id=f"gateway-{uuid.uuid4().hex[:10]}",
                            keys=ring)
        self.timeout = timeout
        self.policy = placement.load_policy(policy)
        self.emit: Emit = emit or (lambda pid, frame: None)
        self.owners = Owners(self.d.fs)
        self.channels: dict[str, Channel] = {}
        self._lock = threading.Lock()
        self._ready: dict[str, threading.Event] = {}
        self._last_out: dict[str, float] = {}
        self._subs: dict[str, list[Subscription]] = {}
        self._meta: dict[str, bool] = {}  # program hash -> is a Web Worker program
        self._notes = pubsub.subscribe(mailbox.SUBS_CHANGED, self._on_subs_changed)

    @property
    def fs(self) -> FileSystem:
        return self.d.fs

    def close(self) -> None:
        for subs in list(self._subs.values()):
            for sub in subs:
                self._unsubscribe(sub)
        self._unsubscribe(self._notes)
        self.d.close()

    def _unsubscribe(self, sub: Subscription) -> None:
        try:
            self.pubsub.unsubscribe(sub)
        except Exception:  # closing is best effort
            pass

    # -- channels -------------------------------------------------------------------------

    def _publish(self, pid: str) -> Callable[[Post], None]:
        topic = protocol.post_in_topic(pid)

        def publish(post: Post) -> None:
            self.pubsub.publish(topic, post.data.encode("utf-8"), durable=True, message_id=post.id)

        return publish

    def _open(self, owned: Owned, state: str) -> Channel:
        """The channel of ``owned`` (made, and listening to the program, on first use)."""
        with self._lock:
            ch = self.channels.get(owned.pid)
            if ch is not None:
                return ch
            ch = self.channels[owned.pid] = Channel(owned.pid, owned.owner, self._publish(owned.pid), state)
        self._subs[owned.pid] = [
            self.pubsub.subscribe(protocol.post_out_topic(owned.pid), self._on_out(ch), durable=True),
            self.pubsub.subscribe(protocol.event_topic(owned.pid), self._on_event(ch)),
        ]
        return ch

    def _on_out(self, ch: Channel) -> Callable[[Message], None]:
        def on_out(msg: Message) -> None:
            data = msg.payload.decode("utf-8", "replace")
            with ch.lock:  # numbered and handed on in one step: the page sees them in order
                seq, dropped = ch.reply(data)
                self._last_out[ch.pid] = time.monotonic()
                if dropped:
                    log.warning("program %s: %d message(s) for the page dropped unacked (outbox full)", ch.pid, dropped)
                self.emit(ch.pid, {"type": "message", "pid": ch.pid, "seq": seq, "data": data})

        return on_out

    def _on_event(self, ch: Channel) -> Callable[[Message], None]:
        def on_event(msg: Message) -> None:
            try:
                body = json.loads(msg.payload)
            except ValueError:
                return
            state, reason = body.get("state"), str(body.get("reason") or "")
            if ch.moving or state not in ("exited", "failed") or reason.startswith("migrated"):
                return
            if ch.state in (RUNNING, HELD, STARTING):
                ch.end(reason or state)
                self.emit(ch.pid, {"type": "state", "pid": ch.pid, "state": ENDED, "reason": reason or state})

        return on_event

    def _on_subs_changed(self, msg: Message) -> None:
        pid = msg.payload.decode("utf-8", "replace")
        ready = self._ready.get(pid)
        if ready is None or ready.is_set():
            return
        try:
            subs = json.loads(self.fs.read(mailbox.subs_path(pid)))
        except (NotFound, ValueError):
            return
        if isinstance(subs, dict) and protocol.post_in_topic(pid) in subs.values():
            ready.set()

    def _state(self, ch: Channel, **extra: Any) -> None:
        self.emit(ch.pid, {"type": "state", "pid": ch.pid, "state": ch.state, "worker": ch.worker or None, **extra})

    def own(self, who: Principal, pid: str) -> Channel:
        """The channel of ``pid`` if it is ``who``'s program; OpError otherwise."""
        owned = self.owners.get(pid)
        if owned is None:
            raise OpError("unknown-program", f"no program {pid!r} was started through this gateway")
        if owned.owner != who.id:
            log.warning("page %s asked for program %s of another page: refused", who.id, pid)
            raise OpError("forbidden", f"program {pid} is not this page's")
        ch = self.channels.get(pid)
        if ch is None:  # started before this gateway (re)started: where is it now?
            live = [p for p in self.d.ps() if p.get("id") == pid and p.get("state") in ("running", "paused")]
            ch = self._open(owned, RUNNING if live else PAGE)
            if live:
                ch.worker = str(live[0].get("worker"))
                if live[0].get("state") == "paused":
                    ch.paused = True
                    ch.hold("paused")
        return ch

    # -- operations -----------------------------------------------------------------------

    def instrument(self, who: Principal, source: str | None, path: str | None, name: str | None) -> dict[str, Any]:
        """Instrument a program (its text, or a file of the global FS) and store it under its hash."""
        from thingscore.instrument.bundle import instrument

        filename = Path(name or (path.rsplit("/", 1)[-1] if path else "worker.js")).name or "worker.js"
        with tempfile.TemporaryDirectory(prefix="things-gateway-") as tmp:
            file = Path(tmp) / filename
            if source is not None:
                file.write_text(source, encoding="utf-8")
            elif path is not None:
                file.write_bytes(self._published(path))
            else:
                raise OpError("bad-frame", "give the program's source or its path in the global FS")
            try:
                prog = instrument(file, cache=False)
            except Exception as exc:  # a syntax error names its line; anything else its kind
                raise OpError("bad-program", f"{filename}: {exc}") from exc
            # A page's program is the one file it sent: a require() that reaches a file of the
            # gateway's machine would hand that file's text to the page with the code.
            outside = sorted(str(m.get("file")) for m in (prog.meta.get("modules") or {}).values()
                             if isinstance(m, dict) and m.get("file")
                             and not Path(str(m["file"])).resolve().is_relative_to(Path(tmp).resolve()))
            if outside:
                log.warning("page %s: program %s requires files outside itself (%s): refused", who.id, filename,
                            ", ".join(outside[:3]))
                raise OpError("bad-program", f"{filename} requires {len(outside)} file(s) outside the program the "
                              "page sent: a page's program is one file (bundle its modules into it)")
        code = prog.render()
        store.put_program(self.fs, prog.hash, code, self.d.keys)
        uses = list(prog.meta.get("webWorker") or [])
        self._meta[prog.hash] = bool(uses)
        return {"hash": prog.hash, "code": code, "webWorker": uses, "name": filename}

    def _published(self, path: str) -> bytes:
        """A program file the cluster publishes for pages: under ``web/`` of the global FS, and
        nowhere else (the rest of it holds other programs' files and state)."""
        try:
            norm = normalize(path)
        except PathEscape as exc:
            raise OpError("bad-frame", f"path {path!r}: {exc}") from exc
        if not norm.startswith(PUBLISHED):
            raise OpError("forbidden", f"pages may run files under {PUBLISHED} of the global FS, not {path!r}")
        try:
            return self.fs.read(norm)
        except NotFound as exc:
            raise OpError("unknown-program", f"no file {norm!r} in the global FS") from exc

    def _place(self, pid: str, named: str | None) -> str:
        if named:
            return named
        try:
            return placement.choose(self.policy, self.d.workers(), self.d.ps(), pid)
        except placement.NoWorker as exc:
            raise OpError("failed", f"no worker for {pid}: {exc}") from exc

    def _code_known(self, phash: str) -> None:
        if not self.fs.exists(store.program_path(phash)):
            raise OpError("unknown-program", f"no program {phash[:16]} in the cluster: send it with instrument first")

    def run(self, who: Principal, f: dict[str, Any], on_pid: Callable[[str], None] | None = None) -> dict[str, Any]:
        """Start a program (its text, a file of the global FS, or a stored hash); ``on_pid`` hears
        its id before it starts (the page listens from its first message on)."""
        phash, name = f.get("hash"), f.get("name")
        if phash is None:
            made = self.instrument(who, f.get("source"), f.get("path"), name)
            phash, name = made["hash"], made["name"]
        else:
            self._code_known(phash)
        if self._meta.get(phash) is False:
            raise OpError("bad-program", f"{name or phash[:16]} is not a Web Worker program (it never uses "
                          "self.onmessage, addEventListener('message') or postMessage): a page cannot talk to it")
        pid = uuid.uuid4().hex[:12]
        if on_pid is not None:
            on_pid(pid)
        owned = Owned(pid=pid, owner=who.id, hash=phash, name=name or pid)
        self.owners.record(owned)
        ready = self._ready[pid] = threading.Event()
        ch = self._open(owned, STARTING)
        try:
            worker = self._place(pid, f.get("worker"))
            self.d.run_stored(worker, phash, owned.name, args=[str(a) for a in f.get("args") or []], pid=pid)
        except (DispatchError, OpError) as exc:
            self._ready.pop(pid, None)
            ch.end(f"not started: {exc}")
            raise OpError(getattr(exc, "code", "failed"), str(exc)) from exc
        if not ready.wait(self.READY_WAIT):
            log.warning("program %s did not subscribe to its channel within %gs: posts go anyway", pid,
                        self.READY_WAIT)
        self._ready.pop(pid, None)
        ch.release(worker)
        self._state(ch)
        return {"pid": pid, "worker": worker, "hash": phash}

    def offload(self, who: Principal, f: dict[str, Any],
                on_pid: Callable[[str], None] | None = None) -> dict[str, Any]:
        """Restore on a worker a program the page ran in its own Web Worker, from its snapshot."""
        phash, text = f["hash"], f["snapshot"]
        self._code_known(phash)
        try:
            snap = loads_bounded(text)
        except ValueError as exc:
            raise OpError("bad-frame", f"snapshot is not JSON: {str(exc)[:120]}") from exc
        if not isinstance(snap, dict) or snap.get("program") != phash:
            raise OpError("bad-frame", f"the snapshot is not one of program {phash[:16]}")
        pid = f.get("pid")
        if pid:
            if on_pid is not None:
                on_pid(pid)
            ch = self.own(who, pid)
            if ch.state != PAGE:
                raise OpError("busy", f"program {pid} is not in the page (it is {ch.state}): only a page's "
                              "program can be offloaded")
            owned = self.owners.get(pid)
            assert owned is not None
        else:
            pid = uuid.uuid4().hex[:12]
            if on_pid is not None:
                on_pid(pid)
            owned = Owned(pid=pid, owner=who.id, hash=phash, name=str(f.get("name") or pid))
            self.owners.record(owned)
            ch = self._open(owned, PAGE)
        ch.moving = True
        ch.from_page(f.get("inSeq"))
        self._state(ch)
        try:
            worker = self._place(pid, f.get("worker"))
            restored = self._restore(owned, worker, text.encode("utf-8"), self._items(pid, f.get("messages") or []))
        except (OpError, DispatchError, OSError, SealRefused) as exc:
            with ch.lock:  # it stays in the page, with what was posted meanwhile
                back = [p.as_item() for p in ch.to_page()]
                ch.moving = False
            self._state(ch)
            err = OpError(getattr(exc, "code", "failed"), f"offload of {pid} failed: {exc}")
            err.messages = back  # type: ignore[attr-defined]
            raise err from exc
        ch.release(worker)
        ch.moving = False
        self._state(ch)
        return {"pid": pid, "worker": worker, "restore_ms": restored.get("restore_ms")}

    def _items(self, pid: str, messages: list[Any]) -> list[dict[str, Any]]:
        """The page's unhandled messages as a worker's handover takes them."""
        items = []
        for i, m in enumerate(messages):
            if not isinstance(m, dict) or not isinstance(m.get("data"), str):
                raise OpError("bad-frame", "messages are objects {id, data} with data a structured clone text")
            self._check_clone(m["data"])
            mid = m.get("id") if isinstance(m.get("id"), str) else f"{pid}.page.{uuid.uuid4().hex[:8]}.{i}"
            items.append({"type": "message", "sub": 0, "topic": protocol.post_in_topic(pid), "id": mid,
                          "b64": base64.b64encode(m["data"].encode("utf-8")).decode("ascii")})
        return items

    def _restore(self, owned: Owned, worker: str, snapshot: bytes, items: list[dict[str, Any]]) -> dict[str, Any]:
        """Restore ``owned`` on ``worker`` from a snapshot the page took, then hand it ``items``."""
        self.d.check_worker(worker)
        if self.sealer is not None:
            snapshot = sealed_files.seal_file(self.sealer, "snapshot", owned.hash, snapshot)
        path = store.snapshot_path(owned.pid)
        self.fs.write(path, snapshot)
        restored = None
        try:
            restored = self.d.request(worker, "restore", {
                "program": store.program_path(owned.hash), "hash": owned.hash, "snapshot": path, "pid": owned.pid,
                "name": owned.name, "epoch": self._next_epoch(owned.pid), "handover": True, "by_hand": True},
                timeout=self.timeout + 30)
            # (the restored program holds its channel until this handover: the page's messages first)
            self.d.request(worker, "handover", {"pid": owned.pid, "messages": items})
        except DispatchError:
            if restored is None:
                raise
            # It runs there now (a second copy must not stay in the page); without the handover
            # its worker delivers its channel after a while, and the page's messages are lost.
            log.error("program %s restored on %s, but the page's %d unhandled message(s) could not be handed "
                      "over", owned.pid, worker, len(items))
        finally:
            try:
                self.fs.delete(path)
            except Exception as exc:
                log.debug("could not remove %s: %s", path, exc)
        return restored if isinstance(restored, dict) else {}

    def _next_epoch(self, pid: str) -> int:
        """Above every stay of ``pid`` so far: a copy of an older stay that comes back is fenced."""
        records = program_history.read(self.fs, pid) or []
        return max((r["epoch"] for r in records if isinstance(r.get("epoch"), int)
                    and not isinstance(r["epoch"], bool)), default=0) + 1

    def bring_back(self, who: Principal, pid: str) -> dict[str, Any]:
        """The program back into the page: its worker snapshots it and stops it at that boundary;
        the page gets the snapshot and every post the stopped copy may not have handled."""
        ch = self._claim_move(who, pid)
        try:
            ch.hold("bringing back")
            worker = self.d.locate(pid)
            if ch.paused:
                self.d.request(worker, "resume", {"pid": pid})
            taken = self.d.request(worker, "snapshot", {"pid": pid, "stop": True}, timeout=self.timeout + 30)
        except DispatchError as exc:
            self._resume_channel(ch)
            raise OpError("failed", f"cannot bring {pid} back: {exc}; it runs on") from exc
        owned = self.owners.get(pid)
        assert owned is not None
        path = str(taken.get("snapshot"))
        try:
            text = sealed_files.open_file(self.ring, self.fs.read(path), "snapshot", owned.hash,
                                          frozenset({"worker"}), f"snapshot {path}").decode("utf-8")
        except (SealRefused, OSError, ValueError) as exc:
            log.warning("snapshot %s of %s cannot be read for the page (%s): restoring it on %s", path, pid, exc,
                        worker)
            self._put_back(owned, worker, path)
            self._resume_channel(ch)
            raise OpError("failed", f"cannot bring {pid} back: its snapshot cannot be read here ({exc}); "
                          f"it runs on at {worker}") from exc
        self._settle(pid)
        with ch.lock:
            posts = ch.to_page()
            ch.moving = ch.paused = False
            out_seq = ch.out_seq
        brought = {"pid": pid, "hash": owned.hash, "snapshot": text, "messages": [p.as_item() for p in posts],
                   "inSeq": ch.in_seq or 0, "outSeq": out_seq, "from": worker, "snapshot_ms": taken.get("ms")}
        ch.brought = brought  # kept for a page that reconnects before it got this answer (`attach`)
        self._state(ch)
        return brought

    def _put_back(self, owned: Owned, worker: str, path: str) -> None:
        try:
            self.d.request(worker, "restore", {"program": store.program_path(owned.hash), "hash": owned.hash,
                                               "snapshot": path, "pid": owned.pid, "name": owned.name,
                                               "epoch": self._next_epoch(owned.pid), "handover": False,
                                               "by_hand": True}, timeout=self.timeout + 30)
        except DispatchError as exc:
            log.error("program %s could not be restored on %s: %s; `things dispatch restore %s WORKER` carries on",
                      owned.pid, worker, exc, owned.pid)

    def _settle(self, pid: str) -> None:
        """Wait until the program's last messages (posted before its snapshot) have come in."""
        start = time.monotonic()
        while time.monotonic() - start < self.SETTLE_MAX:
            last = self._last_out.get(pid, 0.0)
            if time.monotonic() - max(last, start) >= self.SETTLE:
                return
            time.sleep(0.02)

    def _claim_move(self, who: Principal, pid: str) -> Channel:
        ch = self.own(who, pid)
        with ch.lock:
            if ch.state in (PAGE, ENDED):
                raise OpError("not-here", f"program {pid} is not in the cluster (it is {ch.state})")
            if ch.moving:
                raise OpError("busy", f"program {pid} is being moved already")
            ch.moving = True
        return ch

    def _resume_channel(self, ch: Channel) -> None:
        with ch.lock:
            ch.moving = False
            if ch.paused:
                ch.hold("paused")
            else:
                ch.release()

    def migrate(self, who: Principal, pid: str, target: str) -> dict[str, Any]:
        ch = self._claim_move(who, pid)
        if ch.paused:
            ch.moving = False
            raise OpError("failed", f"program {pid} is paused: resume it to move it")
        try:
            ch.hold("moving")
            self._state(ch)
            done = self.d.migrate(pid, target)
        except DispatchError as exc:
            self._resume_channel(ch)
            raise OpError("failed", str(exc)) from exc
        with ch.lock:
            ch.moving = False
            ch.release(target)
        self._state(ch)
        return {"pid": pid, **{k: v for k, v in done.items() if k != "id"}}

    def pause(self, who: Principal, pid: str) -> dict[str, Any]:
        ch = self.own(who, pid)
        if ch.state != RUNNING or ch.moving:
            raise OpError("not-here", f"program {pid} is {ch.state}{' and moving' if ch.moving else ''}, not running")
        ch.hold("paused")  # first: no post may reach a stopped process
        ch.paused = True
        try:
            self.d.command("pause", pid)
        except DispatchError as exc:
            ch.paused = False
            ch.release()
            raise OpError("failed", str(exc)) from exc
        self._state(ch)
        return {"pid": pid, "state": "paused"}

    def resume(self, who: Principal, pid: str) -> dict[str, Any]:
        ch = self.own(who, pid)
        if not ch.paused:
            raise OpError("not-here", f"program {pid} is not paused")
        try:
            self.d.command("resume", pid)
        except DispatchError as exc:
            raise OpError("failed", str(exc)) from exc
        with ch.lock:
            ch.paused = False
            if not ch.moving:
                ch.release()
        self._state(ch)
        return {"pid": pid, "state": "running"}

    def terminate(self, who: Principal, pid: str) -> dict[str, Any]:
        ch = self.own(who, pid)
        if ch.state in (RUNNING, HELD, STARTING):
            try:
                self.d.command("kill", pid)
            except DispatchError as exc:
                raise OpError("failed", str(exc)) from exc
        ch.end("terminated by the page")
        self._state(ch)
        return {"pid": pid, "state": ENDED}

    def _check_clone(self, data: str) -> None:
        try:
            deserialize(data)
        except MalformedClone as exc:
            raise OpError("uncloneable", f"data is not a structured clone ({exc}): functions, symbols and DOM "
                          "nodes cannot be posted (DataCloneError)") from exc

    def post(self, who: Principal, pid: str, seq: int | None, data: str | None, value: Any) -> tuple[int, bool]:
        ch = self.own(who, pid)
        if data is None:
            try:
                data = serialize(value)
            except ValueError as exc:
                raise OpError("uncloneable", f"value cannot be cloned: {exc}") from exc
        else:
            self._check_clone(data)
        return ch.accept(seq, data)

    def ps(self, who: Principal) -> dict[str, Any]:
        mine = {o.pid: o for o in self.owners.of(who.id)}
        live = {p["id"]: p for p in self.d.ps() if p.get("id") in mine}
        out = []
        for pid, owned in sorted(mine.items()):
            ch = self.channels.get(pid)
            row: dict[str, Any] = {"id": pid, "name": owned.name, "hash": owned.hash}
            if ch is not None:
                row.update(ch.describe())
            if pid in live:
                row.update({k: live[pid].get(k) for k in ("worker", "runtime", "rss_bytes", "cpu_seconds")
                            if k in live[pid]})
                row["cluster_state"] = live[pid].get("state")
            out.append(row)
        return {"programs": out}

    def workers(self) -> dict[str, Any]:
        keep = ("worker", "runtime", "labels", "capacity", "processes", "draining")
        return {"workers": [{k: w.get(k) for k in keep} for w in self.d.workers()]}
