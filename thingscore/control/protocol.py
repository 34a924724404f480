"""Control messages on the pub/sub bus: topics, and commands and replies as JSON.

A command is ``{"id", "cmd", "args", "reply_to", "sender"}`` on a worker's command topic
(durable: it must survive a brief disconnection); the reply is ``{"re", "ok", "result" |
"error", "worker"}`` on the sender's reply topic. Anything else is refused with a clear
error (and logged by the receiver), never acted upon.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from thingscore.snapshot import loads_bounded

ROOT = "things"
BROADCAST = "all"
COMMANDS = frozenset({"run", "restore", "pause", "resume", "kill", "snapshot", "migrate", "ps", "info", "logs",
                      "handover", "drain", "replace"})
SCHEDULER_COMMANDS = frozenset({"app-run", "app-stop", "app-ls", "move", "stop", "drain", "status"})
MAX_MESSAGE = 64 * 1024 * 1024
MAX_NESTING = 100  # commands and replies are shallow; deeper is hostile (see _load)
MAX_ID = 200  # characters of a command id (ids are remembered for deduplication)
MAX_TOPIC = 1000


def command_topic(worker: str) -> str:
    return f"{ROOT}/w/{worker}/cmd"


def reply_topic(client: str) -> str:
    return f"{ROOT}/r/{client}"


def scheduler_topic() -> str:
    """The scheduler's command topic (durable, like a worker's)."""
    return f"{ROOT}/s/cmd"


def heartbeat_topic(worker: str) -> str:
    return f"{ROOT}/hb/{worker}"


HEARTBEATS = f"{ROOT}/hb/+"


def output_topic(pid: str, stream: str) -> str:
    return f"{ROOT}/p/{pid}/{stream}"


def event_topic(pid: str) -> str:
    return f"{ROOT}/p/{pid}/event"


def post_in_topic(pid: str) -> str:
    """What a page posts to a program written as a Web Worker (jsruntime/web_worker.js):
    the text of a structured clone per message (thingscore/structured_clone.py)."""
    return f"{ROOT}/p/{pid}/post/in"


def post_out_topic(pid: str) -> str:
    """What such a program posts (its ``postMessage``), for the page."""
    return f"{ROOT}/p/{pid}/post/out"


class ProtocolError(ValueError):
    """A message that is not a well-formed command or reply."""


@dataclass
class Command:
    cmd: str
    args: dict[str, Any] = field(default_factory=dict)
    reply_to: str | None = None
    sender: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def encode(self) -> bytes:
        return json.dumps({"id": self.id, "cmd": self.cmd, "args": self.args, "reply_to": self.reply_to,
                           "sender": self.sender}).encode()


@dataclass
class Reply:
    re: str
    ok: bool
    worker: str
    result: Any = None
    error: str | None = None

    def encode(self) -> bytes:
        body: dict[str, Any] = {"re": self.re, "ok": self.ok, "worker": self.worker}
        if self.ok:
            body["result"] = self.result
        else:
            body["error"] = self.error
        return json.dumps(body).encode()


def _load(payload: bytes) -> dict[str, Any]:
    """The JSON object of a message, or ProtocolError: too large, not UTF-8 JSON, or nested
    deeper than MAX_NESTING (checked before decoding: json.loads recurses once per level, and
    100,000 levels overflow the C stack of a process whose recursion limit has been raised)."""
    if not isinstance(payload, bytes | bytearray | str):
        raise ProtocolError(f"a message is bytes, not {type(payload).__name__}")
    if len(payload) > MAX_MESSAGE:
        raise ProtocolError(f"message of {len(payload)} bytes is too large")
    try:
        obj = loads_bounded(payload, MAX_NESTING)
    except ValueError as exc:  # UnicodeDecodeError and NestingError too
        raise ProtocolError(f"not JSON: {str(exc)[:200]}") from exc
    if not isinstance(obj, dict):
        raise ProtocolError("not a JSON object")
    return obj


def _is_reply_topic(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(f"{ROOT}/r/") and len(value) <= MAX_TOPIC


def decode_command(payload: bytes, allowed: frozenset[str] = COMMANDS) -> Command:
    obj = _load(payload)
    cmd, args, mid = obj.get("cmd"), obj.get("args", {}), obj.get("id")
    reply_to = obj.get("reply_to")
    sender = obj.get("sender", "")
    if not isinstance(mid, str) or not mid or len(mid) > MAX_ID:
        raise ProtocolError(f"command without an id (a string of 1 to {MAX_ID} characters)")
    if not isinstance(cmd, str) or cmd not in allowed:  # (a list or an object is not hashable)
        raise ProtocolError(f"unknown command {_show(cmd)}")
    if not isinstance(args, dict):
        raise ProtocolError("args must be an object")
    if reply_to is not None and not _is_reply_topic(reply_to):
        raise ProtocolError("reply_to must be a reply topic")
    if sender is None:
        sender = ""
    if not isinstance(sender, str) or len(sender) > MAX_TOPIC:
        raise ProtocolError("sender must be a short string")
    return Command(cmd=cmd, args=args, reply_to=reply_to, sender=sender, id=mid)


def decode_reply(payload: bytes) -> Reply:
    obj = _load(payload)
    if not isinstance(obj.get("re"), str) or not isinstance(obj.get("ok"), bool):
        raise ProtocolError("not a reply")
    worker, error = obj.get("worker", ""), obj.get("error")
    if not isinstance(worker, str) or len(worker) > MAX_TOPIC:
        raise ProtocolError("a reply's worker must be a short string")
    if error is not None and not isinstance(error, str):
        raise ProtocolError("a reply's error must be a string")
    return Reply(re=obj["re"], ok=obj["ok"], worker=worker, result=obj.get("result"), error=error)


def reply_to_of(payload: bytes) -> tuple[str | None, str | None]:
    """Best effort (reply topic, command id) of a message that failed to decode; (None, None)
    for anything that is not a JSON object naming a reply topic (never raises)."""
    try:
        obj = _load(payload)
    except ProtocolError:
        return None, None
    rt, mid = obj.get("reply_to"), obj.get("id")
    if _is_reply_topic(rt):
        return rt, mid if isinstance(mid, str) and len(mid) <= MAX_ID else ""
    return None, None


def _show(value: Any) -> str:
    """A value for an error message, short whatever a hostile sender put there."""
    text = repr(value) if isinstance(value, str | int | float | bool | None) else type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."
