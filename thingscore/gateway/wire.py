"""The page <-> gateway protocol of ``things gateway`` (version 1): JSON text frames on one
WebSocket. The page library (``things-web.js``) follows this module; nothing else defines it.

Every frame is one JSON object. A page's frame carries ``"v": 1`` and ``"op"``, and may carry
an ``"id"`` (any short string) that the answer repeats. The gateway answers each operation
with exactly one ``result`` or ``error`` frame; it also sends ``message``, ``ack`` and
``state`` frames on its own.

Gateway -> page::

    {"type": "hello",   "v": 1, "challenge": "<hex>", "auth": "required" | "open"}   (first frame)
    {"type": "result",  "id", "op", "result": {...}}
    {"type": "error",   "id"?, "op"?, "code": "<code>", "message": "<what and why>"}
    {"type": "message", "pid", "seq": n, "data": "<structured clone text>"}   (the program's postMessage)
    {"type": "ack",     "pid", "seq": n}                                      (posts up to n are the gateway's)
    {"type": "state",   "pid", "state": "starting|running|held|page|ended", "worker"?, "reason"?}

Page -> gateway (``op`` and its fields; ``pid`` names one of the page's own programs)::

    auth       kid, sig        sig: base64 Ed25519 signature, by the page's ``browser`` key named
                               kid, of b"things-gateway-auth/1\\n" + challenge (ASCII)
    instrument source | path, name?     -> {hash, code, webWorker}  code: the instrumented program,
                               for the page's own Web Worker; stored in the cluster under its hash.
                               source: one file (a require() of anything else is refused);
                               path: a file under web/ of the global FS
    run        source | path | hash, name?, worker?, args?  -> {pid, worker}
                               worker omitted: the scheduler policy's choice
    offload    hash, snapshot, pid?, worker?, messages?, inSeq?  -> {pid, worker, restore_ms}
                               snapshot: the text of a snapshot taken in the page's Web Worker;
                               messages: [{id, data}] it had not handled yet (delivered first);
                               inSeq: the last post seq the page's own worker handled
    bringBack  pid             -> {pid, hash, snapshot, messages: [{id, data}], inSeq, outSeq}
                               the worker snapshots the program and stops it; the page restores
                               the snapshot in its Web Worker and delivers ``messages`` to it by
                               id (its runtime drops those the snapshot already has)
    migrate    pid, worker     -> {pid, worker, downtime_ms, ...}
    post       pid, seq?, data | value   data: a structured clone text (jsruntime/structured_clone.js);
                               value: plain JSON, cloned by the gateway. Answered by an ack frame.
    ack        pid, seq        the page has the program's messages up to seq (the gateway forgets them)
    attach     pid, after?     this connection receives the program's messages (again from after+1);
                               -> the program's state, and ``brought`` (the last bringBack's
                               result) when it is in the page: a page that lost that answer
                               with its connection gets it again
    pause | resume | terminate pid
    ps                         -> {programs: [...]}   the page's own programs
    workers                    -> {workers: [...]}

Error codes: ``bad-frame`` (not JSON, not an object, a field of the wrong type), ``version``,
``unknown-op``, ``unauthorized`` (no or a bad key: the connection is then closed with 1008),
``forbidden`` (not the page's program), ``unknown-program``, ``uncloneable`` (not a structured
clone: functions, DOM nodes and symbols cannot be posted), ``bad-program`` (a program that does not
parse, is not a Web Worker program, or requires files beyond itself), ``gap`` (a post seq skipped one:
resend from the ack), ``not-here`` (the program is not in the cluster now: in the page, or
ended), ``busy`` (another move of it is under way), ``failed`` (the cluster refused: the
message says why).

Sequence numbers, per program and per direction, start at 1. Posts: the page numbers them;
the gateway takes seq == last + 1, acks a repeat (seq <= last) without delivering it again,
and refuses a gap. Messages to the page: the gateway numbers them and keeps them until the
page acks them, so that a page that reconnects (``attach`` with ``after``) loses none and can
drop repeats by seq. See :mod:`thingscore.gateway.channel` for where exactly-once comes from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

VERSION = 1
AUTH_CONTEXT = b"things-gateway-auth/1\n"
MAX_FRAME = 32 * 1024 * 1024  # a snapshot of a large simulation fits; more is refused by the server
MAX_NESTING = 64

OPS = frozenset({"auth", "instrument", "run", "offload", "bringBack", "migrate", "post", "ack", "attach", "pause",
                 "resume", "terminate", "ps", "workers"})

#: field -> Python type(s) it must have when present, checked before an operation runs
_FIELDS: dict[str, tuple[type, ...]] = {
    "id": (str, int), "pid": (str,), "kid": (str,), "sig": (str,), "source": (str,), "path": (str,),
    "hash": (str,), "name": (str,), "worker": (str,), "args": (list,), "snapshot": (str,), "messages": (list,),
    "inSeq": (int,), "seq": (int,), "after": (int,), "data": (str,),
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "offload": ("hash", "snapshot"), "bringBack": ("pid",), "migrate": ("pid", "worker"), "post": ("pid",),
    "ack": ("pid", "seq"), "attach": ("pid",), "pause": ("pid",), "resume": ("pid",), "terminate": ("pid",),
}


class WireError(ValueError):
    """A frame the gateway cannot act on; ``code`` is the error frame's code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Request:
    op: str
    id: str | int | None
    fields: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)


