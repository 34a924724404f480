"""The WebSocket server of ``things gateway``: frames in, :class:`~.door.Door` calls, frames out.

One asyncio loop serves every page. A page's frames are read in order; the quick ones
(``post``, ``ack``, ``attach``, ``pause``, ``resume``, ``terminate``) run one after the other so
that a post never overtakes the pause before it, while the long ones (``run``, ``offload``,
``bringBack``, ``migrate``, ``instrument``, ``ps``, ``workers``) run as tasks: a page keeps
posting while its program moves, and those posts wait in its channel, not in this loop.
The door's blocking calls run on threads. Everything a page receives goes through one queue
per connection, so the program's messages and the answers keep the order they were made in.

Nothing a page sends stops the server: a bad frame gets an error frame; a failure inside an
operation is logged and answered with ``failed``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from thingscore.security.policy import GATEWAY_OPS

from . import auth, wire
from .auth import Principal, Unauthorized
from .channel import Refused
from .door import Door, OpError

log = logging.getLogger("things.gateway")

THREADS = 64
QUICK = frozenset({"post", "ack", "attach", "pause", "resume", "terminate"})


class Page:
    """One page's connection: who it is, what it listens to, and its outgoing queue."""

    def __init__(self, ws: ServerConnection, loop: asyncio.AbstractEventLoop) -> None:
        self.ws = ws
        self.loop = loop
        self.who: Principal | None = None
        self.nonce = auth.challenge()
        self.attached: set[str] = set()
        self.out: asyncio.Queue[str | None] = asyncio.Queue()

    def send(self, frame: str) -> None:
        """Queue a frame (from the loop's thread)."""
        self.out.put_nowait(frame)

    def send_threadsafe(self, frame: str) -> None:
        self.loop.call_soon_threadsafe(self.out.put_nowait, frame)

    async def write(self) -> None:
        while (frame := await self.out.get()) is not None:
            try:
                await self.ws.send(frame)
            except ConnectionClosed:
                return

    @property
    def peer(self) -> str:
        addr = self.ws.remote_address
        return f"{addr[0]}:{addr[1]}" if isinstance(addr, tuple) and len(addr) >= 2 else str(addr)