def _depth_ok(text: str) -> bool:
    """Nesting under MAX_NESTING, counted before json.loads recurses into it."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def parse(frame: str | bytes) -> Request:
    """A page's frame as a :class:`Request`, or WireError saying what is wrong with it."""
    if isinstance(frame, bytes):
        try:
            frame = frame.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WireError("bad-frame", "a frame is UTF-8 JSON text") from exc
    if len(frame) > MAX_FRAME:
        raise WireError("bad-frame", f"frame of {len(frame)} characters is too large (at most {MAX_FRAME})")
    top = frame.lstrip()[:1]
    # (a snapshot travels as a string, so only the envelope's nesting is counted)
    if top in ("{", "[") and not _depth_ok(frame):
        raise WireError("bad-frame", f"frame nested deeper than {MAX_NESTING} levels")
    try:
        obj = json.loads(frame)
    except ValueError as exc:
        raise WireError("bad-frame", f"not JSON: {str(exc)[:120]}") from exc
    if not isinstance(obj, dict):
        raise WireError("bad-frame", "a frame is a JSON object")
    rid = obj.get("id")
    if rid is not None and (not isinstance(rid, (str, int)) or isinstance(rid, bool) or len(str(rid)) > 200):
        raise WireError("bad-frame", "id must be a short string or a number")
    op = obj.get("op")
    if obj.get("v") != VERSION:
        raise WireError("version", f"protocol version {obj.get('v')!r} is not spoken here (this gateway: {VERSION})")
    if not isinstance(op, str) or op not in OPS:
        raise WireError("unknown-op", f"unknown operation {str(op)[:40]!r} (known: {', '.join(sorted(OPS))})")
    for key, types in _FIELDS.items():
        value = obj.get(key)
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            raise WireError("bad-frame", f"{op}: {key} must be {' or '.join(t.__name__ for t in types)}")
    for key in _REQUIRED.get(op, ()):
        if obj.get(key) in (None, ""):
            raise WireError("bad-frame", f"{op}: {key} is missing")
    return Request(op=op, id=rid, fields=obj)


def encode(frame: dict[str, Any]) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def result(req: Request, value: dict[str, Any]) -> str:
    return encode({"type": "result", "id": req.id, "op": req.op, "result": value})


def error(code: str, message: str, req: Request | None = None) -> str:
    body: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if req is not None:
        body["id"], body["op"] = req.id, req.op
    return encode(body)