class GatewayServer:
    def __init__(self, door: Door) -> None:
        self.door = door
        self.pages: set[Page] = set()
        door.emit = self._emit

    def _emit(self, pid: str, frame: dict[str, Any]) -> None:
        """A frame about program ``pid`` for the pages attached to it (from any thread)."""
        text = wire.encode(frame)
        for page in list(self.pages):
            if pid in page.attached:
                page.send_threadsafe(text)

    async def serve(self, host: str, port: int, ready: Callable[[Server], None] | None = None) -> None:
        # Moves hold a thread for their whole length (a bring-back ~0.25 s, a migration ~0.4 s):
        # more threads than asyncio's default (CPUs + 4), so that posts never queue behind them.
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(THREADS, thread_name_prefix="gateway"))
        async with serve(self.handle, host, port, max_size=wire.MAX_FRAME + 1024, ping_interval=20) as server:
            if ready is not None:
                ready(server)
            await server.serve_forever()

    async def handle(self, ws: ServerConnection) -> None:
        page = Page(ws, asyncio.get_running_loop())
        self.pages.add(page)
        writer = asyncio.create_task(page.write())
        tasks: set[asyncio.Task[None]] = set()
        page.send(wire.encode({"type": "hello", "v": wire.VERSION, "challenge": page.nonce,
                               "auth": "open" if self.door.ring is None else "required"}))
        try:
            async for frame in ws:
                try:
                    req = wire.parse(frame)
                except wire.WireError as exc:
                    log.info("page %s: bad frame: %s", page.peer, exc)
                    page.send(wire.error(exc.code, str(exc)))
                    continue
                if page.who is None and not await self._authenticate(page, req):
                    break
                if req.op == "auth":
                    continue
                if req.op in QUICK:
                    await self._run(page, req)
                else:
                    task = asyncio.create_task(self._run(page, req))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
        except ConnectionClosed:
            pass
        finally:
            self.pages.discard(page)
            page.out.put_nowait(None)
            await writer

    async def _authenticate(self, page: Page, req: wire.Request) -> bool:
        """The page's first frame proves who it is (an open gateway takes anyone); a page that
        cannot is told why, logged, and disconnected."""
        try:
            if req.op != "auth" and self.door.ring is not None:
                raise Unauthorized(f"authenticate first (op auth) before {req.op}")
            page.who = auth.verify(self.door.ring, page.nonce, req.get("kid"), req.get("sig"))
        except Unauthorized as exc:
            log.warning("page %s refused: %s", page.peer, exc)
            page.send(wire.error("unauthorized", str(exc), req))
            page.out.put_nowait(None)
            await asyncio.sleep(0)  # (the writer sends the error before the close)
            await page.ws.close(1008, str(exc)[:120])
            return False
        log.info("page %s authenticated as %s (%s)", page.peer, page.who.id, page.who.role)
        if req.op == "auth":
            page.send(wire.result(req, {"as": page.who.id, "role": page.who.role}))
        return True

    async def _run(self, page: Page, req: wire.Request) -> None:
        assert page.who is not None
        if page.who.role not in GATEWAY_OPS.get(req.op, frozenset()):
            page.send(wire.error("forbidden", f"a {page.who.role} key may not {req.op}", req))
            return
        try:
            answer = await self._op(page, req)
        except (OpError, Refused) as exc:
            body = {"type": "error", "id": req.id, "op": req.op, "code": exc.code, "message": str(exc)}
            if getattr(exc, "messages", None) is not None:
                body["messages"] = exc.messages  # type: ignore[attr-defined]
            page.send(wire.encode(body))
            return
        except Exception as exc:  # never the end of the gateway: the page hears, the log keeps it
            log.exception("%s of page %s failed", req.op, page.peer)
            page.send(wire.error("failed", f"{req.op} failed: {type(exc).__name__}: {exc}", req))
            return
        if answer is not None:
            page.send(answer)

    async def _op(self, page: Page, req: wire.Request) -> str | None:
        door, who, f = self.door, page.who, req.fields
        assert who is not None

        def call(fn: Callable[..., Any], *args: Any) -> Awaitable[Any]:
            return asyncio.to_thread(fn, *args)

        op = req.op
        if op == "post":
            seq, _ = await call(door.post, who, f["pid"], f.get("seq"), f.get("data"), f.get("value"))
            return wire.encode({"type": "ack", "id": req.id, "pid": f["pid"], "seq": seq})
        if op == "ack":
            door.own(who, f["pid"]).acked(f["seq"])
            return None
        if op == "attach":
            ch = await call(door.own, who, f["pid"])
            with ch.lock:  # (messages numbered from now on are emitted after these)
                page.attached.add(ch.pid)
                for seq, data in ch.since(f.get("after") or 0):
                    page.send(wire.encode({"type": "message", "pid": ch.pid, "seq": seq, "data": data}))
                described = ch.describe()
                if ch.brought is not None:  # a bring-back whose answer the page may have missed
                    described["brought"] = ch.brought
            return wire.result(req, described)
        if op in ("pause", "resume", "terminate"):
            return wire.result(req, await call(getattr(door, op), who, f["pid"]))
        if op == "instrument":
            return wire.result(req, await call(door.instrument, who, f.get("source"), f.get("path"), f.get("name")))
        if op in ("run", "offload"):
            # attached as soon as its id is drawn: its first messages reach this page
            answer = await call(getattr(door, op), who, f, page.attached.add)
            return wire.result(req, answer)
        if op == "bringBack":
            return wire.result(req, await call(door.bring_back, who, f["pid"]))
        if op == "migrate":
            return wire.result(req, await call(door.migrate, who, f["pid"], f["worker"]))
        if op == "ps":
            return wire.result(req, await call(door.ps, who))
        if op == "workers":
            return wire.result(req, await call(door.workers))
        raise OpError("unknown-op", f"unknown operation {op}")  # (wire.parse refuses these first)
